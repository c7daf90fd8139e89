#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What ranking needs of a document record: lengths, the title's span, and where its strings
/// are in the segment (read with ``SegmentReader/docString(_:)``). Read with
/// ``SegmentReader/docFacts(_:)``, which checks the record's checksum.
struct DocFacts: Sendable {
    var charLength: UInt32 = 0
    var wordCount: UInt32 = 0
    var titleStart: UInt32 = 0
    var titleEnd: UInt32 = 0
    var path: (offset: UInt32, length: UInt32) = (0, 0)
    var matchTitle: (offset: UInt32, length: UInt32) = (0, 0)
    var metadata: (offset: UInt32, length: UInt32) = (0, 0)
    /// The characters of the match-text title as a 64-bit set: bit ``titleBit(utf8:)`` of each
    /// (a character whose bit is clear is not in the title; one whose bit is set may be). 0 until
    /// a title check first needs it (a title with a character always has a bit set).
    var titleChars: UInt64 = 0
    /// False for a slot of ``DocFactsTable`` not read yet.
    var known = true

    /// The bit of ``titleChars`` for a character given as its UTF-8 bytes (the first in the low
    /// byte): the top six bits of a multiplicative hash.
    @inline(__always) static func titleBit(utf8: UInt32) -> UInt64 {
        1 << ((utf8 &* 0x9E37_79B1) >> 26)
    }

    /// ``titleChars`` of a match-text title (UTF-8).
    static func titleChars(of title: UnsafeRawBufferPointer) -> UInt64 {
        var bits: UInt64 = 0
        var i = 0
        let n = title.count
        while i < n {
            let b = title[i]
            let len = utf8Length(lead: b)
            guard i + len <= n else { break }
            var utf8 = UInt32(b)
            var k = 1
            while k < len { utf8 |= UInt32(title[i + k]) << (8 * UInt32(k)); k += 1 }
            bits |= titleBit(utf8: utf8)
            i += len
        }
        return bits
    }

    /// How many bytes the character a match-text title has at a byte `lead` takes, as the title
    /// checks step through titles (a stray continuation byte counts as one).
    @inline(__always) static func utf8Length(lead b: UInt8) -> Int {
        b < 0xC0 ? 1 : (b < 0xE0 ? 2 : (b < 0xF0 ? 3 : 4))
    }
}

/// The versions key of a document that has a 索引号: what grouping versions needs of its metadata.
struct VersionFacts: Sendable {
    var indexNumber: String
    var date: String?
}

/// The facts of the documents of one segment read so far. Immutable: a cache replaces it with a
/// larger copy.
///
/// `@unchecked Sendable`: `facts` is memory the table owns, written only in `init` and freed in
/// `deinit`; in between it is only read.
final class DocFactsTable: @unchecked Sendable {
    /// Per document (or empty); `known` false where not read yet.
    let facts: UnsafeMutableBufferPointer<DocFacts>
    /// Documents whose metadata has a 索引号 (the others are not in it).
    let versions: [Int32: VersionFacts]

    init(facts: [DocFacts], versions: [Int32: VersionFacts]) {
        self.facts = .allocate(capacity: facts.count)
        _ = self.facts.initialize(from: facts)
        self.versions = versions
    }

    deinit {
        facts.deinitialize()
        facts.deallocate()
    }
}

/// Per segment of an open index, the facts of the documents that queries have read, so that each
/// record is read and its checksum checked once per process rather than once per candidate and
/// query. Filled on demand: opening an index stays as cheap as before.
///
/// `@unchecked Sendable`: the only mutable state, `table`, is read and replaced only while
/// `lock` is held, and a table itself is immutable.
final class DocFactsCache: @unchecked Sendable {
    private let lock = Lock()
    private var table: DocFactsTable
    private let docCount: Int
    /// Character and pair postings looked up (nil: absent), their dictionary entry and checksum
    /// checked. The slices point into the segment's memory map, which the index keeps open as
    /// long as this cache.
    private var postings: [UInt64: PostingsSlice?] = [:]
    /// Word postings looked up, the same way (keys: the word's UTF-8 bytes).
    private var wordPostings: [[UInt8]: PostingsSlice?] = [:]
    /// Bounds `postings` and `wordPostings` (an entry costs a few dozen bytes).
    private static let postingsLimit = 1 << 16

