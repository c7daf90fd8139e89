/// Rice codes: a value `v` with parameter `k` is `v >> k` zero bits, a one bit, then the low `k`
/// bits of `v`. Bits are packed least significant first into bytes (bit `i` of a stream is bit
/// `i % 8` of byte `i / 8`). Postings use them (see ``SegmentFormat``): every value they code is
/// below 2^30.
enum RiceCode {
    /// Values coded are below this.
    static let limit: UInt32 = 1 << 30

    /// The bits of `v` coded with parameter `k`.
    @inline(__always) static func cost(_ v: UInt32, _ k: Int) -> Int { Int(v >> UInt32(k)) + 1 + k }

    /// The parameter in `0...maxK` that codes the `n` values at `values` (minus `minus` each) in
    /// the fewest bits, and that number of bits: the parameter suited to their mean (that of a
    /// geometric distribution, k ≈ log2(0.69 × mean)), or one of its two neighbours when they do
    /// better.
    static func parameter(_ values: UnsafeMutablePointer<UInt32>, count n: Int, minus: UInt32 = 0,
                          maxK: Int) -> (k: Int, bits: Int) {
        guard n > 0 else { return (0, 0) }
        var sum: UInt64 = 0
        for i in 0..<n { sum += UInt64(values[i] - minus) }
        let guess = min(maxK, floorLog2(sum * 11 / (16 * UInt64(n))))
        let lo = max(0, min(guess - 1, maxK - 2))
        var s0: UInt64 = 0, s1: UInt64 = 0, s2: UInt64 = 0
        let k0 = UInt32(lo), k1 = UInt32(lo + 1), k2 = UInt32(lo + 2)
        for i in 0..<n {
            let v = values[i] - minus
            s0 += UInt64(v >> k0); s1 += UInt64(v >> k1); s2 += UInt64(v >> k2)
        }
        var best = (k: lo, bits: Int(s0) + n * (1 + lo))
        if Int(s1) + n * (2 + lo) < best.bits { best = (lo + 1, Int(s1) + n * (2 + lo)) }
        if Int(s2) + n * (3 + lo) < best.bits { best = (lo + 2, Int(s2) + n * (3 + lo)) }
        return best
    }

    /// ⌊log2 m⌋, and 0 for m = 0.
    @inline(__always) static func floorLog2(_ m: UInt64) -> Int { m == 0 ? 0 : 63 - m.leadingZeroBitCount }
}

/// Writes a stream of bits (least significant first) into bytes it owns.
struct BitWriter: ~Copyable {
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    /// Whole bytes written.
    private(set) var count = 0
    /// Bits not yet in the buffer: the low `pending` bits of `word`.
    private var word: UInt64 = 0
    private var pending = 0

    init(capacity: Int = 1 << 16) {
        self.capacity = max(capacity, 16)
        buffer = .allocate(byteCount: self.capacity, alignment: 8)
    }

    deinit { buffer.deallocate() }

    /// The bytes written (valid until the next write).
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: buffer, count: count) }

    /// Makes room for `bits` more bits.
    mutating func reserve(bits: Int) {
        let needed = count + (pending + bits) / 8 + 8
        guard needed > capacity else { return }
        let bigger = UnsafeMutableRawPointer.allocate(byteCount: max(needed, 2 * capacity), alignment: 8)
        bigger.copyMemory(from: buffer, byteCount: count)
        buffer.deallocate()
        buffer = bigger
        capacity = max(needed, 2 * capacity)
    }

    /// Appends the low `n` bits of `v` (n ≤ 32; the bits above n must be 0), in room reserved.
    @inline(__always) mutating func write(_ v: UInt32, bits n: Int) {
        word |= UInt64(v) << UInt64(pending)
        pending += n
        if pending >= 32 {
            buffer.storeBytes(of: UInt32(truncatingIfNeeded: word).littleEndian, toByteOffset: count, as: UInt32.self)
            count += 4
            word >>= 32
            pending -= 32
        }
    }

    /// Appends `v` (< ``RiceCode/limit``) Rice-coded with parameter `k`, in room reserved.
    @inline(__always) mutating func rice(_ v: UInt32, _ k: Int) {
        var q = Int(v >> UInt32(k))
        while q >= 32 { write(0, bits: 32); q -= 32 }
        write(1 << UInt32(q), bits: q + 1)
        if k > 0 { write(v & ((1 << UInt32(k)) - 1), bits: k) }
    }

    /// Pads the stream with zero bits to a whole byte.
    mutating func alignToByte() {
        while pending > 0 {
            buffer.storeBytes(of: UInt8(truncatingIfNeeded: word), toByteOffset: count, as: UInt8.self)
            count += 1
            word >>= 8
            pending = max(0, pending - 8)
        }
        word = 0
    }
}

/// Reads a bit stream written by ``BitWriter`` from `count` bytes of a mapped file. Reads past the
/// end throw (bytes beyond `count` are never loaded), so a damaged stream is reported rather than
/// read out of bounds.
struct BitReader {
    let base: UnsafeRawPointer
    let count: Int
    /// The next bit to read.
    private(set) var bit: Int

    init(_ base: UnsafeRawPointer, count: Int, bit: Int = 0) {
        self.base = base
        self.count = count
        self.bit = bit
    }

    /// The stream from `bit` on: at least 57 bits, the last byte's padding and what lies past
    /// the end read as zeros.
    @inline(__always) private func window() -> UInt64 {
        let at = bit >> 3
        var w: UInt64
        if at + 8 <= count {
            w = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt64.self))
        } else {
            w = 0
            var i = 0
            while at + i < count {
                w |= UInt64(base.load(fromByteOffset: at + i, as: UInt8.self)) << UInt64(8 * i)
                i += 1
            }
        }
        return w >> UInt64(bit & 7)
    }

    /// The next `n` bits (n ≤ 32) as a number.
    @inline(__always) mutating func read(bits n: Int) throws(ReadError) -> UInt32 {
        guard bit + n <= count * 8 else { throw .truncated }
        let v = UInt32(truncatingIfNeeded: window() & ((1 << UInt64(n)) - 1))
        bit += n
        return v
    }

    /// The next Rice-coded value (parameter `k` ≤ 29); it is below ``RiceCode/limit``.
    @inline(__always) mutating func rice(_ k: Int) throws(ReadError) -> UInt32 {
        var w = window()
        var q = 0
        while w == 0 {
            let n = 64 - (bit & 7)
            q += n
            bit += n
            guard bit < count * 8 else { throw .truncated }
            w = window()
        }
        let available = 64 - (bit & 7)
        let z = w.trailingZeroBitCount
        q += z
        bit += z + 1
        guard q < Int(RiceCode.limit) >> k else { throw .truncated }
        if k == 0 { return UInt32(q) }
        guard bit + k <= count * 8 else { throw .truncated }
        let low = z + 1 + k <= available ? w >> UInt64(z + 1) : window()
        bit += k
        return UInt32(q) << UInt32(k) | UInt32(truncatingIfNeeded: low & ((1 << UInt64(k)) - 1))
    }
}
