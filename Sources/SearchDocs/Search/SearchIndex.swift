import Foundation

/// Figures about an index.
public struct IndexStatistics: Sendable {
    public var documents: Int
    public var segments: Int
    /// Distinct characters and character pairs, summed over segments.
    public var gramTerms: Int
    /// Distinct words, summed over segments.
    public var wordTerms: Int
    public var bytesOnDisk: Int
    /// Bytes per component (stored text, character postings, word postings, dictionaries, documents).
    public var components: [(name: String, bytes: Int)]
    public var generation: Int
    public var corpus: String
}

/// An open index: one committed snapshot, read through memory maps. Searches never see a later
/// commit; open again to see it. Thread safe: share one across tasks.
public final class SearchIndex: Sendable {
    /// The index folder.
    public let directory: String
    let manifest: Manifest
    let segments: [SegmentReader]
    /// Live documents in the snapshot.
    public let documentCount: Int
    let averageChars: Double
    let averageWords: Double

    /// Opens the index at `directory` (its current committed generation).
    public init(directory: String) throws(IndexError) {
        self.directory = directory
        manifest = try Manifest.read(directory: directory)
        var segs: [SegmentReader] = []
        for s in manifest.segments {
            segs.append(try SegmentReader(path: directory + "/" + s.file, name: s.file))
        }
        segments = segs
        let docs = segs.reduce(0) { $0 + $1.docCount }
        documentCount = docs
        averageChars = Double(segs.reduce(UInt64(0)) { $0 + $1.totalChars }) / Double(max(docs, 1))
        averageWords = Double(segs.reduce(UInt64(0)) { $0 + $1.totalWords }) / Double(max(docs, 1))
    }

    /// Whether a folder holds an index.
    public static func exists(at directory: String) -> Bool {
        FileIO.exists(directory + "/" + Manifest.fileName)
    }

    /// The corpus folder the index was built from.
    public var corpus: String { manifest.corpus }

    /// Figures for `searchdocs stats`.
    public func statistics() -> IndexStatistics {
        var sizes: [SegmentFormat.Section: Int] = [:]
        for s in segments { for (sec, n) in s.sectionSizes { sizes[sec, default: 0] += n } }
        let components: [(String, Int)] = [
            ("stored text", sizes[.blockData, default: 0] + sizes[.blockTable, default: 0]),
            ("character postings", sizes[.gramPostings, default: 0]),
            ("character dictionary", sizes[.gramDict, default: 0]),
            ("word postings", sizes[.wordPostings, default: 0]),
            ("word dictionary", sizes[.wordDict, default: 0] + sizes[.wordStrings, default: 0]),
            ("documents", sizes[.docTable, default: 0] + sizes[.docStrings, default: 0]),
        ]
        return IndexStatistics(
            documents: documentCount, segments: segments.count,
            gramTerms: segments.reduce(0) { $0 + $1.gramTermCount },
            wordTerms: segments.reduce(0) { $0 + $1.wordTermCount },
            bytesOnDisk: segments.reduce(0) { $0 + $1.byteCount },
            components: components, generation: manifest.generation, corpus: manifest.corpus)
    }

    /// Searches with the query language (or literally, see ``SearchOptions/literal``).
    public func search(_ query: String, options: SearchOptions = SearchOptions()) throws -> SearchResults {
        let node = options.literal ? QueryParser().literal(query) : try QueryParser().parse(query)
        return try Searcher(index: self).run(node, options: options)
    }
}
