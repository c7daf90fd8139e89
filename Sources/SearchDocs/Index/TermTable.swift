import CICUShim

/// Memory for `count` values of a trivial type, freed with the last reference. The tables below
/// keep its pointer next to it and read and write through that pointer in their hot loops (no
/// copy-on-write checks, no retains, a fixed address to prefetch from); a table holding one is
/// moved (swapped) between owners, never copied and then changed apart.
final class Allocation<Element: BitwiseCopyable> {
    let pointer: UnsafeMutablePointer<Element>
    let count: Int

    /// Memory aligned to a cache line, so that values of a size dividing 64 never straddle two.
    init(count: Int, repeating value: Element) {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Element>.stride,
                                                   alignment: max(64, MemoryLayout<Element>.alignment))
        pointer = raw.bindMemory(to: Element.self, capacity: count)
        pointer.initialize(repeating: value, count: count)
        self.count = count
    }

    deinit { pointer.deallocate() }
}

/// A growable run of values in an ``Allocation``, appended to and read through its pointer (no
/// copy-on-write or exclusivity checks per value); like the tables below, moved between owners,
/// never copied and then changed apart.
struct GrowableBuffer<Element: BitwiseCopyable> {
    private var memory: Allocation<Element>
    private(set) var pointer: UnsafeMutablePointer<Element>
    private(set) var count = 0

    init(capacity: Int, filler: Element) {
        memory = Allocation(count: max(1, capacity), repeating: filler)
        pointer = memory.pointer
    }

    @inline(__always) mutating func append(_ value: Element) {
        if count == memory.count { grow() }
        pointer[count] = value
        count += 1
    }

    /// The values appended so far (valid until the next append).
    var elements: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: pointer, count: count) }

    mutating func removeAll() { count = 0 }

    private mutating func grow() {
        let bigger = Allocation(count: memory.count * 2, repeating: pointer[0])
        bigger.pointer.update(from: pointer, count: count)
        memory = bigger
        pointer = bigger.pointer
    }
}

/// Open-addressing hash tables that give dense term ids, built for the indexing hot loop:
/// no allocation per lookup. Amortized O(1) insert and lookup.
struct GramTable {
    private(set) var keys: [UInt64] = []
    /// Each slot holds its key and id packed in 8 bytes (eight slots per cache line): the key's two
    /// code points in 21 bits each, plus one, above a 22-bit id; 0: empty. Ids from `idMask` on
    /// are kept in `spilled`, the slot's id field saying so.
    private var memory: Allocation<UInt64>
    private var slots: UnsafeMutablePointer<UInt64>
    private var mask: Int
    /// The ids of keys whose slot cannot hold them: from the 4,194,303rd key of a table on (with
    /// 22 id bits), and keys beyond two code points (never made by the analyzer).
    private var spilled: [UInt64: Int32] = [:]
    /// Bits of the id field (22; fewer in tests, to reach the spilled ids quickly).
    private let idBits: UInt64
    private let idMask: UInt64
    /// The ids of single characters of the BMP, by code point (-1: none yet): half of all
    /// lookups, answered without hashing or probing from a table that stays in the cache.
    private var directMemory: Allocation<Int32>
    private var direct: UnsafeMutablePointer<Int32>
    /// Keys below this are looked up in `direct` (0 in a placeholder table).
    private let directCount: UInt64

    /// A table for `capacity` keys; `placeholder`: a table that takes no memory to speak of, to
    /// swap with a real one.
    init(capacity: Int = 1 << 16, placeholder: Bool = false, idBits: Int = 22) {
        precondition(idBits >= 1 && idBits <= 22)
        self.idBits = UInt64(idBits)
        idMask = (1 << UInt64(idBits)) - 1
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        memory = Allocation(count: size, repeating: 0)
        slots = memory.pointer
        mask = size - 1
        directCount = placeholder ? 0 : 0x10000
        directMemory = Allocation(count: max(1, Int(directCount)), repeating: -1)
        direct = directMemory.pointer
    }

    var count: Int { keys.count }

    @inline(__always) private static func hash(_ k: UInt64) -> Int {
        let h = (k ^ (k >> 29)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: h >> 20)
    }

    /// The key as a slot stores it (above the id bits), or nil when it does not fit.
    @inline(__always) private static func packed(_ key: UInt64) -> UInt64? {
        let high = key >> 32, low = key & 0xFFFF_FFFF
        guard high <= 0x10FFFF, low <= 0x10FFFF else { return nil }
        return (high << 21 | low) + 1
    }

