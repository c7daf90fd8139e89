/// Cuts long texts into chunks that are analysed and stored one at a time, so memory stays
/// flat whatever a file's size and a snippet never needs more than a block or two.
enum ChunkCutter {
    /// The preferred chunk length in UTF-16 units (about 6 KB of Chinese UTF-8).
    static let target = 2048

    /// Where the chunk starting at `start` ends: after sentence punctuation or a line break when one
    /// lies in the second half of the window, else before a CJK or ASCII character (which always
    /// starts a normalization segment), never inside a surrogate pair.
    static func cut(_ units: UnsafeBufferPointer<UInt16>, from start: Int, target: Int = ChunkCutter.target) -> Int {
        let n = units.count
        if n - start <= target + target / 4 { return n }
        let limit = start + target
        let low = start + target / 2
        var i = limit
        while i > low {
            let u = units[i - 1]
            if u == 0x0A || u == 0x3002 || u == 0xFF01 || u == 0xFF1F || u == 0xFF1B {
                if safeStart(units[i]) { return i }
            }
            i -= 1
        }
        i = limit
        while i > low {
            if safeStart(units[i]) && units[i] != 0x20 && !isAsciiAlnum(units[i - 1]) { return i }
            i -= 1
        }
        i = limit
        while i < n && units[i] & 0xFC00 == 0xDC00 { i += 1 }
        return i
    }

    @inline(__always)
    private static func safeStart(_ u: UInt16) -> Bool {
        // ASCII and the main CJK blocks start a normalization segment and are never combined with
        // what precedes them.
        return u < 0x80 || (u >= 0x3000 && u < 0xA000) || (u >= 0xAC00 && u < 0xD7A4)
    }

    @inline(__always)
    private static func isAsciiAlnum(_ u: UInt16) -> Bool {
        return (u >= 0x30 && u <= 0x39) || (u >= 0x41 && u <= 0x5A) || (u >= 0x61 && u <= 0x7A)
    }
}
