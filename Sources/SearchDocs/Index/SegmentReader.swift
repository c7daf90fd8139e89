import CZstd
import Synchronization

/// One document's record in a segment.
struct DocRecord: Sendable {
    var path: String
    var title: String
    /// The title's match text as UTF-8 (for single-character title checks).
    var matchTitle: [UInt8]
    var charLength: UInt32
    var wordCount: UInt32
    /// The title's match-text positions, `titleStart..<titleEnd`.
    var titleStart: UInt32
    var titleEnd: UInt32
    var blockFirst: UInt32
    var blockCount: UInt32
    var size: UInt64
    var modificationTimeNs: Int64
    var contentHash: UInt64
    var flags: UInt32
    /// The disclosure metadata (索引号, 发布机构, 生成日期 …).
    var metadata: DisclosureMetadata
}

/// A postings list as stored: bytes to decode with ``PostingsCursor``, its header read.
struct PostingsSlice {
    var base: UnsafeRawPointer
    var count: Int
    var df: Int
    var hasPositions: Bool
    var codes: PostingsCodes
    /// Where the documents start: the first bit after the header.
    var start: Int
    /// Where the unary parts of the positions start (with positions and df > 1; else -1: with
    /// one document, they follow it).
    var unaryStart: Int
}

/// Walks a postings list document by document. With positions, moving past a document skips
/// its positions' low parts (they have a known width); the unary parts are passed over only
/// when positions are asked for (see ``positionIterator(shift:)``).
struct PostingsCursor {
    private var reader: BitReader
    private let codes: PostingsCodes
    private let hasPositions: Bool
    private var docsLeft: Int
    private(set) var doc: Int32 = -1
    private(set) var tf: Int32 = 0
    /// Where the current document's low parts of positions start.
    private var lowAt = 0
    /// How many positions the documents before the current one have.
    private var positionsBefore = 0
    /// Where the unary parts of the positions after the first `unaryPassed` ones start: those of
    /// the current document once ``findUnary()`` has passed over the ones before it (`unaryAt`
    /// is -1 until known, with one document).
    private var unaryAt: Int
    private var unaryPassed = 0

    /// The bit after what the cursor has read (after the last document: where the unary parts
    /// of the positions start).
    var bit: Int { reader.bit }

    init(_ slice: PostingsSlice) {
        reader = BitReader(slice.base, count: slice.count, bit: slice.start)
        codes = slice.codes
        hasPositions = slice.hasPositions
        docsLeft = slice.df
        unaryAt = slice.unaryStart
    }

    /// Moves to the next document; false at the end.
    @inline(__always) mutating func next() throws(ReadError) -> Bool {
        if docsLeft == 0 { doc = Int32.max; return false }
        docsLeft -= 1
        let (gap, tfMinusOne) = try reader.rice(codes.doc, codes.tf)
        let next = Int(doc) &+ 1 &+ Int(gap)
        guard next < Int(Int32.max), tfMinusOne < UInt32(Int32.max) else { throw .truncated }
        positionsBefore &+= Int(tf)
        doc = Int32(truncatingIfNeeded: next)
        tf = Int32(truncatingIfNeeded: tfMinusOne) &+ 1
        if hasPositions {
            lowAt = reader.bit
            try reader.skip(bits: codes.first &+ Int(tfMinusOne) &* codes.gap)
        }
        return true
    }

    /// Moves to the first document ≥ target; false at the end.
    @inline(__always) mutating func advance(to target: Int32) throws(ReadError) -> Bool {
        while doc < target { if try !next() { return false } }
        return true
    }

    /// The current document's positions one at a time (with `shift` subtracted); the iterator
    /// stays valid after the cursor moves on. A damaged list makes its `next()` throw.
    @inline(__always) mutating func positionIterator(shift: Int32 = 0) -> PositionIterator {
        findUnary()
        return PositionIterator(base: reader.base, count: reader.count, unary: unaryAt, low: lowAt, left: tf,
                                codes: codes, shift: shift)
    }