    /// Starts loading the slot where a lookup of `key` begins.
    @inline(__always) func prefetch(_ key: UInt64) {
        if key < directCount { return }
        sd_prefetch(slots + (GramTable.hash(key) & mask))
    }

    /// The id of `key`, adding it when new (`isNew` tells).
    @inline(__always) mutating func id(for key: UInt64, isNew: inout Bool) -> Int32 {
        if key < directCount {
            let d = direct[Int(key)]
            if d >= 0 { isNew = false; return d }
        }
        guard let p = GramTable.packed(key) else { return spilledId(for: key, isNew: &isNew) }
        var i = GramTable.hash(key) & mask
        while true {
            let s = slots[i]
            if s == 0 { break }
            if s >> idBits == p {
                isNew = false
                let id = s & idMask
                return id != idMask ? Int32(truncatingIfNeeded: id) : spilled[key]!
            }
            i = (i + 1) & mask
        }
        let id = Int32(keys.count)
        keys.append(key)
        slots[i] = p << idBits | min(UInt64(id), idMask)
        if UInt64(id) >= idMask { spilled[key] = id }
        if key < directCount { direct[Int(key)] = id }
        isNew = true
        if keys.count * 2 > memory.count { grow() }
        return id
    }

    /// The id of a key that has no slot.
    private mutating func spilledId(for key: UInt64, isNew: inout Bool) -> Int32 {
        if let id = spilled[key] { isNew = false; return id }
        let id = Int32(keys.count)
        keys.append(key)
        spilled[key] = id
        isNew = true
        return id
    }

