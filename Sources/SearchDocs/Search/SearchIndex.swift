#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// Figures about an index, as `searchdocs stats` shows them.
public struct IndexStatistics: Sendable {
    /// Live documents (deleted ones do not count).
    public var documents: Int
    /// Segment files of the snapshot.
    public var segments: Int
    /// Distinct characters and character pairs, summed over segments.
    public var gramTerms: Int
    /// Distinct words, summed over segments.
    public var wordTerms: Int
    /// Bytes of the snapshot's segment files.
    public var bytesOnDisk: Int
    /// Bytes per component (stored text, character postings, word postings, dictionaries, documents).
    public var components: [(name: String, bytes: Int)]
    /// The snapshot's generation (see ``SearchIndex/generation``).
    public var generation: Int
    /// The corpus folder the index was built from (empty for an index filled only through the library).
    public var corpus: String
    /// Terms of the user dictionary the index was analysed with (0: none).
    public var dictionaryTerms: Int = 0
    /// The dictionary file given to an earlier sync, which syncs given none read again (nil: the
    /// corpus folder's own, `.searchdocs/dictionary.txt`, when present).
    public var dictionarySource: String?
}

/// An open index, read-only: one committed snapshot, read through memory maps.
///
/// ```swift
/// let index = try SearchIndex(directory: "index")
/// let results = try index.search("科技特派员 OR 孵化器")
/// print(results.total, results.hits.first?.title ?? "")
/// ```
///
/// Searches never see a later commit: a snapshot stays as it was opened, even while an
/// ``IndexWriter`` commits and removes old files. Open the folder again to see the new commits.
/// A `SearchIndex` is immutable and `Sendable`: share one among any number of tasks and threads
/// searching at once.
public final class SearchIndex: Sendable {
    /// The index folder.
    public let directory: String
    let manifest: Manifest
    let segments: [LiveSegment]
    /// Per segment, the document facts queries have read (filled on demand).
    let factCaches: [DocFactsCache]
    /// Arrays that question rankings reuse.
    let questionBuffers = QuestionBufferPool()
    /// Live documents in the snapshot.
    public let documentCount: Int
    let averageChars: Double
    let averageWords: Double
    /// The user dictionary the index was built with (queries segment with the same one). Its
    /// file is read and checked when the index opens; the dictionary is made when first needed
    /// (exact matches never need it, so a one-off query does not pay for making it).
    public var dictionary: UserDictionary? { madeDictionary.withLock { made in
        if let made { return made }
        let dictionary = dictionaryFile.map { UserDictionary(serialized: $0) }
        made = .some(dictionary)
        return dictionary
    } }
    /// The dictionary file's text (nil: the index has none), and the dictionary once made.
    private let dictionaryFile: String?
    private let madeDictionary = Mutex<UserDictionary??>(nil)
    /// The names offices go by (`.searchdocs/aliases.txt` in the corpus folder), read when first needed.
    public var aliases: OrgAliases { OrgAliases(file: manifest.corpus + "/" + OrgAliases.fileName) }

    /// Opens the index at `directory` (its current committed generation). Every file of the
    /// snapshot is opened now, so a later commit that deletes them does not disturb this reader.
    ///
    /// - Throws: ``IndexError/missing(directory:)`` when the folder holds no index,
    ///   ``IndexError/formatVersion(found:supported:)`` for an index of another format,
    ///   ``IndexError/corrupt(file:detail:)`` naming a damaged file, ``IndexError/io(path:detail:)``.
    public init(directory: String) throws(IndexError) {
        self.directory = directory
        var attempt = 0
        while true {
            do {
                let m = try Manifest.read(directory: directory)
                var segs: [LiveSegment] = []
                for s in m.segments {
                    let reader = try SegmentReader(path: directory + "/" + s.file, name: s.file)
                    var changes = SegmentChanges()
                    if let c = s.changes {
                        changes = try SegmentChanges.parse(try FileIO.readSmallFile(directory + "/" + c), name: c)
                    }
                    segs.append(try LiveSegment(reader: reader, changes: changes, changesFile: s.changes))
                }
                let dict = try m.dictionary.map { d throws(IndexError) in
                    try IndexWriter.readDictionary(directory + "/" + d, name: d, checksum: m.dictionaryChecksum)
                }
                manifest = m
                segments = segs
                dictionaryFile = dict
                break
            } catch let e {
                // A commit between reading the manifest and opening its files: read it again.
                if case .io = e, attempt < 5, FileIO.exists(directory + "/" + Manifest.fileName) {
                    attempt += 1
                    continue
                }
                throw e
            }
        }
        factCaches = segments.map { DocFactsCache(docCount: $0.reader.docCount) }
        let docs = segments.reduce(0) { $0 + $1.liveCount }
        documentCount = docs
        averageChars = Double(segments.reduce(UInt64(0)) { $0 + $1.liveChars }) / Double(max(docs, 1))
        averageWords = Double(segments.reduce(UInt64(0)) { $0 + $1.liveWords }) / Double(max(docs, 1))
    }

