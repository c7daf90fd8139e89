/// UTF-8 ↔ UTF-16 conversions of the indexing loop, straight between buffers (no String built,
/// no index arithmetic on one).
enum Transcode {
    /// The UTF-16 units of `text`, and the UTF-16 range of the UTF-8 range `marked` (nil when
    /// a bound of `marked` is not at a code point boundary or past the end).
    static func utf16(of text: String, marking marked: Range<Int>) -> (units: [UInt16], marked: Range<Int>?) {
        let result = text.utf8.withContiguousStorageIfAvailable { bytes -> ([UInt16], Range<Int>?) in
            var lower: Int?, upper: Int?
            let units = [UInt16](unsafeUninitializedCapacity: bytes.count) { out, written in
                var i = 0, k = 0
                let n = bytes.count
                while i < n {
                    if i == marked.lowerBound { lower = k }
                    if i == marked.upperBound { upper = k }
                    let b0 = UInt32(bytes[i])
                    if b0 < 0x80 {
                        out[k] = UInt16(b0); i += 1; k += 1
                    } else if b0 < 0xE0 {
                        out[k] = UInt16((b0 & 0x1F) << 6 | UInt32(bytes[i + 1]) & 0x3F); i += 2; k += 1
                    } else if b0 < 0xF0 {
                        out[k] = UInt16((b0 & 0x0F) << 12 | (UInt32(bytes[i + 1]) & 0x3F) << 6 | UInt32(bytes[i + 2]) & 0x3F)
                        i += 3; k += 1
                    } else {
                        let c = (b0 & 0x07) << 18 | (UInt32(bytes[i + 1]) & 0x3F) << 12
                            | (UInt32(bytes[i + 2]) & 0x3F) << 6 | UInt32(bytes[i + 3]) & 0x3F
                        let v = c - 0x10000
                        out[k] = UInt16(0xD800 | v >> 10)
                        out[k + 1] = UInt16(0xDC00 | v & 0x3FF)
                        i += 4; k += 2
                    }
                }
                if n == marked.lowerBound { lower = k }
                if n == marked.upperBound { upper = k }
                written = k
            }
            if let lower, let upper { return (units, lower..<upper) }
            return (units, nil)
        }
        if let result { return result }
        let units = Array(text.utf16)
        return (units, nil)
    }

    /// Appends the UTF-8 of `units` to `out` (a lone surrogate becomes U+FFFD, as
    /// `String(decoding:as:)` makes it).
    static func appendUTF8(of units: UnsafeBufferPointer<UInt16>, to out: inout [UInt8]) {
        let n = units.count
        if out.capacity < out.count + 3 * n { out.reserveCapacity(max(2 * out.capacity, out.count + 3 * n)) }
        var i = 0
        while i < n {
            let u = UInt32(units[i])
            var c = u
            if u & 0xF800 == 0xD800 {
                if u < 0xDC00, i + 1 < n, units[i + 1] & 0xFC00 == 0xDC00 {
                    c = 0x10000 + ((u - 0xD800) << 10) + (UInt32(units[i + 1]) - 0xDC00)
                    i += 1
                } else {
                    c = 0xFFFD
                }
            }
            i += 1
            appendUTF8(of: c, to: &out)
        }
    }

    /// Appends the UTF-8 of code point `c` (a Unicode scalar value) to `out`.
    @inline(__always)
    static func appendUTF8(of c: UInt32, to out: inout [UInt8]) {
        if c < 0x80 {
            out.append(UInt8(c))
        } else if c < 0x800 {
            out.append(UInt8(0xC0 | c >> 6)); out.append(UInt8(0x80 | c & 0x3F))
        } else if c < 0x10000 {
            out.append(UInt8(0xE0 | c >> 12)); out.append(UInt8(0x80 | (c >> 6) & 0x3F)); out.append(UInt8(0x80 | c & 0x3F))
        } else {
            out.append(UInt8(0xF0 | c >> 18)); out.append(UInt8(0x80 | (c >> 12) & 0x3F))
            out.append(UInt8(0x80 | (c >> 6) & 0x3F)); out.append(UInt8(0x80 | c & 0x3F))
        }
    }
}