    private mutating func grow() {
        let size = memory.count * 2
        memory = Allocation(count: size, repeating: 0)
        slots = memory.pointer
        mask = size - 1
        for (id, k) in keys.enumerated() {
            guard let p = GramTable.packed(k) else { continue }
            var i = GramTable.hash(k) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = p << idBits | min(UInt64(id), idMask)
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

    /// Where the probe for `s` (of hash `h`) ends: the slot holding its id, or the empty slot
    /// where it would go (`id` nil).
    @inline(__always) private func probe(_ s: UnsafeBufferPointer<UInt16>, hash h: UInt64) -> (slot: Int, id: Int32?) {
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots[i]
            if slot < 0 { return (i, nil) }
            let t = Int(slot)
            if hashes[t] == h && Int(lengths[t]) == s.count {
                let st = Int(starts[t])
                var same = true
                arena.withUnsafeBufferPointer { a in
                    for k in 0..<s.count where a[st + k] != s[k] { same = false; break }
                }
                if same { return (i, slot) }
            }
            i = (i + 1) & mask
        }
    }

    /// The id of the word `s`, adding it when new.
    mutating func id(for s: UnsafeBufferPointer<UInt16>, isNew: inout Bool) -> Int32 {
        let h = WordTable.hash(s)
        let (i, found) = probe(s, hash: h)
        if let found { isNew = false; return found }
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

    /// The id of `s`, or nil when absent (nothing is inserted).
    func find(_ s: UnsafeBufferPointer<UInt16>) -> Int32? {
        probe(s, hash: WordTable.hash(s)).id
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

    /// Bytes of the pages allocated.
    var byteCount: Int { pages.count * ByteArena.pageSize }

    @inline(__always) func pointer(_ offset: UInt32) -> UnsafeMutableRawPointer {
        pages[Int(offset >> ByteArena.pageShift)] + Int(offset & (UInt32(ByteArena.pageSize) - 1))
    }
}

/// Accumulates the postings of one segment in memory: per term, its documents in order, each
/// with a frequency and (for terms that have them) positions, as varints (see
/// ``endDocument(_:)``); ``PostingsEncoder`` turns them into the segment's encoding.
/// A term's bytes are a chain of chunks in one ``ByteArena`` (16 bytes, then twice as large up
/// to 1 KB), each ending in the offset of the next: no allocation per term.
///
/// Everything the hot loop keeps per term sits in one ``TermState`` (one cache line touched per
/// term instead of one per field), and a document's occurrences are one array of (position,
/// next) links.
struct PostingsAccumulator {
    /// What is kept per term id: 32 bytes, one cache line's half.
    struct TermState {
        /// Where the term's next byte goes.
        var writeAt: UInt32 = 0
        /// Bytes of postings, documents.
        var length: UInt32 = 0
        var df: UInt32 = 0
        /// The last document written.
        var writtenDoc: Int32 = -1
        /// The current document's first and last occurrence (terms with positions).
        var firstOcc: Int32 = -1
        var lastOcc: Int32 = -1
        /// Occurrences in the current document (0: none yet).
        var freq: Int32 = 0
        /// Bytes left in the current chunk, and the chunk's size level.
        var room: UInt16 = 0
        var level: UInt8 = 0
        /// Whether the term's postings carry positions.
        var positions = false
    }

    /// One occurrence in the current document, linked to the term's next one.
    struct Occurrence {
        var pos: Int32
        var next: Int32
    }

    /// Per term id, its state (`termCount` of the memory's slots are used).
    private var termMemory: Allocation<TermState>
    private var terms: UnsafeMutablePointer<TermState>
    private var termCount = 0
    /// Per term id, where its chain of chunks starts (UInt32.max: none yet).
    private var heads: [UInt32] = []
    private var arena = ByteArena()
    private var occurrences: GrowableBuffer<Occurrence>
    private var distinct: GrowableBuffer<Int32>
    /// Positions of the current document moved out of `occurrences` (see ``spillIfLarge()``), one
    /// run per spill: for each term with positions in the buffer, by ascending term id,
    /// varint(term), varint(count), varint(first position), varint gaps to the next ones.
    private var spills: [[UInt8]] = []
    /// Since the last spill: where the terms first seen start in `distinct`, and the terms seen
    /// before it that occurred again.
    private var distinctSinceSpill = 0
    private var seenAgain: [Int32] = []

    /// Occurrences of one document held as linked entries before they are written out compactly
    /// (1M: 8 MB): a longer document has its positions spilled as varints, so that the memory a
    /// document takes stays near its postings' encoded size. Tests use small values.
    let spillAt: Int

    static let linkSize = 4
    static let maxLevel: UInt8 = 6
    /// Data bytes of a chunk of `level` (the chunk is 16 << level bytes, its link included).
    @inline(__always) static func capacity(_ level: UInt8) -> Int { (16 << Int(level)) - linkSize }

    /// An accumulator; `placeholder`: one that takes no memory to speak of, to swap with a real one.
    init(placeholder: Bool = false, spillAt: Int = 1 << 20) {
        self.spillAt = spillAt
        termMemory = Allocation(count: placeholder ? 1 : 1024, repeating: TermState())
        terms = termMemory.pointer
        occurrences = GrowableBuffer(capacity: placeholder ? 1 : 4096, filler: Occurrence(pos: 0, next: -1))
        distinct = GrowableBuffer(capacity: placeholder ? 1 : 4096, filler: 0)
    }

    /// Bytes of the accumulated postings' chunks (an upper bound of their encoded size, which is
    /// smaller than their varints).
    var byteCount: Int { arena.byteCount }

    /// Documents of term `t`.
    @inline(__always) func df(_ t: Int) -> UInt32 {
        precondition(t < termCount)
        return terms[t].df
    }

    /// Whether term `t`'s postings keep positions.
    @inline(__always) func hasPositions(_ t: Int) -> Bool {
        precondition(t < termCount)
        return terms[t].positions
    }

    /// Decodes term `t`'s postings into `lists` (see ``DecodedPostings``).
    func decode(_ t: Int, into lists: inout DecodedPostings) {
        precondition(t < termCount)
        let withPositions = terms[t].positions
        let length = Int(terms[t].length)
        lists.reset(values: length)
        // The chunks gathered into one run of bytes, then read in one loop; a list that fits in
        // its first chunk (most of them) is read where it is.
        let bytes: UnsafeRawPointer
        if length > 0 && length <= PostingsAccumulator.capacity(0) {
            bytes = UnsafeRawPointer(arena.pointer(heads[t]))
        } else {
            var at = 0
            forEachPiece(of: t) { raw in
                (lists.bytes + at).copyMemory(from: raw.baseAddress!, byteCount: raw.count)
                at += raw.count
            }
            bytes = UnsafeRawPointer(lists.bytes)
        }
        let p = bytes.assumingMemoryBound(to: UInt8.self)
        let gaps = lists.docGaps, tfs = lists.tfs, firsts = lists.firsts, positionGaps = lists.positionGaps
        var i = 0, docs = 0, n = 0
        var tfSum: UInt64 = 0, firstSum: UInt64 = 0, gapSum: UInt64 = 0
        while i < length {
            let v = PostingsAccumulator.varint(p, &i)
            gaps[docs] = v &>> 1
            let f = v & 1 != 0 ? 1 : PostingsAccumulator.varint(p, &i)
            tfs[docs] = f
            tfSum &+= UInt64(f)
            if withPositions {
                let first = PostingsAccumulator.varint(p, &i)
                firsts[docs] = first
                firstSum &+= UInt64(first)
                var left = f &- 1
                while left > 0 {
                    let g = PostingsAccumulator.varint(p, &i)
                    positionGaps[n] = g
                    gapSum &+= UInt64(g)
                    n &+= 1
                    left &-= 1
                }
            }
            docs &+= 1
        }
        lists.docCount = docs
        lists.positionGapCount = n
        lists.tfSum = tfSum
        lists.firstSum = firstSum
        lists.gapSum = gapSum
    }

    /// The varint at `p[i]` (written by ``endDocument(_:)``); moves `i` past it.
    @inline(__always) private static func varint(_ p: UnsafePointer<UInt8>, _ i: inout Int) -> UInt32 {
        var b = p[i]
        i &+= 1
        if b < 0x80 { return UInt32(b) }
        var v = UInt32(b & 0x7F), shift: UInt32 = 7
        repeat {
            b = p[i]
            i &+= 1
            v |= UInt32(b & 0x7F) &<< shift
            shift &+= 7
        } while b >= 0x80
        return v
    }

    /// Starts loading term `t`'s state.
    @inline(__always) func prefetch(_ t: Int32) {
        sd_prefetch(terms + Int(t))
    }

    /// Starts loading what ``decode(_:into:)`` reads first of term `t`: its state and where
    /// its chunks start (`near`), or its first chunk (not `near`; the state and start loaded
    /// before).
    @inline(__always) func prefetchPostings(_ t: Int, near: Bool) {
        guard t < termCount else { return }
        if near {
            heads.withUnsafeBufferPointer { h in
                let c = h[t]
                if c != UInt32.max { sd_prefetch(arena.pointer(c)) }
            }
        } else {
            sd_prefetch(terms + t)
            heads.withUnsafeBufferPointer { h in sd_prefetch(h.baseAddress! + t) }
        }
    }

    /// Makes room for a new term id (ids are dense, in order); `withPositions` tells whether
    /// its postings keep positions.
    @inline(__always) mutating func addTerm(withPositions: Bool) {
        var s = TermState()
        s.positions = withPositions
        if termCount == termMemory.count {
            let bigger = Allocation(count: termCount * 2, repeating: TermState())
            bigger.pointer.update(from: terms, count: termCount)
            termMemory = bigger
            terms = bigger.pointer
        }
        terms[termCount] = s
        termCount += 1
        heads.append(UInt32.max)
    }

    /// Records one occurrence of term `t` at `pos` in document `doc` (positions ascending).
    @inline(__always) mutating func add(_ t: Int32, doc: Int32, pos: Int32) {
        let ti = Int(t)
        precondition(ti < termCount)
        let p = terms + ti
        if p.pointee.freq == 0 {
            distinct.append(t)
            p.pointee.freq = 1
            if p.pointee.positions {
                let o = Int32(occurrences.count)
                occurrences.append(Occurrence(pos: pos, next: -1))
                p.pointee.firstOcc = o
                p.pointee.lastOcc = o
            }
        } else {
            p.pointee.freq += 1
            if p.pointee.positions {
                let o = Int32(occurrences.count)
                occurrences.append(Occurrence(pos: pos, next: -1))
                let last = p.pointee.lastOcc
                // -1: the term's earlier occurrences were spilled.
                if last >= 0 {
                    occurrences.pointer[Int(last)].next = o
                } else {
                    p.pointee.firstOcc = o
                    seenAgain.append(t)
                }
                p.pointee.lastOcc = o
            }
        }
    }

    /// Spills the current document's positions when it holds `spillAt` occurrences or more
    /// (call between chunks: a long document's memory stays small whatever its length).
    @inline(__always) mutating func spillIfLarge() {
        if occurrences.count >= spillAt { spill() }
    }

    /// Moves the positions in `occurrences` to a new run of `spills`, by ascending term id.
    private mutating func spill() {
        var run = ByteWriter(capacity: occurrences.count * 2)
        let tb = terms, occ = occurrences.elements
        var held = seenAgain
        let all = distinct.elements
        for k in distinctSinceSpill..<all.count where tb[Int(all[k])].positions { held.append(all[k]) }
        held.sort()
        for t in held {
            let p = tb + Int(t)
            var count: UInt32 = 0
            var o = p.pointee.firstOcc
            while o >= 0 { count += 1; o = occ[Int(o)].next }
            run.varint(UInt32(bitPattern: t))
            run.varint(count)
            o = p.pointee.firstOcc
            var last: Int32 = 0
            while o >= 0 {
                let pos = occ[Int(o)].pos
                run.varint(UInt32(pos - last))
                last = pos
                o = occ[Int(o)].next
            }
            p.pointee.firstOcc = -1
            p.pointee.lastOcc = -1
        }
        spills.append(run.bytes)
        occurrences.removeAll()
        distinctSinceSpill = all.count
        seenAgain.removeAll(keepingCapacity: true)
    }

    /// Starts the term's first chunk, or links a new one (twice as large, up to 1 KB) at the end
    /// of its full one.
    private static func newChunk(_ s: inout TermState, _ head: inout UInt32, _ arena: inout ByteArena) {
        if head == UInt32.max {
            let c = arena.allocate(16)
            head = c
            s.writeAt = c
            s.room = UInt16(PostingsAccumulator.capacity(0))
        } else {
            let next = min(s.level + 1, PostingsAccumulator.maxLevel)
            s.level = next
            let c = arena.allocate(16 << Int(next))
            arena.pointer(s.writeAt).storeBytes(of: c, as: UInt32.self)
            s.writeAt = c
            s.room = UInt16(PostingsAccumulator.capacity(next))
        }
    }

    /// Appends a LEB128 varint to the term's chain of chunks.
    @inline(__always) private static func putVarint(_ s: inout TermState, _ value: UInt32, _ head: inout UInt32,
                                                    _ arena: inout ByteArena) {
        var v = value
        if s.room >= 5 {
            let p = arena.pointer(s.writeAt)
            var n = 0
            while v >= 0x80 {
                p.storeBytes(of: UInt8(truncatingIfNeeded: v) | 0x80, toByteOffset: n, as: UInt8.self)
                v >>= 7
                n += 1
            }
            p.storeBytes(of: UInt8(v), toByteOffset: n, as: UInt8.self)
            n += 1
            s.writeAt += UInt32(n)
            s.room -= UInt16(n)
            s.length += UInt32(n)
            return
        }
        while true {
            if s.room == 0 { newChunk(&s, &head, &arena) }
            let last = v < 0x80
            arena.pointer(s.writeAt).storeBytes(of: last ? UInt8(v) : UInt8(truncatingIfNeeded: v) | 0x80, as: UInt8.self)
            s.writeAt += 1
            s.room -= 1
            s.length += 1
            if last { return }
            v >>= 7
        }
    }

    /// Calls `body` with the pieces of term `t`'s postings, in order.
    private func forEachPiece(of t: Int, _ body: (UnsafeRawBufferPointer) -> Void) {
        precondition(t < termCount)
        var left = Int(terms[t].length)
        var chunk = heads[t]
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

    /// Writes the document's postings (positions for the terms added with them).
    /// Encoding per document (in memory; ``PostingsEncoder`` writes the segment's): varint(docDelta
    /// << 1 | 1) when tf = 1, else varint(docDelta << 1) and varint(tf); with positions, then tf
    /// varint position deltas.
    mutating func endDocument(_ doc: Int32) {
        var arena = ByteArena(), heads: [UInt32] = []
        swap(&arena, &self.arena); swap(&heads, &self.heads)
        let spills = self.spills
        var cursors = [Int](repeating: 0, count: spills.count)
        if !spills.isEmpty {
            // The runs list terms by id: so are the terms written, to meet them in turn.
            var ids = UnsafeMutableBufferPointer(start: self.distinct.pointer, count: self.distinct.count)
            ids.sort()
        }
        defer {
            self.distinct.removeAll()
            self.occurrences.removeAll()
            if !self.spills.isEmpty { self.spills = [] }
            distinctSinceSpill = 0
            seenAgain.removeAll()
            swap(&arena, &self.arena); swap(&heads, &self.heads)
        }
        let tb = terms
        let distinct = self.distinct.elements, occ = occurrences.elements
        heads.withUnsafeMutableBufferPointer { hb in
            let lookahead = 8
            for k in 0..<distinct.count {
                if k + 2 * lookahead < distinct.count { sd_prefetch(tb + Int(distinct[k + 2 * lookahead])) }
                if k + lookahead < distinct.count {
                    let w = tb[Int(distinct[k + lookahead])].writeAt
                    if tb[Int(distinct[k + lookahead])].length != 0 { sd_prefetch(arena.pointer(w)) }
                }
                let t = distinct[k]
                let ti = Int(t)
                var s = tb[ti]
                let delta = UInt32(doc - s.writtenDoc - 1) << 1
                s.writtenDoc = doc
                let f = s.freq
                if f == 1 {
                    PostingsAccumulator.putVarint(&s, delta | 1, &hb[ti], &arena)
                } else {
                    PostingsAccumulator.putVarint(&s, delta, &hb[ti], &arena)
                    PostingsAccumulator.putVarint(&s, UInt32(f), &hb[ti], &arena)
                }
                if s.positions {
                    var last: Int32 = 0
                    // Positions spilled earlier in the document, run by run (a cursor per run
                    // meets its terms in turn).
                    for r in 0..<spills.count where cursors[r] < spills[r].count {
                        spills[r].withUnsafeBufferPointer { run in
                            let p = run.baseAddress!
                            var i = cursors[r]
                            guard PostingsAccumulator.varint(p, &i) == UInt32(bitPattern: t) else { return }
                            let count = PostingsAccumulator.varint(p, &i)
                            var pos = Int32(bitPattern: PostingsAccumulator.varint(p, &i))
                            PostingsAccumulator.putVarint(&s, UInt32(pos - last), &hb[ti], &arena)
                            for _ in 1..<count {
                                let gap = PostingsAccumulator.varint(p, &i)
                                PostingsAccumulator.putVarint(&s, gap, &hb[ti], &arena)
                                pos += Int32(bitPattern: gap)
                            }
                            last = pos
                            cursors[r] = i
                        }
                    }
                    var o = s.lastOcc >= 0 ? s.firstOcc : -1
                    while o >= 0 {
                        let p = occ[Int(o)].pos
                        PostingsAccumulator.putVarint(&s, UInt32(p - last), &hb[ti], &arena)
                        last = p
                        o = occ[Int(o)].next
                    }
                }
                s.df += 1
                s.freq = 0
                tb[ti] = s
            }
        }
    }
}

/// One term's postings decoded from a ``PostingsAccumulator``: per document its gap (number minus
/// the previous one minus one), frequency and (with positions) first position, and the gaps
/// between the positions after each first. Buffers reused from term to term.
struct DecodedPostings: ~Copyable {
    private(set) var docGaps: UnsafeMutablePointer<UInt32>
    private(set) var tfs: UnsafeMutablePointer<UInt32>
    private(set) var firsts: UnsafeMutablePointer<UInt32>
    private(set) var positionGaps: UnsafeMutablePointer<UInt32>
    /// Room for the list's bytes, gathered from their chunks.
    private(set) var bytes: UnsafeMutableRawPointer
    var docCount = 0
    var positionGapCount = 0
    /// The sums of the frequencies, first positions and position gaps.
    var tfSum: UInt64 = 0, firstSum: UInt64 = 0, gapSum: UInt64 = 0
    private var capacity = 0

    init() {
        docGaps = .allocate(capacity: 1); tfs = .allocate(capacity: 1)
        firsts = .allocate(capacity: 1); positionGaps = .allocate(capacity: 1)
        bytes = .allocate(byteCount: 1, alignment: 8)
    }

    deinit {
        docGaps.deallocate(); tfs.deallocate(); firsts.deallocate(); positionGaps.deallocate(); bytes.deallocate()
    }

    /// Makes room for a list of `values` bytes of varints (each buffer, and `bytes`, can hold them all).
    mutating func reset(values: Int) {
        docCount = 0
        positionGapCount = 0
        guard values > capacity else { return }
        capacity = max(values, 2 * capacity)
        docGaps.deallocate(); tfs.deallocate(); firsts.deallocate(); positionGaps.deallocate(); bytes.deallocate()
        docGaps = .allocate(capacity: capacity); tfs = .allocate(capacity: capacity)
        firsts = .allocate(capacity: capacity); positionGaps = .allocate(capacity: capacity)
        bytes = .allocate(byteCount: capacity, alignment: 8)
    }
}
