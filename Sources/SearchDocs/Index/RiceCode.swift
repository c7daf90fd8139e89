/// Rice codes: a value `v` with parameter `k` is `v >> k` zero bits, a one bit, then the low `k`
/// bits of `v`. Bits are packed least significant first into bytes (bit `i` of a stream is bit
/// `i % 8` of byte `i / 8`). Postings use them (see ``SegmentFormat``): every value they code is
/// below 2^30.
enum RiceCode {
    /// Values coded are below this.
    static let limit: UInt32 = 1 << 30

    /// The parameter in `0...maxK` that codes the `n` values at `values` (minus `minus` each) in
    /// the fewest bits, and that number of bits: the parameter suited to their mean (that of a
    /// geometric distribution, k ≈ log2(0.69 × mean)), or one of its two neighbours when they do
    /// better.
    /// `sum`, when given, is that of the values (minus `minus` each).
    static func parameter(_ values: UnsafeMutablePointer<UInt32>, count n: Int, minus: UInt32 = 0,
                          maxK: Int, sum given: UInt64? = nil) -> (k: Int, bits: Int) {
        guard n > 0 else { return (0, 0) }
        var sum: UInt64 = 0
        if let given { sum = given } else { for i in 0..<n { sum &+= UInt64(values[i] &- minus) } }
        let guess = min(maxK, floorLog2(sum * 11 / (16 * UInt64(n))))
        let lo = max(0, min(guess - 1, maxK - 2))
        var s0: UInt64 = 0, s1: UInt64 = 0, s2: UInt64 = 0
        let k0 = UInt32(lo), k1 = UInt32(lo + 1), k2 = UInt32(lo + 2)
        for i in 0..<n {
            let v = values[i] &- minus
            s0 &+= UInt64(v &>> k0); s1 &+= UInt64(v &>> k1); s2 &+= UInt64(v &>> k2)
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
    /// Bits of the byte at `count`, not whole yet: the low `pending` (< 8) bits of `word`.
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
        withSink { $0.write(v, bits: n) }
    }

    /// Appends `v` (< ``RiceCode/limit``) Rice-coded with parameter `k`, in room reserved.
    @inline(__always) mutating func rice(_ v: UInt32, _ k: Int) {
        withSink { $0.rice(v, k) }
    }

    /// Calls `body` with a sink that writes on this stream, in room reserved (its state kept
    /// in local variables, out of memory, while many codes are written).
    @inline(__always) mutating func withSink(_ body: (inout BitSink) -> Void) {
        var sink = BitSink(buffer: buffer, count: count, word: word, pending: pending)
        body(&sink)
        count = sink.count
        word = sink.word
        pending = sink.pending
    }

    /// Appends `v` (1 ≤ v < 2^32) as an Elias gamma code (see ``BitReader/gamma()``).
    mutating func gamma(_ v: UInt64) {
        let n = RiceCode.floorLog2(v)
        reserve(bits: 2 * n + 1)
        rice(UInt32(n), 0)
        if n > 0 { write(UInt32(truncatingIfNeeded: v) & ((1 << UInt32(n)) - 1), bits: n) }
    }

    /// Bits written, whole bytes and pending.
    var bitCount: Int { count * 8 + pending }

    /// Appends the bits of `other`, then empties it.
    mutating func append(_ other: inout BitWriter) {
        reserve(bits: other.bitCount)
        let whole = other.count
        var at = 0
        while at + 4 <= whole {
            write(UInt32(littleEndian: other.buffer.loadUnaligned(fromByteOffset: at, as: UInt32.self)), bits: 32)
            at += 4
        }
        while at < whole {
            write(UInt32(other.buffer.load(fromByteOffset: at, as: UInt8.self)), bits: 8)
            at += 1
        }
        if other.pending > 0 { write(UInt32(truncatingIfNeeded: other.word), bits: other.pending) }
        other.count = 0
        other.word = 0
        other.pending = 0
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

/// See ``BitWriter/withSink(_:)``.
struct BitSink {
    fileprivate let buffer: UnsafeMutableRawPointer
    fileprivate var count: Int
    fileprivate var word: UInt64
    fileprivate var pending: Int

    /// Appends the low `n` bits of `v` (n ≤ 32; the bits above n must be 0).
    @inline(__always) mutating func write(_ v: UInt32, bits n: Int) {
        // Without a branch: the word is stored whole (room reserved has 8 bytes to spare), and
        // the bytes completed are passed.
        word |= UInt64(v) &<< UInt64(truncatingIfNeeded: pending)
        pending &+= n
        buffer.storeBytes(of: word.littleEndian, toByteOffset: count, as: UInt64.self)
        let whole = pending &>> 3
        count &+= whole
        word = word &>> UInt64(truncatingIfNeeded: whole &<< 3)
        pending &= 7
    }

    /// Appends `v` (< ``RiceCode/limit``) Rice-coded with parameter `k`.
    @inline(__always) mutating func rice(_ v: UInt32, _ k: Int) {
        let q = Int(v &>> UInt32(truncatingIfNeeded: k))
        let n = q &+ 1 &+ k
        if n <= 32 {
            // The unary part and the low bits in one write.
            let low = v & ((1 &<< UInt32(truncatingIfNeeded: k)) &- 1)
            write(1 &<< UInt32(truncatingIfNeeded: q) | low &<< UInt32(truncatingIfNeeded: q &+ 1), bits: n)
        } else {
            riceSlowly(v, k)
        }
    }

    /// ``rice(_:_:)`` for codes longer than 32 bits.
    @inline(never) private mutating func riceSlowly(_ v: UInt32, _ k: Int) {
        var q = Int(v >> UInt32(k))
        while q >= 32 { write(0, bits: 32); q -= 32 }
        write(1 << UInt32(q), bits: q + 1)
        if k > 0 { write(v & ((1 << UInt32(k)) - 1), bits: k) }
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
    @inline(__always) private func window() -> UInt64 { BitReader.window(base, count: count, bit: bit) }

    /// The stream of `count` bytes at `base` from `bit` on, as ``window()``.
    @inline(__always) static func window(_ base: UnsafeRawPointer, count: Int, bit: Int) -> UInt64 {
        let at = bit &>> 3
        let w = at &+ 8 <= count ? UInt64(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt64.self))
                                 : tail(base, count: count, at: at)
        return w &>> UInt64(bit & 7)
    }

    /// The bytes from `at` to `count` (fewer than 8) as a number, the rest zeros.
    @inline(never) private static func tail(_ base: UnsafeRawPointer, count: Int, at: Int) -> UInt64 {
        if at >= count { return 0 }
        if count >= 8 {
            // The last 8 bytes, those before `at` shifted out (short lists read all their bits here).
            let last = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
            return last &>> UInt64(truncatingIfNeeded: 8 * (at - (count - 8)))
        }
        var w: UInt64 = 0
        var i = 0
        while at + i < count {
            w |= UInt64(base.load(fromByteOffset: at + i, as: UInt8.self)) << UInt64(8 * i)
            i += 1
        }
        return w
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
        // Most codes lie within one window.
        let w = window()
        let z = w.trailingZeroBitCount
        if z &+ k < 56 && z < Int(RiceCode.limit) &>> k {
            let next = bit &+ z &+ 1 &+ k
            guard next <= count &* 8 else { throw .truncated }
            bit = next
            return UInt32(truncatingIfNeeded: z) &<< UInt32(truncatingIfNeeded: k)
                | UInt32(truncatingIfNeeded: (w &>> UInt64(truncatingIfNeeded: z &+ 1)) & ((1 &<< UInt64(truncatingIfNeeded: k)) &- 1))
        }
        return try riceSlowly(k)
    }

    /// The next two Rice-coded values, with parameters `k1` and `k2` (each ≤ 29).
    @inline(__always) mutating func rice(_ k1: Int, _ k2: Int) throws(ReadError) -> (UInt32, UInt32) {
        // Most pairs lie within one window. (Values of a damaged list may come out wrong here,
        // never out of bounds; page checksums report the damage.)
        let w = window()
        let z1 = w.trailingZeroBitCount
        let n1 = z1 &+ 1 &+ k1
        if n1 < 56 {
            let w2 = w &>> UInt64(truncatingIfNeeded: n1)
            let z2 = w2.trailingZeroBitCount
            let n = n1 &+ z2 &+ 1 &+ k2
            if n <= 56 {
                guard bit &+ n <= count &* 8 else { throw .truncated }
                bit = bit &+ n
                let a = UInt32(truncatingIfNeeded: z1) &<< UInt32(truncatingIfNeeded: k1)
                    | UInt32(truncatingIfNeeded: (w &>> UInt64(truncatingIfNeeded: z1 &+ 1)) & ((1 &<< UInt64(truncatingIfNeeded: k1)) &- 1))
                let b = UInt32(truncatingIfNeeded: z2) &<< UInt32(truncatingIfNeeded: k2)
                    | UInt32(truncatingIfNeeded: (w2 &>> UInt64(truncatingIfNeeded: z2 &+ 1)) & ((1 &<< UInt64(truncatingIfNeeded: k2)) &- 1))
                return (a, b)
            }
        }
        let a = try rice(k1)
        return (a, try rice(k2))
    }

    /// ``rice(_:)`` for codes longer than a window.
    @inline(never) private mutating func riceSlowly(_ k: Int) throws(ReadError) -> UInt32 {
        let q = try BitReader.unary(base, count: count, bit: &bit)
        guard q < Int(RiceCode.limit) >> k else { throw .truncated }
        if k == 0 { return UInt32(q) }
        guard bit + k <= count * 8 else { throw .truncated }
        let low = window()
        bit += k
        return UInt32(q) << UInt32(k) | UInt32(truncatingIfNeeded: low & ((1 << UInt64(k)) - 1))
    }

    /// A unary code of any length at `bit` in the stream of `count` bytes at `base`: its zero
    /// bits, counted a window at a time; `bit` moves past its one bit. For codes a window may
    /// not hold (the fast paths take the others).
    static func unary(_ base: UnsafeRawPointer, count: Int, bit: inout Int) throws(ReadError) -> Int {
        var w = window(base, count: count, bit: bit)
        var q = 0
        while w == 0 {
            let n = 64 - (bit & 7)
            q += n
            bit += n
            guard bit < count * 8 else { throw .truncated }
            w = window(base, count: count, bit: bit)
        }
        let z = w.trailingZeroBitCount
        q += z
        bit += z + 1
        guard bit <= count * 8 else { throw .truncated }
        return q
    }

    /// Moves past `n` bits.
    @inline(__always) mutating func skip(bits n: Int) throws(ReadError) {
        guard n <= count * 8 - bit else { throw .truncated }
        bit += n
    }

    /// The next Elias gamma code: `n` zero bits, a one bit, then the low `n` bits of the value
    /// (which is at least 1 and below 2^32).
    mutating func gamma() throws(ReadError) -> UInt64 {
        let n = Int(try rice(0))
        guard n < 32 else { throw .truncated }
        return UInt64(1) << UInt64(n) | UInt64(try read(bits: n))
    }

    /// The bit after the `ones`-th one bit from `bit` on in the stream of `count` bytes at
    /// `base` (a run of unary codes passed over 56 bits at a time).
    @inline(__always)
    static func skipOnes(_ base: UnsafeRawPointer, count: Int, bit start: Int, ones: Int) throws(ReadError) -> Int {
        // Most runs lie within one window.
        var w = window(base, count: count, bit: start) & ((1 << 56) - 1)
        if ones <= 4 && w.nonzeroBitCount >= ones {
            for _ in 1..<ones { w &= w &- 1 }
            let bit = start &+ w.trailingZeroBitCount &+ 1
            guard bit <= count &* 8 else { throw .truncated }
            return bit
        }
        return try skipOnesSlowly(base, count: count, bit: start, ones: ones)
    }

    @inline(never)
    private static func skipOnesSlowly(_ base: UnsafeRawPointer, count: Int, bit start: Int, ones: Int) throws(ReadError) -> Int {
        var bit = start, left = ones
        let end = count * 8
        while true {
            guard bit < end else { throw .truncated }
            let w = window(base, count: count, bit: bit) & ((1 << 56) - 1)
            let c = w.nonzeroBitCount
            if c < left {
                left -= c
                bit += 56
                continue
            }
            bit += select(w, left) + 1
            guard bit <= end else { throw .truncated }
            return bit
        }
    }

    /// Where the `r`-th one bit of `w` is (1 ≤ r ≤ its one bits).
    @inline(__always) static func select(_ w: UInt64, _ r: Int) -> Int {
        var w = w, r = r, at = 0
        var c = (w & 0xFFFF_FFFF).nonzeroBitCount
        if c < r { r &-= c; w &>>= 32; at &+= 32 }
        c = (w & 0xFFFF).nonzeroBitCount
        if c < r { r &-= c; w &>>= 16; at &+= 16 }
        c = (w & 0xFF).nonzeroBitCount
        if c < r { r &-= c; w &>>= 8; at &+= 8 }
        while r > 1 { w &= w &- 1; r &-= 1 }
        return at &+ w.trailingZeroBitCount
    }
}
