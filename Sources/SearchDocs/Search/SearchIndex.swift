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
    let segments: [LiveSegment]
    /// Live documents in the snapshot.
    public let documentCount: Int
    let averageChars: Double
    let averageWords: Double
    /// The user dictionary the index was built with (queries segment with the same one).
    public let dictionary: UserDictionary?
    /// The names offices go by (`.searchdocs/aliases.txt` in the corpus folder), read when first needed.
    public var aliases: OrgAliases { OrgAliases(file: manifest.corpus + "/" + OrgAliases.fileName) }

    /// Opens the index at `directory` (its current committed generation). Every file of the
    /// snapshot is opened now, so a later commit that deletes them does not disturb this reader.
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
                let dict = try m.dictionary.map { d throws(IndexError) in try IndexWriter.loadDictionary(directory + "/" + d, name: d) }
                manifest = m
                segments = segs
                dictionary = dict
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

    /// Figures for `searchdocs stats`.
    public func statistics() -> IndexStatistics {
        var sizes: [SegmentFormat.Section: Int] = [:]
        for s in segments { for (sec, n) in s.reader.sectionSizes { sizes[sec, default: 0] += n } }
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
            gramTerms: segments.reduce(0) { $0 + $1.reader.gramTermCount },
            wordTerms: segments.reduce(0) { $0 + $1.reader.wordTermCount },
            bytesOnDisk: segments.reduce(0) { $0 + $1.reader.byteCount },
            components: components, generation: manifest.generation, corpus: manifest.corpus)
    }

    /// Field names the query language knows (`title:孵化器`).
    public static let fieldNames: Set<String> = ["title", "org", "date", "id"]

    /// Searches with the query language (or literally, see ``SearchOptions/literal``).
    public func search(_ query: String, options: SearchOptions = SearchOptions()) throws -> SearchResults {
        let parser = QueryParser(knownFields: SearchIndex.fieldNames)
        let node = options.literal ? parser.literal(query) : try parser.parse(query)
        return try Searcher(index: self).run(node, options: options)
    }
}