    /// Where the current document's positions are, to make their iterator later with a
    /// ``PositionFinder`` of the list: 8 bytes to keep instead of an iterator's 56. The unary parts
    /// of the positions before them are not passed over here (that is most of the work of finding
    /// them), only for the documents whose positions are read.
    @inline(__always) func positionsAt() -> PositionsAt {
        // Lists are far smaller than 2^32 bits (512 MB); a damaged one reads as truncated.
        let end = UInt32(truncatingIfNeeded: min(reader.count * 8, Int(UInt32.max)))
        return PositionsAt(before: UInt32(truncatingIfNeeded: min(positionsBefore, Int(UInt32.max))),
                           low: lowAt <= Int(end) ? UInt32(lowAt) : end)
    }

    /// Moves `unaryAt` to the current document's unary parts.
    @inline(__always) private mutating func findUnary() {
        if unaryAt < 0 {
            // One document: its unary parts follow it.
            unaryAt = reader.bit
        } else if positionsBefore > unaryPassed {
            do throws(ReadError) {
                unaryAt = try BitReader.skipOnes(reader.base, count: reader.count, bit: unaryAt,
                                                 ones: positionsBefore - unaryPassed)
            } catch { unaryAt = reader.count * 8 }
        }
        unaryPassed = positionsBefore
    }
}

/// Where a document's positions are in its list (see ``PostingsCursor/positionsAt()``).
struct PositionsAt {
    /// How many positions the list's documents before it have: their unary parts come first.
    var before: UInt32
    /// Where its positions' low parts start.
    var low: UInt32
}

/// Makes the position iterators of a list's documents from their ``PositionsAt``, the documents
/// taken in order (any may be left out): it passes over the unary parts of the positions in
/// between, a window at a time.
struct PositionFinder {
    private let slice: PostingsSlice
    /// Where the unary parts of the positions after the first `passed` ones start.
    private var bit: Int
    private var passed = 0

    init(_ slice: PostingsSlice) {
        self.slice = slice
        bit = slice.unaryStart
    }

    /// The positions of the document at `at`, `tf` of them; its documents must come in order.
    @inline(__always) mutating func positions(_ at: PositionsAt, tf: Int32) throws(ReadError) -> PositionIterator {
        let unary: Int
        if slice.unaryStart < 0 {
            // One document: its unary parts follow its low parts.
            unary = Int(at.low) &+ slice.codes.first &+ Int(max(tf, 1) &- 1) &* slice.codes.gap
        } else {
            let skip = Int(at.before) &- passed
            precondition(skip >= 0, "a list's positions are found in document order")
            if skip > 0 { bit = try BitReader.skipOnes(slice.base, count: slice.count, bit: bit, ones: skip) }
            passed = Int(at.before)
            unary = bit
        }
        return PositionIterator(base: slice.base, count: slice.count, unary: unary, low: Int(at.low), left: tf,
                                codes: slice.codes, shift: 0)
    }
}

/// See ``PostingsCursor/positionIterator(shift:)``.
struct PositionIterator {
    private let base: UnsafeRawPointer
    private let count: Int
    private var unary: Int
    private var low: Int
    private var left: Int32
    private var k: Int32
    private let gap: Int32
    private let shift: Int32
    private var p: Int32 = 0

    fileprivate init(base: UnsafeRawPointer, count: Int, unary: Int, low: Int, left: Int32, codes: PostingsCodes,
                     shift: Int32) {
        self.base = base
        self.count = count
        self.unary = unary
        self.low = low
        self.left = left
        k = Int32(codes.first)
        gap = Int32(codes.gap)
        self.shift = shift
    }

