import CZstd

/// A growable little-endian byte buffer for writing index files.
struct ByteWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    var count: Int { bytes.count }

    @inline(__always) mutating func u8(_ v: UInt8) { bytes.append(v) }
    @inline(__always) mutating func u32(_ v: UInt32) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }
    @inline(__always) mutating func u64(_ v: UInt64) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }
    @inline(__always) mutating func varint(_ value: UInt32) {
        var v = value
        while v >= 0x80 { bytes.append(UInt8(truncatingIfNeeded: v) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }
    @inline(__always) mutating func varint64(_ value: UInt64) {
        var v = value
        while v >= 0x80 { bytes.append(UInt8(truncatingIfNeeded: v) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }
    mutating func append(_ other: [UInt8]) { bytes.append(contentsOf: other) }
    mutating func append(_ other: UnsafeRawBufferPointer) { bytes.append(contentsOf: other) }
    mutating func pad(to alignment: Int) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }
    /// Overwrites a u32 already written at `offset`.
    mutating func setU32(_ v: UInt32, at offset: Int) {
        withUnsafeBytes(of: v.littleEndian) { raw in
            for k in 0..<4 { bytes[offset + k] = raw[k] }
        }
    }
}

extension Array where Element == UInt8 {
    /// Appends a LEB128 variable-length integer.
    @inline(__always) mutating func appendVarint(_ value: UInt32) {
        var v = value
        while v >= 0x80 { append(UInt8(truncatingIfNeeded: v) | 0x80); v >>= 7 }
        append(UInt8(v))
    }
}

/// A bounds-checked reader over bytes of a mapped file. Every read past the end throws, so a
/// damaged file is reported rather than read out of bounds.
struct ByteReader {
    let base: UnsafeRawPointer
    let count: Int
    var offset: Int = 0

    init(_ base: UnsafeRawPointer, count: Int) { self.base = base; self.count = count }

    var isAtEnd: Bool { offset >= count }

    @inline(__always) mutating func varint() throws(ReadError) -> UInt32 {
        var result: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            guard offset < count, shift < 35 else { throw ReadError.truncated }
            let b = base.load(fromByteOffset: offset, as: UInt8.self)
            offset += 1
            result |= UInt32(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
        }
    }

    @inline(__always) mutating func varint64() throws(ReadError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < count, shift < 64 else { throw ReadError.truncated }
            let b = base.load(fromByteOffset: offset, as: UInt8.self)
            offset += 1
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
        }
    }

    @inline(__always) mutating func skip(_ n: Int) throws(ReadError) {
        guard n >= 0, offset + n <= count else { throw ReadError.truncated }
        offset += n
    }
}

/// A low-level read failure, turned into ``IndexError/corrupt(file:detail:)`` by the caller.
enum ReadError: Error { case truncated }

/// Reads little-endian integers at byte offsets of a raw buffer (callers check the bounds).
extension UnsafeRawPointer {
    @inline(__always) func u32(at offset: Int) -> UInt32 {
        UInt32(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
    @inline(__always) func u64(at offset: Int) -> UInt64 {
        UInt64(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}

/// CRC-32 of bytes (zlib's).
@inline(__always) func crc32(_ p: UnsafeRawPointer, _ n: Int, seed: UInt32 = 0) -> UInt32 {
    sd_crc32(seed, p, n)
}

func crc32(_ bytes: [UInt8], seed: UInt32 = 0) -> UInt32 {
    bytes.withUnsafeBytes { sd_crc32(seed, $0.baseAddress, $0.count) }
}
