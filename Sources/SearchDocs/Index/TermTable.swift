/// Open-addressing hash tables that give dense term ids, built for the indexing hot loop:
/// no allocation per lookup. Amortized O(1) insert and lookup.
struct GramTable {
    private(set) var keys: [UInt64] = []
    private var slots: [Int32]
    private var mask: Int

    init(capacity: Int = 1 << 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    var count: Int { keys.count }

    @inline(__always) private static func hash(_ k: UInt64) -> Int {
        let h = (k ^ (k >> 29)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: h >> 20)
    }

    /// The id of `key`, adding it when new (`isNew` tells).
    @inline(__always) mutating func id(for key: UInt64, isNew: inout Bool) -> Int32 {
        var i = GramTable.hash(key) & mask
        while true {
            let s = slots[i]
            if s < 0 {
                let id = Int32(keys.count)
                keys.append(key)
                slots[i] = id
                isNew = true
                if keys.count * 2 > slots.count { grow() }
                return id
            }
            if keys[Int(s)] == key { isNew = false; return s }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        for (id, k) in keys.enumerated() {
            var i = GramTable.hash(k) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(id)
        }
    }
}

/// A hash table of UTF-16 strings (word terms) stored in one arena.
struct WordTable: Sendable {
    private(set) var arena: [UInt16] = []
    private(set) var starts: [Int32] = []
    private(set) var lengths: [Int32] = []
    private var hashes: [UInt64] = []
    private var slots: [Int32]
    private var mask: Int

    init(capacity: Int = 1 << 14) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    var count: Int { starts.count }

    @inline(__always) private static func hash(_ s: UnsafeBufferPointer<UInt16>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for u in s { h = (h ^ UInt64(u)) &* 0x0000_0100_0000_01B3 }
        return h ^ (h >> 31)
    }

    /// The id of the word `s`, adding it when new.
    mutating func id(for s: UnsafeBufferPointer<UInt16>, isNew: inout Bool) -> Int32 {
        let h = WordTable.hash(s)
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots[i]
            if slot < 0 {
                let id = Int32(starts.count)
                starts.append(Int32(arena.count))
                lengths.append(Int32(s.count))
                hashes.append(h)
                arena.append(contentsOf: s)
                slots[i] = id
                isNew = true
                if starts.count * 2 > slots.count { grow() }
                return id
            }
            let t = Int(slot)
            if hashes[t] == h && Int(lengths[t]) == s.count {
                let st = Int(starts[t])
                var same = true
                arena.withUnsafeBufferPointer { a in
                    for k in 0..<s.count where a[st + k] != s[k] { same = false; break }
                }
                if same { isNew = false; return slot }
            }
            i = (i + 1) & mask
        }
    }

    /// The id of `s`, or nil when absent (nothing is inserted).
    func find(_ s: UnsafeBufferPointer<UInt16>) -> Int32? {
        let h = WordTable.hash(s)
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots[i]
            if slot < 0 { return nil }
            let t = Int(slot)
            if hashes[t] == h && Int(lengths[t]) == s.count {
                let st = Int(starts[t])
                var same = true
                arena.withUnsafeBufferPointer { a in
                    for k in 0..<s.count where a[st + k] != s[k] { same = false; break }
                }
                if same { return slot }
            }
            i = (i + 1) & mask
        }
    }

    /// The word with id `t`.
    func word(_ t: Int) -> String {
        let st = Int(starts[t])
        return String(decoding: arena[st..<(st + Int(lengths[t]))], as: UTF16.self)
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        for t in 0..<hashes.count {
            var i = Int(truncatingIfNeeded: hashes[t]) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(t)
        }
    }
}

/// Pages of memory that hand out byte ranges by a 32-bit offset (page number << 20 | offset in
/// the page); nothing is freed before the whole arena is.
struct ByteArena {
    static let pageShift: UInt32 = 20
    static let pageSize = 1 << 20
    private var pages: [UnsafeMutableRawPointer] = []
    private let owner = PageOwner()
    private var fill = ByteArena.pageSize

    /// Frees the pages when the last copy of the arena goes.
    private final class PageOwner {
        var pages: [UnsafeMutableRawPointer] = []
        deinit { for p in pages { p.deallocate() } }
    }

    /// The offset of `n` new bytes (n ≤ the page size), contiguous.
    @inline(__always) mutating func allocate(_ n: Int) -> UInt32 {
        if fill + n > ByteArena.pageSize {
            let p = UnsafeMutableRawPointer.allocate(byteCount: ByteArena.pageSize, alignment: 16)
            pages.append(p)
            owner.pages.append(p)
            fill = 0
        }
        let offset = UInt32(pages.count - 1) << ByteArena.pageShift | UInt32(fill)
        fill += n
        return offset
    }

    @inline(__always) func pointer(_ offset: UInt32) -> UnsafeMutableRawPointer {
        pages[Int(offset >> ByteArena.pageShift)] + Int(offset & (UInt32(ByteArena.pageSize) - 1))
    }
}

/// Accumulates the postings of one segment in memory: per term, its documents in order, each
/// with a frequency and (for terms that have them) positions, already in the on-disk encoding.
/// A term's bytes are a chain of chunks in one ``ByteArena`` (16 bytes, then twice as large up
/// to 1 KB), each ending in the offset of the next: no allocation per term.
struct PostingsAccumulator {
    /// Document frequency per term id.
    private(set) var df: [UInt32] = []
    /// Bytes of postings per term id.
    private(set) var length: [UInt32] = []
    private var arena = ByteArena()
    private var head: [UInt32] = []
    /// Where the term's next byte goes, and how many bytes its current chunk has left.
    private var writeAt: [UInt32] = []
    private var room: [UInt16] = []
    private var level: [UInt8] = []
    private var lastDoc: [Int32] = []
    private var writtenDoc: [Int32] = []
    private var firstOcc: [Int32] = []
    private var lastOcc: [Int32] = []
    private var freq: [Int32] = []
    private var occPos: [Int32] = []
    private var occNext: [Int32] = []
    private var distinct: [Int32] = []