    /// The generation of the snapshot (grows by one with every commit).
    public var generation: Int { manifest.generation }

    /// Whether a folder holds an index.
    public static func exists(at directory: String) -> Bool {
        FileIO.exists(directory + "/" + Manifest.fileName)
    }

    /// The corpus folder the index was built from.
    public var corpus: String { manifest.corpus }

    /// Figures about the snapshot (what `searchdocs stats` prints).
    public func statistics() -> IndexStatistics {
        var sizes: [SegmentFormat.Section: Int] = [:]
        for s in segments { for (sec, n) in s.reader.sectionSizes { sizes[sec, default: 0] += n } }
        let components: [(String, Int)] = [
            ("stored text", sizes[.blockData, default: 0] + sizes[.blockTable, default: 0]),
            ("character postings", sizes[.gramPostings, default: 0] + sizes[.gramPages, default: 0]),
            ("character dictionary", sizes[.gramDict, default: 0] + sizes[.gramIndex, default: 0]),
            ("word postings", sizes[.wordPostings, default: 0] + sizes[.wordPages, default: 0]),
            ("word dictionary", sizes[.wordDict, default: 0] + sizes[.wordIndex, default: 0]),
            ("documents", sizes[.docTable, default: 0] + sizes[.docStrings, default: 0]),
        ]
        return IndexStatistics(
            documents: documentCount, segments: segments.count,
            gramTerms: segments.reduce(0) { $0 + $1.reader.gramTermCount },
            wordTerms: segments.reduce(0) { $0 + $1.reader.wordTermCount },
            bytesOnDisk: segments.reduce(0) { $0 + $1.reader.byteCount },
            components: components, generation: manifest.generation, corpus: manifest.corpus,
            dictionaryTerms: dictionary?.terms.count ?? 0, dictionarySource: manifest.dictionarySource)
    }

    /// Field names the query language knows (`title:孵化器`).
    public static let fieldNames: Set<String> = ["title", "org", "date", "id"]

    /// Searches with the query language (or literally, see ``SearchOptions/literal``).
    ///
    /// Hits are ordered by the number of query parts found in the title, then score, then path.
    /// ``SearchResults/total`` counts every matching document, whatever `limit` and `offset` are.
    ///
    /// - Throws: ``QuerySyntaxError`` (with the column) for a malformed query; ``IndexError``
    ///   when a file of the index turns out to be damaged while it is read.
    public func search(_ query: String, options: SearchOptions = SearchOptions()) throws -> SearchResults {
        let parser = QueryParser(knownFields: SearchIndex.fieldNames)
        let node = options.literal ? parser.literal(query) : try parser.parse(query)
        return try Searcher(index: self).run(node, options: options)
    }

    /// Searches for a query that is already a tree: parsed by ``QueryParser`` or built in code,
    /// so that no text of it is taken as an operator. ``SearchOptions/literal`` does not apply.
    ///
    /// ```swift
    /// // Documents that contain the name exactly, whatever characters it holds.
    /// let results = try index.search(.text("中国信息通信研究院", quoted: true))
    /// ```
    ///
    /// - Throws: ``SearchError/unsupportedField(_:)`` for a field other than ``fieldNames``;
    ///   ``IndexError`` for a damaged file.
    public func search(_ query: QueryNode, options: SearchOptions = SearchOptions()) throws -> SearchResults {
        try Searcher(index: self).run(query, options: options)
    }

    /// The number of documents that match a query: ``SearchResults/total`` without ranking,
    /// hits or snippets. Each document counts once.
    ///
    /// - Parameters:
    ///   - query: the query language, or the literal text when `literal` is true.
    ///   - literal: take the text as one unquoted part (see ``SearchOptions/literal``).
    /// - Throws: ``QuerySyntaxError`` for a malformed query; ``IndexError`` for a damaged file.
    public func count(_ query: String, literal: Bool = false) throws -> Int {
        try search(query, options: SearchOptions(limit: 0, snippets: false, literal: literal)).total
    }

    /// The number of documents that match a query tree. For a lookup of a name exactly as it is
    /// written (never split into words, never read as operators), count the quoted text:
    ///
    /// ```swift
    /// let mentions = try index.count(.text("国家电网有限公司", quoted: true))
    /// ```
    ///
    /// - Throws: ``SearchError/unsupportedField(_:)``; ``IndexError`` for a damaged file.
    public func count(_ query: QueryNode) throws -> Int {
        try search(query, options: SearchOptions(limit: 0, snippets: false)).total
    }
}