    /// The next position, or nil after the last.
    @inline(__always) mutating func next() throws(ReadError) -> Int32? {
        if left == 0 { return nil }
        left -= 1
        let w = BitReader.window(base, count: count, bit: unary)
        if w == 0 { return try nextSlowly() }
        let q = w.trailingZeroBitCount
        unary = unary &+ q &+ 1
        guard unary <= count &* 8 else { throw .truncated }
        // Values of a damaged list may come out wrong here, never out of bounds.
        let lw = BitReader.window(base, count: count, bit: low)
        let v = UInt32(truncatingIfNeeded: q) &<< UInt32(bitPattern: k)
            | UInt32(truncatingIfNeeded: lw & ((1 &<< UInt64(truncatingIfNeeded: k)) &- 1))
        low = low &+ Int(k)
        k = gap
        p &+= Int32(bitPattern: v)
        return p &- shift
    }

    /// ``next()`` for a unary part longer than a window.
    @inline(never) private mutating func nextSlowly() throws(ReadError) -> Int32? {
        let q = try BitReader.unary(base, count: count, bit: &unary)
        guard q < Int(RiceCode.limit) >> Int(k) else { throw .truncated }
        var v = UInt32(truncatingIfNeeded: q) << UInt32(k)
        if k > 0 {
            let lw = BitReader.window(base, count: count, bit: low)
            v |= UInt32(truncatingIfNeeded: lw & ((1 << UInt64(k)) - 1))
            low += Int(k)
        }
        k = gap
        p &+= Int32(bitPattern: v)
        return p &- shift
    }
}

/// Reads a segment file through a memory map; reads only the pages a query touches.
/// Thread safe: all state is immutable after opening.
final class SegmentReader: Sendable {
    let name: String
    private let file: MappedFile
    private let sections: [(offset: Int, length: Int, crc: UInt32)]
    let docCount: Int
    let totalChars: UInt64
    let totalWords: UInt64
    /// Documents that have a 索引号.
    let withIndexNumber: Int
    /// The address of the digested text dictionary, made when a block is first decompressed (0
    /// until then, or when the segment has none); kept as a number, which is Sendable.
    private let textDictionary = Mutex<UInt>(0)
    /// The number of distinct character grams and words.
    let gramTermCount: Int
    let wordTermCount: Int

    /// Opens a segment: checks the header, the trailer and its checksum, and section bounds.
    init(path: String, name: String) throws(IndexError) {
        self.name = name
        file = try MappedFile(path: path)
        let b = file.base, n = file.count
        func corrupt(_ d: String) -> IndexError { .corrupt(file: name, detail: d) }
        guard n >= SegmentFormat.headerSize + SegmentFormat.trailerSize else { throw corrupt("file too short") }
        for (i, m) in SegmentFormat.magic.enumerated() where b.load(fromByteOffset: i, as: UInt8.self) != m {
            throw corrupt("not a segment file")
        }
        let version = b.u32(at: 8)
        guard version == SegmentFormat.version else {
            throw .formatVersion(found: Int(version), supported: Int(SegmentFormat.version))
        }
        let t = n - SegmentFormat.trailerSize
        for (i, m) in SegmentFormat.endMagic.enumerated() where b.load(fromByteOffset: n - 8 + i, as: UInt8.self) != m {
            throw corrupt("trailer missing")
        }
        let crcAt = SegmentFormat.trailerSize - 16
        guard crc32(b + t, crcAt) == b.u32(at: t + crcAt) else { throw corrupt("trailer checksum mismatch") }
        var secs: [(Int, Int, UInt32)] = []
        for s in 0..<SegmentFormat.Section.allCases.count {
            let o = Int(b.u64(at: t + s * 24)), l = Int(b.u64(at: t + s * 24 + 8))
            guard o >= SegmentFormat.headerSize, l >= 0, o + l <= t else { throw corrupt("section out of bounds") }
            secs.append((o, l, b.u32(at: t + s * 24 + 16)))
        }
        sections = secs
        let statsAt = t + SegmentFormat.Section.allCases.count * 24
        docCount = Int(b.u32(at: statsAt))
        withIndexNumber = Int(b.u32(at: statsAt + 4))
        totalChars = b.u64(at: statsAt + 8)
        totalWords = b.u64(at: statsAt + 16)
        gramTermCount = Int(b.u64(at: statsAt + 24))
        wordTermCount = Int(b.u64(at: statsAt + 32))
        guard sections[SegmentFormat.Section.docTable.rawValue].length == docCount * SegmentFormat.docRecordSize else {
            throw corrupt("document table size")
        }
    }