    static let linkSize = 4
    static let maxLevel: UInt8 = 6
    /// Data bytes of a chunk of `level` (the chunk is 16 << level bytes, its link included).
    @inline(__always) static func capacity(_ level: UInt8) -> Int { (16 << Int(level)) - linkSize }

    /// Makes room for a new term id (ids are dense, in order).
    @inline(__always) mutating func addTerm() {
        df.append(0)
        length.append(0)
        head.append(UInt32.max)
        writeAt.append(0)
        room.append(0)
        level.append(0)
        lastDoc.append(-1)
        writtenDoc.append(-1)
        firstOcc.append(-1)
        lastOcc.append(-1)
        freq.append(0)
    }

    /// Records one occurrence of term `t` at `pos` in document `doc` (positions ascending).
    @inline(__always) mutating func add(_ t: Int32, doc: Int32, pos: Int32) {
        let o = Int32(occPos.count)
        occPos.append(pos)
        occNext.append(-1)
        let ti = Int(t)
        if lastDoc[ti] != doc {
            lastDoc[ti] = doc
            firstOcc[ti] = o
            lastOcc[ti] = o
            freq[ti] = 1
            distinct.append(t)
        } else {
            occNext[Int(lastOcc[ti])] = o
            lastOcc[ti] = o
            freq[ti] += 1
        }
    }

    /// Starts term `t`'s first chunk, or links a new one (twice as large, up to 1 KB) at the end
    /// of its full one.
    private mutating func newChunk(_ t: Int) {
        if head[t] == UInt32.max {
            let c = arena.allocate(16)
            head[t] = c
            writeAt[t] = c
            room[t] = UInt16(PostingsAccumulator.capacity(0))
        } else {
            let next = min(level[t] + 1, PostingsAccumulator.maxLevel)
            level[t] = next
            let c = arena.allocate(16 << Int(next))
            arena.pointer(writeAt[t]).storeBytes(of: c, as: UInt32.self)
            writeAt[t] = c
            room[t] = UInt16(PostingsAccumulator.capacity(next))
        }
    }

    /// Appends a LEB128 varint to term `t`'s chain of chunks.
    @inline(__always) private mutating func putVarint(_ t: Int, _ value: UInt32) {
        var v = value
        if room[t] >= 5 {
            let p = arena.pointer(writeAt[t])
            var n = 0
            while v >= 0x80 {
                p.storeBytes(of: UInt8(truncatingIfNeeded: v) | 0x80, toByteOffset: n, as: UInt8.self)
                v >>= 7
                n += 1
            }
            p.storeBytes(of: UInt8(v), toByteOffset: n, as: UInt8.self)
            n += 1
            writeAt[t] += UInt32(n)
            room[t] -= UInt16(n)
            length[t] += UInt32(n)
            return
        }
        while true {
            if room[t] == 0 { newChunk(t) }
            let last = v < 0x80
            arena.pointer(writeAt[t]).storeBytes(of: last ? UInt8(v) : UInt8(truncatingIfNeeded: v) | 0x80, as: UInt8.self)
            writeAt[t] += 1
            room[t] -= 1
            length[t] += 1
            if last { return }
            v >>= 7
        }
    }

    /// Calls `body` with the pieces of term `t`'s postings, in order.
    func forEachPiece(of t: Int, _ body: (UnsafeRawBufferPointer) -> Void) {
        var left = Int(length[t])
        var chunk = head[t]
        var lvl: UInt8 = 0
        while left > 0 {
            let cap = PostingsAccumulator.capacity(lvl)
            let p = arena.pointer(chunk)
            let n = min(cap, left)
            body(UnsafeRawBufferPointer(start: p, count: n))
            left -= n
            if left > 0 {
                chunk = (p + cap).load(as: UInt32.self)
                lvl = min(lvl + 1, PostingsAccumulator.maxLevel)
            }
        }
    }

    /// Writes the document's postings. `withPositions(t)` tells which terms keep positions.
    /// Encoding per document (see ``SegmentFormat``): varint(docDelta << 1 | 1) when tf = 1, else
    /// varint(docDelta << 1) and varint(tf); with positions, then tf varint position deltas.
    mutating func endDocument(_ doc: Int32, withPositions: (Int32) -> Bool) {
        for t in distinct {
            let ti = Int(t)
            let delta = UInt32(doc - writtenDoc[ti] - 1) << 1
            writtenDoc[ti] = doc
            let f = freq[ti]
            if f == 1 {
                putVarint(ti, delta | 1)
            } else {
                putVarint(ti, delta)
                putVarint(ti, UInt32(f))
            }
            if withPositions(t) {
                var o = firstOcc[ti]
                var last: Int32 = 0
                while o >= 0 {
                    let p = occPos[Int(o)]
                    putVarint(ti, UInt32(p - last))
                    last = p
                    o = occNext[Int(o)]
                }
            }
            df[ti] += 1
        }
        distinct.removeAll(keepingCapacity: true)
        occPos.removeAll(keepingCapacity: true)
        occNext.removeAll(keepingCapacity: true)
    }
}
