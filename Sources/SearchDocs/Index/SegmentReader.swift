import CZstd

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

/// A postings list as stored: bytes to decode with ``PostingsCursor``.
struct PostingsSlice {
    var base: UnsafeRawPointer
    var count: Int
    var df: Int
    var hasPositions: Bool
}

/// Walks a postings list document by document.
struct PostingsCursor {
    private var reader: ByteReader
    private let hasPositions: Bool
    private(set) var doc: Int32 = -1
    private(set) var tf: Int32 = 0
    private var positionsOffset = 0
    private var positionsLength = 0

    init(_ slice: PostingsSlice) {
        reader = ByteReader(slice.base, count: slice.count)
        hasPositions = slice.hasPositions
    }

    /// Moves to the next document; false at the end.
    @inline(__always) mutating func next() throws(ReadError) -> Bool {
        if reader.isAtEnd { doc = Int32.max; return false }
        doc = doc + 1 + Int32(try reader.varint())
        tf = Int32(try reader.varint())
        if hasPositions {
            positionsLength = Int(try reader.varint())
            positionsOffset = reader.offset
            try reader.skip(positionsLength)
        }
        return true
    }

    /// Moves to the first document ≥ target; false at the end.
    @inline(__always) mutating func advance(to target: Int32) throws(ReadError) -> Bool {
        while doc < target { if try !next() { return false } }
        return true
    }

    /// The current document's positions, appended to `out` (with `shift` subtracted).
    func positions(into out: inout [Int32], shift: Int32 = 0) throws(ReadError) {
        var r = ByteReader(reader.base + positionsOffset, count: positionsLength)
        var p: Int32 = 0
        while !r.isAtEnd {
            p += Int32(try r.varint())
            out.append(p - shift)
        }
    }
}

extension PostingsCursor {
    /// The current document's positions one at a time (with `shift` subtracted), the values
    /// ``positions(into:shift:)`` appends.
    func positionIterator(shift: Int32 = 0) -> PositionIterator {
        PositionIterator(reader: ByteReader(reader.base + positionsOffset, count: positionsLength), shift: shift)
    }
}

/// See ``PostingsCursor/positionIterator(shift:)``.
struct PositionIterator {
    fileprivate var reader: ByteReader
    fileprivate let shift: Int32
    private var p: Int32 = 0

    fileprivate init(reader: ByteReader, shift: Int32) { self.reader = reader; self.shift = shift }

    /// The next position, or nil after the last.
    @inline(__always) mutating func next() throws(ReadError) -> Int32? {
        if reader.isAtEnd { return nil }
        p += Int32(try reader.varint())
        return p - shift
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
        guard sections[SegmentFormat.Section.docTable.rawValue].length == docCount * SegmentFormat.docRecordSize else {
            throw corrupt("document table size")
        }
    }

    /// The size of the file in bytes.
    var byteCount: Int { file.count }

    private func section(_ s: SegmentFormat.Section) -> (base: UnsafeRawPointer, length: Int) {
        let e = sections[s.rawValue]
        return (file.base + e.offset, e.length)
    }

    private func corrupt(_ detail: String) -> IndexError { .corrupt(file: name, detail: detail) }

    /// The number of distinct character grams and words.
    var gramTermCount: Int { section(.gramDict).length / SegmentFormat.gramEntrySize }
    var wordTermCount: Int { section(.wordDict).length / SegmentFormat.wordEntrySize }

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

