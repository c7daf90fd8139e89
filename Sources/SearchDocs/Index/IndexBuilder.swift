import CZstd
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Options for building an index.
public struct IndexOptions: Sendable {
    /// Analysis threads (documents are analysed in parallel). Default: the active processors.
    public var threads: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// A segment is written when its builder has analysed this many UTF-16 units (one builder
    /// per thread; 8 M units is about 60 MB of builder memory).
    public var flushUnits: Int = 8 << 20
    /// A segment is written after this many documents (tests use small values for many segments).
    public var flushDocuments: Int = Int.max
    /// Files larger than this are skipped with a warning.
    public var maxFileSize: Int = 64 << 20
    /// The user dictionary file; the index remembers it, and later syncs given none read it again.
    /// Nil: the file given to an earlier sync, else `.searchdocs/dictionary.txt` in the corpus
    /// folder, if present.
    public var dictionaryPath: String?
    /// Whether to forget the dictionary file given to an earlier sync (back to the corpus folder's own).
    public var forgetsDictionaryPath = false
    /// When set, a folder sync also commits after about this many newly analysed documents
    /// (each commit is a consistent generation; tests use it for many commits per run).
    public var commitEvery: Int? = nil
    /// Whether commits merge segments (tiered by size, see the on-disk format). Off, segments stay
    /// as they were flushed, however many they are (tests that need many segments).
    public var merges = true

    /// The default options.
    public init() {}
}

/// Builds an index of a corpus folder from scratch and commits it.
public enum IndexBuilder {
    /// Indexes every document of `corpus` into `directory`, replacing what was there, and commits.
    /// `warn` receives one line per file that could not be indexed.
    ///
    /// - Throws: ``IndexError`` (the index folder is locked by another writer, cannot be
    ///   written, or `corpus` cannot be read).
    @discardableResult
    public static func build(corpus: String, directory: String, options: IndexOptions = IndexOptions(),
                             warn: @escaping @Sendable (String) -> Void = { _ in }) throws -> SyncReport {
        let writer = try IndexWriter(directory: directory, corpus: corpus, rebuild: true, options: options)
        return try writer.sync(warn: warn)
    }
}

/// A 64-bit hash of a document's text, to confirm that a file really changed and to recognise a
/// renamed file. (Two CRC-32s of the text with different seeds, as before, carry only 32 bits:
/// a CRC's seed shifts it by a function of the length alone.)
enum ContentHash {
    static func of(_ text: String) -> UInt64 {
        var t = text
        return t.withUTF8 { b -> UInt64 in
            guard let p = b.baseAddress else { return 0 }
            return sd_hash64(p, b.count, 0x5344_4F43_5348_4153)
        }
    }
}