    init(docCount: Int) {
        self.docCount = docCount
        table = DocFactsTable(facts: [], versions: [:])
    }

    /// Records queries handed over and not yet in `table`: they are merged when the next query
    /// asks for the table, so a process that runs one query never builds it.
    private var pending: [(facts: [Int32: DocFacts], versions: [Int32: VersionFacts])] = []

    /// The current table (possibly empty or partial).
    var current: DocFactsTable {
        lock.withLock {
            if !pending.isEmpty { merge() }
            return table
        }
    }

    /// The postings of `key` if looked up before (`.some(nil)`: absent).
    func postings(_ key: UInt64) -> PostingsSlice?? { lock.withLock { postings[key] } }

    /// Records a lookup.
    func addPostings(_ key: UInt64, _ slice: PostingsSlice?) {
        lock.withLock {
            if postings.count < DocFactsCache.postingsLimit { postings[key] = slice }
        }
    }

    /// The word postings of `word` if looked up before (`.some(nil)`: absent).
    func wordPostings(_ word: [UInt8]) -> PostingsSlice?? { lock.withLock { wordPostings[word] } }

    /// Records a word lookup.
    func addWordPostings(_ word: [UInt8], _ slice: PostingsSlice?) {
        lock.withLock {
            if wordPostings.count < DocFactsCache.postingsLimit { wordPostings[word] = slice }
        }
    }

    /// Adds facts read by a query (to the table when the next query asks for it).
    func add(_ read: [Int32: DocFacts], versions: [Int32: VersionFacts]) {
        guard !read.isEmpty else { return }
        lock.withLock { pending.append((read, versions)) }
    }

    /// Puts the pending records into a new table; called with the lock held.
    private func merge() {
        var facts = table.facts.isEmpty ? [DocFacts](repeating: DocFacts(known: false), count: docCount) : Array(table.facts)
        var v = table.versions
        for p in pending {
            for (d, f) in p.facts where Int(d) < facts.count { facts[Int(d)] = f }
            for (d, x) in p.versions { v[d] = x }
        }
        pending = []
        table = DocFactsTable(facts: facts, versions: v)
    }
}

/// One query's access to the facts of a segment's documents: the cache's table, and the records
/// the query reads that it does not have yet (handed to the cache at the end).
final class DocFactsView {
    let segment: LiveSegment
    let reader: SegmentReader
    private let cache: DocFactsCache?
    private let table: DocFactsTable
    /// `table.facts`, which `table` keeps alive.
    private let known: UnsafeMutableBufferPointer<DocFacts>
    /// The start of the segment's document strings.
    private let strings: UnsafeRawPointer
    private var read: [Int32: DocFacts] = [:]
    private var readVersions: [Int32: VersionFacts] = [:]

    init(segment: LiveSegment, cache: DocFactsCache?) {
        self.segment = segment
        reader = segment.reader
        self.cache = cache
        table = cache?.current ?? DocFactsTable(facts: [], versions: [:])
        known = table.facts
        strings = reader.docString((0, 0)).baseAddress!
    }

    /// The facts of document `d`, its record checked.
    @inline(__always) func facts(_ d: Int32) throws(IndexError) -> DocFacts {
        let i = Int(d)
        if i >= 0 && i < known.count {
            let f = known[i]
            if f.known { return f }
        }
        return try readFacts(d, titleChars: false)
    }

    /// The facts of document `d` with ``DocFacts/titleChars`` worked out (once: they are kept
    /// with the facts this query hands to the cache), for the title checks that use them.
    @inline(__always) private func factsWithTitleChars(_ d: Int32) throws(IndexError) -> DocFacts {
        let i = Int(d)
        if i >= 0 && i < known.count {
            let f = known[i]
            if f.known && (f.titleChars != 0 || f.matchTitle.length == 0) { return f }
        }
        return try readFacts(d, titleChars: true)
    }

    /// A record not in the cache's table (or, with `titleChars`, there without them), kept for the
    /// cache.
    private func readFacts(_ d: Int32, titleChars: Bool) throws(IndexError) -> DocFacts {
        var f: DocFacts
        var changed = false
        if let r = read[d] {
            f = r
        } else if titleChars, Int(d) >= 0, Int(d) < known.count, known[Int(d)].known {
            // Read by an earlier query that needed no title check.
            f = known[Int(d)]
        } else {
            f = try record(d)
            changed = true
        }
        if titleChars && f.titleChars == 0 && f.matchTitle.length > 0 {
            f.titleChars = DocFacts.titleChars(of: reader.docString(f.matchTitle))
            changed = true
        }
        if changed { read[d] = f }
        return f
    }