    /// The postings of a character (key < 2^32) or character pair, or nil when absent.
    func gramPostings(_ key: UInt64) throws(IndexError) -> PostingsSlice? {
        let (dict, len) = section(.gramDict)
        let size = SegmentFormat.gramEntrySize
        var lo = 0, hi = len / size
        while lo < hi {
            let mid = (lo + hi) / 2
            let e = dict + mid * size
            guard crc32(e, 28) == e.u32(at: 28) else { throw corrupt("dictionary entry checksum mismatch") }
            let k = e.u64(at: 0)
            if k == key { return try postings(entry: e, of: .gramPostings, hasPositions: key >> 32 != 0) }
            if k < key { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }

    /// The postings of a word (UTF-8 bytes of its normalized form), or nil when absent.
    func wordPostings(_ word: [UInt8]) throws(IndexError) -> PostingsSlice? {
        let (dict, len) = section(.wordDict)
        let (strings, slen) = section(.wordStrings)
        let size = SegmentFormat.wordEntrySize
        var lo = 0, hi = len / size
        while lo < hi {
            let mid = (lo + hi) / 2
            let e = dict + mid * size
            let so = Int(e.u32(at: 0)), sl = Int(e.u32(at: 4))
            guard so + sl <= slen else { throw corrupt("word string out of bounds") }
            guard crc32(strings + so, sl, seed: crc32(e, 28)) == e.u32(at: 28) else {
                throw corrupt("word dictionary entry checksum mismatch")
            }
            let cmp = compareBytes(word, strings + so, sl)
            if cmp == 0 { return try postings(entry: e, of: .wordPostings, hasPositions: false) }
            if cmp > 0 { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }

    /// Reads offset u64, length u32, df u32, crc u32 at `e + 8` (both dictionaries lay entries out alike) and checks the postings' checksum.
    private func postings(entry e: UnsafeRawPointer, of s: SegmentFormat.Section, hasPositions: Bool) throws(IndexError) -> PostingsSlice {
        let (base, len) = section(s)
        let o = Int(e.u64(at: 8))
        let l = Int(e.u32(at: 16))
        let df = Int(e.u32(at: 20))
        let crc = e.u32(at: 24)
        guard o + l <= len else { throw corrupt("postings out of bounds") }
        guard crc32(base + o, l) == crc else { throw corrupt("postings checksum mismatch") }
        return PostingsSlice(base: base + o, count: l, df: df, hasPositions: hasPositions)
    }

    private func compareBytes(_ a: [UInt8], _ b: UnsafeRawPointer, _ bl: Int) -> Int {
        let n = min(a.count, bl)
        for i in 0..<n {
            let x = a[i], y = b.load(fromByteOffset: i, as: UInt8.self)
            if x != y { return x < y ? -1 : 1 }
        }
        return a.count == bl ? 0 : (a.count < bl ? -1 : 1)
    }

    /// The record of document `i`, its checksum checked.
    func doc(_ i: Int) throws(IndexError) -> DocRecord {
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
        var crc = crc32(r, L.crc)
        for s in [path, title, mt, meta] where s.count > 0 { crc = crc32(s.baseAddress!, s.count, seed: crc) }
        guard crc == r.u32(at: L.crc) else { throw corrupt("document record checksum mismatch") }
        return DocRecord(
            path: String(decoding: path, as: UTF8.self), title: String(decoding: title, as: UTF8.self),
            matchTitle: Array(mt), charLength: r.u32(at: L.charLength), wordCount: r.u32(at: L.wordCount),
            titleStart: r.u32(at: L.titleStart), titleEnd: r.u32(at: L.titleEnd),
            blockFirst: r.u32(at: L.blockFirst), blockCount: r.u32(at: L.blockCount),
            size: r.u64(at: L.size), modificationTimeNs: Int64(bitPattern: r.u64(at: L.mtime)),
            contentHash: r.u64(at: L.hash), flags: r.u32(at: L.flags),
            metadata: meta.isEmpty ? DisclosureMetadata() : DisclosureMetadata(serialized: String(decoding: meta, as: UTF8.self)))
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
            let got = out.withUnsafeMutableBytes { sd_zstd_decompress($0.baseAddress, rl, data + o, cl) }
            guard got == rl else { throw corrupt("text block does not decompress") }
        }
        return (out, Int(e.u32(at: 16)), MatchTextState(byte: UInt8(truncatingIfNeeded: e.u32(at: 20))))
    }
}