    deinit {
        textDictionary.withLock { d in if let p = UnsafeMutableRawPointer(bitPattern: d) { sd_zstd_ddict_free(p) } }
    }

    /// The size of the file in bytes.
    var byteCount: Int { file.count }

    private func section(_ s: SegmentFormat.Section) -> (base: UnsafeRawPointer, length: Int) {
        let e = sections[s.rawValue]
        return (file.base + e.offset, e.length)
    }

    private func corrupt(_ detail: String) -> IndexError { .corrupt(file: name, detail: detail) }

    /// Bytes per section, for `stats`.
    var sectionSizes: [(SegmentFormat.Section, Int)] {
        SegmentFormat.Section.allCases.map { ($0, sections[$0.rawValue].length) }
    }

    /// Checks every section's checksum (for `verify`); returns the damaged sections.
    func verifySections() -> [SegmentFormat.Section] {
        SegmentFormat.Section.allCases.filter { s in
            let e = sections[s.rawValue]
            return crc32(file.base + e.offset, e.length) != e.crc
        }
    }

    /// The postings of a character (key < 2^32) or character pair, or nil when absent: a binary
    /// search of the block index, then one dictionary block decoded.
    func gramPostings(_ key: UInt64) throws(IndexError) -> PostingsSlice? {
        let (index, ilen) = section(.gramIndex)
        let size = SegmentFormat.gramIndexEntrySize
        let n = ilen / size
        // The last block whose first key is ≤ key.
        var lo = 0, hi = n
        while lo < hi {
            let mid = (lo + hi) / 2
            let e = index + mid * size
            guard crc32(e, 12) == e.u32(at: 12) else { throw corrupt("dictionary index checksum mismatch") }
            if e.u64(at: 0) <= key { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0 else { return nil }
        let blockNo = lo - 1
        var r = try dictionaryBlock(blockNo, of: .gramDict, index: index, entrySize: size, count: n, offsetAt: 8)
        var found: (offset: UInt64, length: Int, df: Int)?
        do throws(ReadError) {
            var offset = try r.varint64()
            var k = index.u64(at: blockNo * size)
            while !r.isAtEnd {
                k &+= try r.varint64()
                let length = Int(try r.varint()), df = Int(try r.varint())
                if k == key { found = (offset, length, df); break }
                if k > key { break }
                offset &+= UInt64(length)
            }
        } catch { throw corrupt("dictionary block truncated") }
        guard let found else { return nil }
        return try postings(offset: found.offset, length: found.length, df: found.df, of: .gramPostings, pages: .gramPages,
                            hasPositions: key >> 32 != 0)
    }

    /// The postings of a word (UTF-8 bytes of its normalized form), or nil when absent.
    func wordPostings(_ word: [UInt8]) throws(IndexError) -> PostingsSlice? {
        let (index, ilen) = section(.wordIndex)
        let size = SegmentFormat.wordIndexEntrySize
        let n = ilen / size
        var lo = 0, hi = n
        while lo < hi {
            let mid = (lo + hi) / 2
            let first = try firstWord(ofBlock: mid, index: index, count: n)
            if compareBytes(word, first) >= 0 { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0 else { return nil }
        var r = try dictionaryBlock(lo - 1, of: .wordDict, index: index, entrySize: size, count: n, offsetAt: 0)
        var found: (offset: UInt64, length: Int, df: Int)?
        do throws(ReadError) {
            var offset = try r.varint64()
            var current: [UInt8] = []
            while !r.isAtEnd {
                let shared = Int(try r.varint()), suffix = Int(try r.varint())
                guard shared <= current.count else { throw ReadError.truncated }
                let at = r.offset
                try r.skip(suffix)
                current.removeLast(current.count - shared)
                current.append(contentsOf: UnsafeRawBufferPointer(start: r.base + at, count: suffix))
                let length = Int(try r.varint()), df = Int(try r.varint())
                let cmp = current.withUnsafeBytes { compareBytes(word, $0) }
                if cmp == 0 { found = (offset, length, df); break }
                if cmp < 0 { break }
                offset &+= UInt64(length)
            }
        } catch { throw corrupt("word dictionary block truncated") }
        guard let found else { return nil }
        return try postings(offset: found.offset, length: found.length, df: found.df, of: .wordPostings, pages: .wordPages,
                            hasPositions: false)
    }

    /// The first word of a word dictionary block, its index entry's checksum checked.
    private func firstWord(ofBlock i: Int, index: UnsafeRawPointer, count n: Int) throws(IndexError) -> UnsafeRawBufferPointer {
        let (dict, dlen) = section(.wordDict)
        let e = index + i * SegmentFormat.wordIndexEntrySize
        let start = Int(e.u32(at: 0))
        let end = i + 1 < n ? Int(e.u32(at: SegmentFormat.wordIndexEntrySize)) : dlen
        guard start < end, end <= dlen else { throw corrupt("word dictionary index out of bounds") }
        var r = ByteReader(dict + start, count: end - start)
        let word: UnsafeRawBufferPointer
        do throws(ReadError) {
            _ = try r.varint64()
            _ = try r.varint()
            let length = Int(try r.varint())
            let at = r.offset
            try r.skip(length)
            word = UnsafeRawBufferPointer(start: dict + start + at, count: length)
        } catch { throw corrupt("word dictionary index checksum mismatch") }
        guard crc32(word.baseAddress!, word.count, seed: crc32(e, 4)) == e.u32(at: 4) else {
            throw corrupt("word dictionary index checksum mismatch")
        }
        return word
    }

    /// A reader over dictionary block `i` (without its crc), the crc checked. `offsetAt` is
    /// where the block offset stands in an index entry.
    private func dictionaryBlock(_ i: Int, of s: SegmentFormat.Section, index: UnsafeRawPointer, entrySize: Int,
                                 count n: Int, offsetAt: Int) throws(IndexError) -> ByteReader {
        let (dict, dlen) = section(s)
        let start = Int(index.u32(at: i * entrySize + offsetAt))
        let end = i + 1 < n ? Int(index.u32(at: (i + 1) * entrySize + offsetAt)) : dlen
        guard start + 4 <= end, end <= dlen else { throw corrupt("dictionary block out of bounds") }
        guard crc32(dict + start, end - start - 4) == (dict + end - 4).u32(at: 0) else {
            throw corrupt("dictionary block checksum mismatch")
        }
        return ByteReader(dict + start, count: end - start - 4)
    }

    /// A postings list, the crc of each page it touches checked, and its header read.
    private func postings(offset: UInt64, length: Int, df: Int, of s: SegmentFormat.Section, pages p: SegmentFormat.Section,
                          hasPositions: Bool) throws(IndexError) -> PostingsSlice {
        let (base, len) = section(s)
        let (pages, plen) = section(p)
        guard offset <= UInt64(len), length <= len - Int(offset) else { throw corrupt("postings out of bounds") }
        let o = Int(offset)
        if length > 0 {
            let size = SegmentFormat.pageSize
            let first = o / size, last = (o + length - 1) / size
            guard (last + 1) * 4 <= plen else { throw corrupt("postings page table too short") }
            for page in first...last {
                let a = page * size, b = min(a + size, len)
                guard crc32(base + a, b - a) == pages.u32(at: page * 4) else { throw corrupt("postings checksum mismatch") }
            }
        }
        var r = BitReader(base + o, count: length)
        let codes: PostingsCodes
        do throws(ReadError) {
            codes = try PostingsCodes(reading: &r, documents: docCount, df: df, hasPositions: hasPositions)
        } catch { throw corrupt("postings header truncated") }
        var slice = PostingsSlice(base: base + o, count: length, df: df, hasPositions: hasPositions, codes: codes,
                                  start: r.bit, unaryStart: -1)
        if codes.docBits >= 0 {
            guard codes.docBits <= length * 8 - r.bit else { throw corrupt("postings header out of bounds") }
            slice.unaryStart = r.bit + codes.docBits
        } else if hasPositions && df > 1 {
            // A short list: its unary parts follow its last document.
            var c = PostingsCursor(slice)
            do throws(ReadError) {
                while try c.next() {}
            } catch { throw corrupt("postings truncated") }
            slice.unaryStart = c.bit
        }
        return slice
    }

    private func compareBytes(_ a: [UInt8], _ b: UnsafeRawBufferPointer) -> Int {
        let n = min(a.count, b.count)
        for i in 0..<n {
            let x = a[i], y = b[i]
            if x != y { return x < y ? -1 : 1 }
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    /// The record of document `i`, its checksum checked unless `checked` is false (for a record
    /// whose ``docFacts(_:)`` this process has checked already: the same bytes).
    func doc(_ i: Int, checked: Bool = true) throws(IndexError) -> DocRecord {
        guard i >= 0 && i < docCount else { throw corrupt("document number out of range") }
        let r = section(.docTable).base + i * SegmentFormat.docRecordSize
        let (strings, slen) = section(.docStrings)
        typealias L = DocRecordLayout
        func str(_ at: Int) throws(IndexError) -> UnsafeRawBufferPointer {
            let o = Int(r.u32(at: at)), l = Int(r.u32(at: at + 4))
            guard o + l <= slen else { throw corrupt("document string out of bounds") }
            return UnsafeRawBufferPointer(start: strings + o, count: l)
        }
        let path = try str(L.pathOffset), title = try str(L.titleOffset), mt = try str(L.matchTitleOffset)
        let meta = try str(L.metadataOffset)
        if checked {
            var crc = crc32(r, L.crc)
            for s in [path, title, mt, meta] where s.count > 0 { crc = crc32(s.baseAddress!, s.count, seed: crc) }
            guard crc == r.u32(at: L.crc) else { throw corrupt("document record checksum mismatch") }
        }
        return DocRecord(
            path: String(decoding: path, as: UTF8.self), title: String(decoding: title, as: UTF8.self),
            matchTitle: Array(mt), charLength: r.u32(at: L.charLength), wordCount: r.u32(at: L.wordCount),
            titleStart: r.u32(at: L.titleStart), titleEnd: r.u32(at: L.titleEnd),
            blockFirst: r.u32(at: L.blockFirst), blockCount: r.u32(at: L.blockCount),
            size: r.u64(at: L.size), modificationTimeNs: Int64(bitPattern: r.u64(at: L.mtime)),
            contentHash: r.u64(at: L.hash), flags: r.u32(at: L.flags),
            metadata: meta.isEmpty ? DisclosureMetadata() : DisclosureMetadata(serialized: meta))
    }

    /// The content hash of document `i`'s text, read without checking its record (for a record
    /// whose ``docFacts(_:)`` this process has checked already).
    func contentHash(_ i: Int) throws(IndexError) -> UInt64 {
        guard i >= 0 && i < docCount else { throw corrupt("document number out of range") }
        return (section(.docTable).base + i * SegmentFormat.docRecordSize).u64(at: DocRecordLayout.hash)
    }

    /// What ranking needs of document `i` (lengths, title span, where its strings are), its
    /// checksum checked as ``doc(_:)`` checks it, without decoding its strings.
    func docFacts(_ i: Int) throws(IndexError) -> DocFacts {
        guard i >= 0 && i < docCount else { throw corrupt("document number out of range") }
        let r = section(.docTable).base + i * SegmentFormat.docRecordSize
        let (strings, slen) = section(.docStrings)
        typealias L = DocRecordLayout
        var crc = crc32(r, L.crc)
        func add(_ at: Int) throws(IndexError) {
            let o = Int(r.u32(at: at)), l = Int(r.u32(at: at + 4))
            guard o + l <= slen else { throw corrupt("document string out of bounds") }
            if l > 0 { crc = crc32(strings + o, l, seed: crc) }
        }
        try add(L.pathOffset); try add(L.titleOffset); try add(L.matchTitleOffset); try add(L.metadataOffset)
        guard crc == r.u32(at: L.crc) else { throw corrupt("document record checksum mismatch") }
        return DocFacts(
            charLength: r.u32(at: L.charLength), wordCount: r.u32(at: L.wordCount),
            titleStart: r.u32(at: L.titleStart), titleEnd: r.u32(at: L.titleEnd),
            path: (r.u32(at: L.pathOffset), r.u32(at: L.pathLength)),
            matchTitle: (r.u32(at: L.matchTitleOffset), r.u32(at: L.matchTitleLength)),
            metadata: (r.u32(at: L.metadataOffset), r.u32(at: L.metadataLength)))
    }

    /// The bytes of the document strings section at a ``DocFacts`` string's place (checked by
    /// ``docFacts(_:)``); valid while the reader lives.
    func docString(_ s: (offset: UInt32, length: UInt32)) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: section(.docStrings).base + Int(s.offset), count: Int(s.length))
    }

    /// The match position block `i` starts at, without decompressing it.
    func blockMatchStart(_ i: Int) throws(IndexError) -> Int {
        let (table, tlen) = section(.blockTable)
        let size = SegmentFormat.blockEntrySize
        guard i >= 0, (i + 1) * size <= tlen else { throw corrupt("block number out of range") }
        let e = table + i * size
        guard crc32(e, 28) == e.u32(at: 28) else { throw corrupt("block entry checksum mismatch") }
        return Int(e.u32(at: 16))
    }

    /// A text block: its original UTF-8 text, the match position it starts at and the match-text state there.
    func block(_ i: Int) throws(IndexError) -> (text: [UInt8], matchStart: Int, state: MatchTextState) {
        let (table, tlen) = section(.blockTable)
        let size = SegmentFormat.blockEntrySize
        guard i >= 0, (i + 1) * size <= tlen else { throw corrupt("block number out of range") }
        let e = table + i * size
        guard crc32(e, 28) == e.u32(at: 28) else { throw corrupt("block entry checksum mismatch") }
        let o = Int(e.u64(at: 0)), cl = Int(e.u32(at: 8)), rl = Int(e.u32(at: 12))
        let (data, dlen) = section(.blockData)
        guard o + cl <= dlen else { throw corrupt("block out of bounds") }
        guard crc32(data + o, cl) == e.u32(at: 24) else { throw corrupt("text block checksum mismatch") }
        var out = [UInt8](repeating: 0, count: rl)
        if rl > 0 {
            let dictionary = sections[SegmentFormat.Section.textDict.rawValue].length > 0 ? try digestedDictionary() : nil
            let got = out.withUnsafeMutableBytes { d in
                if let dictionary { return sd_zstd_decompress_ddict(d.baseAddress, rl, data + o, cl, dictionary) }
                return sd_zstd_decompress(d.baseAddress, rl, data + o, cl)
            }
            guard got == rl else { throw corrupt("text block does not decompress") }
        }
        return (out, Int(e.u32(at: 16)), MatchTextState(byte: UInt8(truncatingIfNeeded: e.u32(at: 20))))
    }

    /// The text dictionary, digested on first use; its checksum is checked then.
    private func digestedDictionary() throws(IndexError) -> UnsafeMutableRawPointer {
        let e = sections[SegmentFormat.Section.textDict.rawValue]
        let base = file.base
        let made = textDictionary.withLock { d -> UInt in
            if d == 0, crc32(base + e.offset, e.length) == e.crc {
                d = UInt(bitPattern: sd_zstd_ddict_new(base + e.offset, e.length))
            }
            return d
        }
        guard let p = UnsafeMutableRawPointer(bitPattern: made) else { throw corrupt("text dictionary checksum mismatch") }
        return p
    }
}