    /// Document `d`'s record read and checked, and its versions key noted.
    private func record(_ d: Int32) throws(IndexError) -> DocFacts {
        let f = try reader.docFacts(Int(d))
        let meta = reader.docString(f.metadata)
        // The writer puts the 索引号 first (`id=` line); only such records need their metadata parsed.
        if meta.count >= 3 && meta[0] == UInt8(ascii: "i") && meta[1] == UInt8(ascii: "d") && meta[2] == UInt8(ascii: "=") {
            let m = DisclosureMetadata(serialized: meta)
            if let id = m.indexNumber { readVersions[d] = VersionFacts(indexNumber: id, date: m.date) }
        }
        return f
    }

    /// The 索引号 and date of document `d` (nil without a 索引号).
    func versionFacts(_ d: Int32) throws(IndexError) -> VersionFacts? {
        _ = try facts(d)
        return known.count > Int(d) && known[Int(d)].known ? table.versions[d] : readVersions[d]
    }

    /// The path of document `d` as stored, with its rename applied, as UTF-8.
    func withPath<R>(_ d: Int32, _ body: (UnsafeRawBufferPointer) throws(IndexError) -> R) throws(IndexError) -> R {
        if let rn = segment.changes.renamed[d] {
            let bytes = Array(rn.path.utf8)
            let b = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
            defer { b.deallocate() }
            bytes.withUnsafeBytes { b.copyMemory(from: $0) }
            return try body(UnsafeRawBufferPointer(b))
        }
        return try body(reader.docString(try facts(d).path))
    }

    /// Document `d`'s length in match-text characters (``DocFacts/charLength``), and whether its
    /// match-text title contains a character, given as its UTF-8 bytes (`length` of them, the
    /// first in the low byte of `utf8`): one look at its facts.
    @inline(__always) func titleCheck(_ d: Int32, utf8: UInt32, length n: Int) throws(IndexError)
        -> (charLength: UInt32, inTitle: Bool) {
        let f = try factsWithTitleChars(d)
        return (f.charLength, try titleContains(f, utf8: utf8, length: n))
    }

    @inline(__always) private func titleContains(_ f: DocFacts, utf8: UInt32, length n: Int) throws(IndexError) -> Bool {
        let count = Int(f.matchTitle.length)
        guard n > 0, n <= count, f.titleChars & DocFacts.titleBit(utf8: utf8) != 0 else { return false }
        // In bounds: `docFacts` checked the title's place.
        let p = strings + Int(f.matchTitle.offset)
        let first = UInt8(truncatingIfNeeded: utf8)
        // Match text is UTF-8: an occurrence starts where a character does.
        var i = 0
        while i + n <= count {
            let b = p.load(fromByteOffset: i, as: UInt8.self)
            if b == first {
                var k = 1
                while k < n && p.load(fromByteOffset: i + k, as: UInt8.self) == UInt8(truncatingIfNeeded: utf8 >> (8 * UInt32(k))) { k += 1 }
                if k == n { return true }
            }
            i += DocFacts.utf8Length(lead: b)
        }
        return false
    }

    /// The postings of a character or character pair (``SegmentReader/gramPostings(_:)``),
    /// looked up and checked once per process.
    func gramPostings(_ key: UInt64) throws(IndexError) -> PostingsSlice? {
        guard let cache else { return try reader.gramPostings(key) }
        if let known = cache.postings(key) { return known }
        let slice = try reader.gramPostings(key)
        cache.addPostings(key, slice)
        return slice
    }

    /// The postings of a word (``SegmentReader/wordPostings(_:)``), looked up and checked once
    /// per process.
    func wordPostings(_ word: [UInt8]) throws(IndexError) -> PostingsSlice? {
        guard let cache else { return try reader.wordPostings(word) }
        if let known = cache.wordPostings(word) { return known }
        let slice = try reader.wordPostings(word)
        cache.addWordPostings(word, slice)
        return slice
    }

    /// Hands the records read to the cache.
    func publish() {
        cache?.add(read, versions: readVersions)
        read = [:]
        readVersions = [:]
    }
}
