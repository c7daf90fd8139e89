#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization

/// Where a document came from: a corpus folder sync, or a caller of the library. A folder sync
/// never deletes documents a caller added.
public enum DocumentSource: UInt32, Sendable {
    /// A file of the corpus folder, added by ``IndexWriter/sync(warn:progress:)``.
    case corpus = 0
    /// A document added by a caller of ``IndexWriter/addDocument(path:text:source:size:modificationTimeNs:metadata:)``.
    case library = 1
}

/// What a sync of the corpus folder did.
public struct SyncReport: Sendable, CustomStringConvertible {
    /// Files indexed for the first time.
    public var added = 0
    /// Files whose content changed, indexed again.
    public var changed = 0
    /// Documents whose file is gone, deleted from the index.
    public var removed = 0
    /// Files moved to another path with the same content (recorded without analysis).
    public var renamed = 0
    /// Files found as they were.
    public var unchanged = 0
    /// Files that could not be indexed (each was reported to `warn`).
    public var skipped = 0
    /// Documents whose text was analysed (added, changed, and re-analysed by merges).
    public var analyzed = 0
    /// Documents re-analysed by merging small segments.
    public var merged = 0
    /// Documents re-analysed because the user dictionary changed (those containing an added or removed term).
    public var resegmented = 0
    /// Bytes of the files analysed.
    public var bytesAnalyzed: UInt64 = 0
    /// How long the sync took.
    public var seconds: Double = 0
    /// Segment files of the index after the sync.
    public var segments = 0

    /// `+12 added, ~3 changed, -1 removed, 4,361 unchanged (0.21 s)`.
    public var description: String {
        var s = "+\(grouped(added)) added, ~\(grouped(changed)) changed, -\(grouped(removed)) removed"
        if renamed > 0 { s += ", \(grouped(renamed)) renamed" }
        s += ", \(grouped(unchanged)) unchanged"
        if skipped > 0 { s += ", \(grouped(skipped)) skipped" }
        if resegmented > 0 { s += ", \(grouped(resegmented)) re-segmented for the dictionary" }
        let hundredths = Int((max(seconds, 0) * 100).rounded())
        let fraction = hundredths % 100
        return s + " (\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction) s)"
    }

    private func grouped(_ n: Int) -> String {
        let d = String(n)
        var out = ""
        for (i, c) in d.enumerated() {
            if i > 0 && (d.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}

/// Progress of a long run: files done, files in all, bytes analysed.
public typealias IndexProgress = @Sendable (_ done: Int, _ total: Int, _ bytes: UInt64) -> Void

/// Changes an index: syncs it with a corpus folder, or adds, replaces and deletes single
/// documents; ``commit()`` makes the changes visible atomically.
///
/// ```swift
/// let writer = try IndexWriter(directory: "index")
/// try writer.addDocument(path: "notices/1.txt", text: "关于认定市级科技企业孵化器的通知……")
/// try writer.addDocument(fileAt: "downloads/2.txt", id: "notices/2.txt")
/// writer.deleteDocument(path: "notices/0.txt")
/// try writer.commit()
/// ```
///
/// A writer holds the index's writer lock (an `flock` on the folder's `LOCK` file) from creation
/// until it is deinitialized: one writer per index at a time, across processes, while any number
/// of ``SearchIndex`` readers go on reading their snapshots. Changes are invisible to readers
/// until ``commit()``; a crash before it leaves the last commit intact.
///
/// A writer is not `Sendable`: it has mutable state and is meant for one task at a time. Create
/// it in the task that writes, or keep it inside an actor that other tasks call.
public final class IndexWriter {
    /// The index folder.
    public let directory: String
    /// How documents are analysed and when segments are written; may be changed between calls.
    public var options: IndexOptions
    private let lock: WriterLock
    private var manifest: Manifest
    /// The manifest before the last commit: its files are kept until the next commit.
    private var previousFiles: Set<String> = []

    final class Seg {
        let name: String
        let reader: SegmentReader
        var changes: SegmentChanges
        var changesFile: String?
        var dirty = false
        var dropped = false
        init(name: String, reader: SegmentReader, changes: SegmentChanges, changesFile: String?) {
            self.name = name; self.reader = reader; self.changes = changes; self.changesFile = changesFile
        }
        var liveCount: Int { reader.docCount - changes.deleted.count }
    }
    private var segs: [Seg] = []
    /// Live documents: path → (segment index, document number).
    private var locations: [String: (seg: Int, doc: Int32)] = [:]
    /// The builder of single-document adds, and its documents by path.
    private var builder: SegmentBuilder?
    private var builderPaths: [String: Int32] = [:]
    private var builderDeleted: Set<Int32> = []
    private let runID = String(UInt32.random(in: 0...UInt32.max), radix: 16)
    private var serial = 0
    private var started: Int64 = IndexWriter.nowNs()
    private var hasChanges = false
    /// Segment files being written by workers of a sync, not yet registered: a commit made
    /// meanwhile (``IndexOptions/commitEvery``) must not take them for leftovers.
    private var writing: Set<String> = []
    /// The user dictionary documents are analysed with.
    public private(set) var dictionary: UserDictionary?
    private var dictionaryChanged = false
    /// How ICU split short Han runs, shared by every analysis of this writer (its threads, its
    /// merges): up to about 8 MB once used.
    private let runMemory = RunMemory()

    /// Opens (or creates) the index at `directory` for writing, creating the folder if needed.
    ///
    /// - Parameters:
    ///   - directory: the index folder.
    ///   - corpus: the corpus folder that ``sync(warn:progress:)`` indexes; recorded in a new
    ///     index. Leave it out for an index filled only through ``addDocument(path:text:source:size:modificationTimeNs:metadata:)``.
    ///   - rebuild: start from an empty index (the old files go at the next commit).
    ///   - wait: wait for another writer of the same index to finish instead of failing.
    ///   - options: analysis and segment settings.
    /// - Throws: ``IndexError/locked(pid:)`` when another writer holds the lock (and `wait` is
    ///   false); ``IndexError/otherCorpus(indexed:requested:)`` when the index was built from
    ///   another folder; ``IndexError/corrupt(file:detail:)``, ``IndexError/formatVersion(found:supported:)``,
    ///   ``IndexError/io(path:detail:)`` for what is on disk.
    public init(directory: String, corpus: String? = nil, rebuild: Bool = false, wait: Bool = false,
                options: IndexOptions = IndexOptions()) throws {
        self.directory = directory
        self.options = options
        try FileIO.makeDirectory(directory)
        lock = try WriterLock(directory: directory, wait: wait)
        let corpusPath = corpus.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        if SearchIndex.exists(at: directory) {
            if rebuild {
                // A rebuild replaces what is there, a damaged manifest or one of another format
                // version too: it needs only the corpus folder, given or named by the old manifest.
                var old: Manifest?
                do { old = try Manifest.read(directory: directory, anyFormat: true) } catch let e {
                    guard corpusPath != nil else { throw IndexError.rebuildNeedsCorpus(manifestProblem: e.problem) }
                }
                previousFiles = old?.files ?? []
                manifest = Manifest(generation: old?.generation ?? 0, corpus: corpusPath ?? old?.corpus ?? "", segments: [])
                manifest.dictionarySource = old?.dictionarySource
                hasChanges = true
            } else {
                let m = try Manifest.read(directory: directory)
                previousFiles = m.files
                if let c = corpusPath, !m.corpus.isEmpty, m.corpus != c {
                    throw IndexError.otherCorpus(indexed: m.corpus, requested: c)
                }
                manifest = m
                if manifest.corpus.isEmpty, let c = corpusPath { manifest.corpus = c; hasChanges = true }
                if let d = m.dictionary {
                    dictionary = try IndexWriter.loadDictionary(directory + "/" + d, name: d, checksum: m.dictionaryChecksum)
                }
                for s in m.segments {
                    let reader = try SegmentReader(path: directory + "/" + s.file, name: s.file)
                    var changes = SegmentChanges()
                    if let c = s.changes { changes = try SegmentChanges.parse(try FileIO.readSmallFile(directory + "/" + c), name: c) }
                    segs.append(Seg(name: s.file, reader: reader, changes: changes, changesFile: s.changes))
                }
            }
        } else {
            manifest = Manifest(generation: 0, corpus: corpusPath ?? "", segments: [])
            hasChanges = true
        }
        try rebuildLocations()
    }

    /// Rebuilds the path → location map from the segments.
    private func rebuildLocations() throws {
        locations = [:]
        for (si, s) in segs.enumerated() {
            for d in 0..<s.reader.docCount where !s.changes.deleted.contains(Int32(d)) {
                let path = try s.changes.renamed[Int32(d)]?.path ?? s.reader.doc(d).path
                locations[path] = (si, Int32(d))
            }
        }
    }

    /// Reads the index's copy of the user dictionary, checked against the manifest's CRC-32.
    static func loadDictionary(_ path: String, name: String, checksum: UInt32) throws(IndexError) -> UserDictionary {
        UserDictionary(serialized: try readDictionary(path, name: name, checksum: checksum))
    }

    /// The text of an index's dictionary file, its checksum checked.
    static func readDictionary(_ path: String, name: String, checksum: UInt32) throws(IndexError) -> String {
        let bytes = try FileIO.readSmallFile(path)
        guard crc32(bytes) == checksum else { throw .corrupt(file: name, detail: "checksum mismatch") }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The corpus folder the index belongs to.
    public var corpus: String { manifest.corpus }

    /// Live documents, including uncommitted changes.
    public var documentCount: Int { locations.count + builderPaths.count }

    // MARK: single documents

    /// Adds a document, or replaces the one with the same path (or id). The title is the line
    /// that names the document, found in its text as for corpus files.
    ///
    /// - Parameters:
    ///   - path: the document's id: hits report it as ``SearchHit/path``.
    ///   - text: the document's text.
    ///   - source: ``DocumentSource/library`` (the default) keeps the document when a folder
    ///     sync does not find a file of that path.
    ///   - size: the size recorded for the document (default: the text's UTF-8 bytes).
    ///   - modificationTimeNs: a modification time recorded for the document (ns since 1970).
    ///   - metadata: disclosure metadata the caller chooses (索引号, 发布机构, 生成日期 …); default:
    ///     parsed from the text, as for corpus files.
    /// - Throws: ``IndexError`` when a segment cannot be written (segments are written as
    ///   documents accumulate, before the commit).
    public func addDocument(path: String, text: String, source: DocumentSource = .library,
                            size: UInt64? = nil, modificationTimeNs: Int64 = 0,
                            metadata: DisclosureMetadata? = nil) throws {
        var meta = metadata ?? MetadataParser.parse(text)
        if metadata == nil && meta.date == nil { meta.date = MetadataParser.statedDate(in: text) }
        try add(path: path, text: text, source: source, size: size, modificationTimeNs: modificationTimeNs,
                title: nil, metadata: meta)
    }

    private func add(path: String, text: String, source: DocumentSource, size: UInt64?, modificationTimeNs: Int64,
                     title: (String, Range<Int>)?, metadata: DisclosureMetadata) throws {
        deleteLocation(of: path)
        if builder == nil { builder = try SegmentBuilder(dictionary: dictionary, runMemory: runMemory) }
        let b = builder!
        builderPaths[path] = b.docCount
        b.add(SourceDocument(path: path, text: text, size: size ?? UInt64(text.utf8.count),
                             modificationTimeNs: modificationTimeNs, contentHash: ContentHash.of(text),
                             flags: source.rawValue, title: title, metadata: metadata))
        hasChanges = true
        if b.unitsAdded >= options.flushUnits || Int(b.docCount) >= options.flushDocuments { try flushBuilder() }
    }

    /// Adds the document stored in a file, or replaces the document with the same id. The file
    /// is read like a corpus file, with ``DocumentParser`` within ``IndexOptions/maxFileSize``:
    /// HTML pages by their main text, GB18030, Big5 and UTF-16 decoded, metadata parsed.
    ///
    /// - Parameters:
    ///   - file: the path of the file to read.
    ///   - id: the document's id, reported as ``SearchHit/path``; default: `file` as given.
    /// - Throws: ``InputError`` naming `file` when it cannot be read, is empty, binary (NUL
    ///   bytes), in an encoding that cannot be determined or too large; ``IndexError`` when a
    ///   segment cannot be written.
    public func addDocument(fileAt file: String, id: String? = nil) throws {
        let parsed = try DocumentParser(maxFileSize: options.maxFileSize).read(path: file)
        var st = stat()
        var size: UInt64?
        var modified: Int64 = 0
        if stat(file, &st) == 0 {
            size = UInt64(st.st_size)
            modified = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        }
        try add(path: id ?? file, text: parsed.text, source: .library, size: size, modificationTimeNs: modified,
                title: (parsed.title, parsed.titleRange), metadata: parsed.metadata)
    }

    /// Deletes the document with this path (or id); false when there is none. Like every
    /// change, the deletion is visible to readers after ``commit()``.
    @discardableResult
    public func deleteDocument(path: String) -> Bool {
        let found = locations[path] != nil || builderPaths[path] != nil
        deleteLocation(of: path)
        if found { hasChanges = true }
        return found
    }

    private func deleteLocation(of path: String) {
        if let loc = locations.removeValue(forKey: path) {
            segs[loc.seg].changes.deleted.insert(loc.doc)
            segs[loc.seg].changes.renamed[loc.doc] = nil
            segs[loc.seg].dirty = true
        }
        if let d = builderPaths.removeValue(forKey: path) { builderDeleted.insert(d) }
    }

    private func nextSegmentName() -> String {
        serial += 1
        return "seg-\(manifest.generation + 1)-\(runID)-\(serial).\(SegmentFormat.fileExtension)"
    }

    /// Writes a builder as a new segment and registers it (not yet committed).
    private func addSegment(from b: SegmentBuilder, deleted: Set<Int32>, paths: [String: Int32]?) throws {
        guard !b.isEmpty else { return }
        let name = nextSegmentName()
        let reader = try IndexWriter.writeSegment(b, directory: directory, name: name)
        try register(reader, deleted: deleted, paths: paths)
    }

    /// Writes a builder as a segment file and opens it (no writer state is touched).
    private static func writeSegment(_ b: SegmentBuilder, directory: String, name: String) throws -> SegmentReader {
        try b.write(to: directory + "/" + name)
        CrashPoint.reached("after-segment-write")
        return try SegmentReader(path: directory + "/" + name, name: name)
    }

    /// Adds a written segment to the writer's (uncommitted) state.
    private func register(_ reader: SegmentReader, deleted: Set<Int32>, paths: [String: Int32]?) throws {
        let name = reader.name
        let seg = Seg(name: name, reader: reader, changes: SegmentChanges(deleted: deleted), changesFile: nil)
        seg.dirty = !deleted.isEmpty
        segs.append(seg)
        let si = segs.count - 1
        if let paths {
            for (p, d) in paths where !deleted.contains(d) { locations[p] = (si, d) }
        } else {
            for d in 0..<reader.docCount where !deleted.contains(Int32(d)) {
                locations[try reader.doc(d).path] = (si, Int32(d))
            }
        }
    }

    private func flushBuilder() throws {
        guard let b = builder else { return }
        builder = nil
        let paths = builderPaths, deleted = builderDeleted
        builderPaths = [:]
        builderDeleted = []
        try addSegment(from: b, deleted: deleted, paths: paths)
    }

    // MARK: commit

    /// Makes every change since the last commit visible atomically, merging small segments first.
    /// Readers that open the index afterwards see the new generation; open readers keep theirs.
    /// Does nothing when nothing changed.
    ///
    /// - Throws: ``IndexError/io(path:detail:)`` when a file cannot be written; the index then
    ///   stays at its last commit.
    public func commit() throws {
        try flushBuilder()
        guard hasChanges || segs.contains(where: { $0.dirty || $0.dropped }) else { return }
        _ = try mergeIfNeeded()
        let generation = manifest.generation + 1
        var entries: [Manifest.Segment] = []
        for s in segs where !s.dropped {
            if s.liveCount == 0 { s.dropped = true; continue }
            if s.dirty {
                if s.changes.isEmpty {
                    s.changesFile = nil
                } else {
                    let name = "\(s.name).g\(generation).\(SegmentChanges.fileExtension)"
                    try FileIO.writeDurably(s.changes.serialized(), to: directory + "/" + name)
                    s.changesFile = name
                }
                s.dirty = false
            }
            entries.append(Manifest.Segment(file: s.name, docCount: s.reader.docCount, changes: s.changesFile))
        }
        try FileIO.syncDirectory(directory)
        var next = manifest
        next.generation = generation
        next.segments = entries
        next.started = started
        if dictionaryChanged {
            if let d = dictionary {
                let name = "dictionary-\(generation).txt"
                let bytes = Array(d.serialized.utf8)
                try FileIO.writeDurably(bytes, to: directory + "/" + name)
                next.dictionary = name
                next.dictionaryChecksum = crc32(bytes)
            } else {
                next.dictionary = nil
            }
            dictionaryChanged = false
        }
        try next.commit(to: directory)
        let keep = next.files.union(previousFiles)
        removeFiles(except: keep)
        previousFiles = next.files
        manifest = next
        // Segments dropped by this commit are gone from the writer's view.
        let live = segs.filter { !$0.dropped }
        segs = live
        try rebuildLocations()
        hasChanges = false
        started = IndexWriter.nowNs()
    }

    /// Deletes segment, deletions and temporary files that neither this nor the previous
    /// generation refers to (what crashed runs left, and generations older than the previous).
    private func removeFiles(except keep: Set<String>) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for n in names where !keep.contains(n) && !writing.contains(n) {
            if n.hasSuffix("." + SegmentFormat.fileExtension) || n.hasSuffix("." + SegmentChanges.fileExtension) || n.hasSuffix(".tmp")
                || (n.hasPrefix("dictionary-") && n.hasSuffix(".txt")) {
                try? FileManager.default.removeItem(atPath: directory + "/" + n)
            }
        }
    }

    // MARK: merging

    /// Where a corpus folder keeps its user dictionary (dot folders are not indexed).
    public static let corpusDictionary = ".searchdocs/dictionary.txt"

    /// Segments of one size tier that are merged into one (the merge factor).
    static let mergeFactor = 4
    /// The upper bound of the smallest size tier; each tier above is `mergeFactor` times larger.
    static let smallestTier = 1 << 20
    /// Segments of this size or more take no part in tier merges (a full build's segments are
    /// about this size: merging them would re-analyse most of the corpus in one commit); they
    /// are only rewritten when ``reclaimShare`` of their documents are deleted.
    static let largeSegment = 16 << 20
    /// The share of deleted documents at which a segment of any size is rewritten without them:
    /// a query reads deleted documents' postings and skips them, so they cost as much as live ones.
    static let reclaimShare = 0.2

    /// The size tier of a segment of `bytes`: 0 below ``smallestTier``, then one more for each
    /// factor of ``mergeFactor``.
    static func tier(ofSize bytes: Int) -> Int {
        var t = 0, bound = smallestTier
        while bytes >= bound { t += 1; bound *= mergeFactor }
        return t
    }

    /// Merges segments of similar size, and rewrites segments with many deleted documents;
    /// merged segments drop deleted documents. Returns documents re-analysed.
    ///
    /// Tiered, like Lucene's merge policies: when ``mergeFactor`` segments under
    /// ``largeSegment`` share a size tier, the smallest of them are merged into one, which lands
    /// in a higher tier. A document is so merged again about once per tier (not once per
    /// commit), a thousand one-document commits cost a few merges of small segments, and the
    /// small segments stay fewer than `mergeFactor` per tier. A segment of which
    /// ``reclaimShare`` or more is deleted is rewritten (with the merge, if there is one), so
    /// that replaced documents do not weigh on queries for long.
    @discardableResult
    func mergeIfNeeded() throws -> Int {
        guard options.merges else { return 0 }
        let live = segs.indices.filter { !segs[$0].dropped && segs[$0].liveCount > 0 }
        var byTier: [Int: [Int]] = [:]
        for i in live where segs[i].reader.byteCount < IndexWriter.largeSegment {
            byTier[IndexWriter.tier(ofSize: segs[i].reader.byteCount), default: []].append(i)
        }
        var chosen: [Int] = []
        // The lowest full tier: merging it may fill the next one, which the next commit merges.
        if let full = byTier.keys.sorted().first(where: { byTier[$0]!.count >= IndexWriter.mergeFactor }) {
            chosen = byTier[full]!.sorted { segs[$0].reader.byteCount < segs[$1].reader.byteCount }
                .prefix(IndexWriter.mergeFactor).sorted()
        }
        // Segments with many deleted documents are rewritten too.
        for i in live where !chosen.contains(i) {
            let s = segs[i]
            if Double(s.changes.deleted.count) >= IndexWriter.reclaimShare * Double(s.reader.docCount) { chosen.append(i) }
        }
        guard !chosen.isEmpty, !(chosen.count == 1 && segs[chosen[0]].changes.deleted.isEmpty) else { return 0 }
        // The live documents of every chosen segment go into one new segment (more only when
        // they exceed the flush size), so a merge lowers the segment count.
        var docs: [(seg: Int, doc: Int32)] = []
        for i in chosen {
            let s = segs[i]
            docs += (0..<Int32(s.reader.docCount)).filter { !s.changes.deleted.contains($0) }.map { (i, $0) }
        }
        let count = try reanalyze(docs, merging: true)
        for i in chosen { segs[i].dropped = true }
        return count
    }

    /// Analyses documents again from the text stored in the index into new segments, keeping
    /// their path, size, time, hash and source; the old copies are dropped or tombstoned by the caller.
    /// When `merging`, the crash point `during-merge` is reached after the documents of each
    /// source segment have been analysed again (before the merged segment is written).
    ///
    /// With more than one thread, up to two other threads read and analyse the documents (ICU,
    /// the larger part of the work) while this one adds them to the builder in order.
    private func reanalyze(_ docs: [(seg: Int, doc: Int32)], merging: Bool = false) throws -> Int {
        // What the reading needs of the source segments, taken before anything changes.
        let sources = docs.map { (reader: segs[$0.seg].reader, renamed: segs[$0.seg].changes.renamed[$0.doc]) }
        @Sendable func stored(_ n: Int) throws -> SourceDocument {
            let (reader, renamed) = sources[n]
            var rec = try reader.doc(Int(docs[n].doc))
            if let rn = renamed {
                rec.path = rn.path; rec.size = rn.size; rec.modificationTimeNs = rn.modificationTimeNs
            }
            var bytes: [UInt8] = []
            for k in 0..<Int(rec.blockCount) { bytes += try reader.block(Int(rec.blockFirst) + k).text }
            let text = String(decoding: bytes, as: UTF8.self)
            return SourceDocument(path: rec.path, text: text, size: rec.size,
                                  modificationTimeNs: rec.modificationTimeNs, contentHash: rec.contentHash, flags: rec.flags,
                                  title: IndexWriter.titleRange(rec.title, in: text), metadata: rec.metadata)
        }
        var b = try SegmentBuilder(dictionary: dictionary, runMemory: runMemory)
        func flushIfFull() throws {
            if b.unitsAdded >= options.flushUnits {
                try addSegment(from: b, deleted: [], paths: nil)
                b = try SegmentBuilder(dictionary: dictionary, runMemory: runMemory)
            }
        }
        func starting(_ n: Int) {
            if merging && n > 0 && docs[n - 1].seg != docs[n].seg { CrashPoint.reached("during-merge") }
        }
        if options.threads < 2 || docs.count < 2 {
            for n in docs.indices {
                starting(n)
                b.add(try stored(n))
                try flushIfFull()
            }
        } else {
            // Two producers (or one with two threads), document n read and analysed by producer
            // n % count, each into a pipe of its own; this thread takes the documents in order.
            // Analysing is the larger part of the work, so one producer would leave this thread
            // waiting; with two, this thread is the one that limits, and more would only hold
            // more chunks in memory.
            let count = min(options.threads, docs.count, 2)
            let pipes = (0..<count).map { _ in AnalysisPipe() }
            let done = DispatchSemaphore(value: 0)
            for k in 0..<count {
                nonisolated(unsafe) let analyzer = try DocumentAnalyzer(dictionary: dictionary, runMemory: runMemory)
                let pipe = pipes[k]
                // A thread of its own: this may run on a worker of an index build's thread pool,
                // which must not wait for a task of that same pool.
                startThread(stackSize: 8 << 20) {
                    defer { done.signal() }
                    do {
                        for n in stride(from: k, to: docs.count, by: count) {
                            let doc = try stored(n)
                            let text = SegmentBuilder.prepare(doc)
                            guard pipe.push(.start(doc, text)) else { return }
                            let length = text.units.withUnsafeBufferPointer { buf in
                                analyzer.analyze(buf) { chunk in pipe.push(.chunk(chunk)) }
                            }
                            guard pipe.push(.end(length)) else { return }
                        }
                    } catch {
                        pipe.push(.failed(error))
                    }
                }
            }
            // The producers stop, and are waited for, however this ends.
            defer {
                for pipe in pipes { pipe.cancel() }
                for _ in 0..<count { done.wait() }
            }
            // A pipe's items come as start, chunks, end, document after document.
            let outOfStep = IndexError.io(path: directory, detail: "re-analysis out of step")
            for n in docs.indices {
                let pipe = pipes[n % count]
                switch pipe.pop() {
                case .start(let doc, let text):
                    starting(n)
                    var failure: (any Error)?
                    b.add(doc, text) { _, visit in
                        while true {
                            switch pipe.pop() {
                            case .chunk(var chunk): visit(&chunk)
                            case .end(let length): return length
                            case .failed(let e): failure = e; return 0
                            case .start: failure = outOfStep; return 0
                            }
                        }
                    }
                    if let failure { throw failure }
                    try flushIfFull()
                case .failed(let e): throw e
                case .chunk, .end: throw outOfStep
                }
            }
        }
        try addSegment(from: b, deleted: [], paths: nil)
        return docs.count
    }

    /// The stored title and where it stands in the stored text (the first occurrence).
    static func titleRange(_ title: String, in text: String) -> (String, Range<Int>)? {
        guard !title.isEmpty, let r = text.utf8.firstRange(of: title.utf8) else { return nil }
        let start = text.utf8.distance(from: text.utf8.startIndex, to: r.lowerBound)
        return (title, start..<(start + title.utf8.count))
    }

    // MARK: dictionary

    /// Switches to another user dictionary: documents containing a term that was added or
    /// removed are analysed again (found exactly, by the character index); no other document is.
    /// Returns how many were re-analysed.
    @discardableResult
    public func setDictionary(_ new: UserDictionary?) throws -> Int {
        let old = Set(dictionary?.terms ?? []), next = Set(new?.terms ?? [])
        guard old != next else { return 0 }
        try flushBuilder()
        dictionary = (new?.terms.isEmpty ?? true) ? nil : new
        dictionaryChanged = true
        hasChanges = true
        let changed = old.symmetricDifference(next)
        var affected = Set<[Int]>()
        for term in changed {
            let needle = TextNormalizer.matchScalars(of: term)
            for (si, s) in segs.enumerated() where !s.dropped {
                let live = try LiveSegment(reader: s.reader, changes: s.changes, changesFile: nil)
                for h in try ExactMatcher.match(needle, in: live) { affected.insert([si, Int(h.doc)]) }
            }
        }
        let docs = affected.map { (seg: $0[0], doc: Int32($0[1])) }.sorted { ($0.seg, $0.doc) < ($1.seg, $1.doc) }
        // Analysed again under their current paths (a renamed document's new one), then the old
        // copies go.
        let count = try reanalyze(docs)
        for (si, d) in docs {
            segs[si].changes.deleted.insert(d)
            segs[si].changes.renamed[d] = nil
            segs[si].dirty = true
        }
        return count
    }

    /// Brings the user dictionary up to date: the file given (remembered for later syncs), else
    /// the one given to an earlier sync, else the corpus folder's own. A remembered file that is
    /// gone leaves the index's copy as it is, with a warning. Returns the documents re-analysed.
    private func syncDictionary(root: String, warn: (String) -> Void) throws -> Int {
        if options.forgetsDictionaryPath, manifest.dictionarySource != nil {
            manifest.dictionarySource = nil
            hasChanges = true
        }
        let dictPath: String
        if let given = options.dictionaryPath {
            dictPath = URL(fileURLWithPath: given).standardizedFileURL.path
            guard FileIO.exists(dictPath) else { throw InputError(path: given, reason: "no such dictionary file") }
            guard !dictPath.contains("\n") else { throw InputError(path: given, reason: "a dictionary path cannot hold a line break") }
            if manifest.dictionarySource != dictPath { manifest.dictionarySource = dictPath; hasChanges = true }
        } else if let remembered = manifest.dictionarySource {
            guard FileIO.exists(remembered) else {
                warn("\(remembered): the user dictionary given to an earlier run is gone; the index keeps the terms it has (--dict FILE names another, --forget-dict goes back to the corpus folder's own)")
                return 0
            }
            dictPath = remembered
        } else {
            dictPath = root + "/" + IndexWriter.corpusDictionary
        }
        return try setDictionary(FileIO.exists(dictPath) ? try UserDictionary(contentsOf: dictPath) : nil)
    }

    // MARK: folder sync

    /// Brings the index up to date with its corpus folder: indexes added files, replaces changed
    /// ones, removes deleted ones, records renames without re-analysis, then commits.
    /// Documents added through the library are left alone.
    ///
    /// - Parameters:
    ///   - warn: receives one line per file that cannot be indexed (an ``InputError``'s
    ///     description); the sync goes on without it.
    ///   - progress: called as files are analysed, from several threads.
    /// - Returns: what changed.
    /// - Throws: ``IndexError/io(path:detail:)`` when the corpus folder cannot be read (an index
    ///   made without a corpus has none) or the index cannot be written.
    public func sync(warn: @escaping @Sendable (String) -> Void = { _ in },
                     progress: IndexProgress? = nil) throws -> SyncReport {
        let begin = Date()
        started = IndexWriter.nowNs()
        var report = SyncReport()
        let root = manifest.corpus
        report.resegmented = try syncDictionary(root: root, warn: warn)
        let files = try CorpusScanner().scan(root: root, warn: warn)
        let reader = DocumentParser(maxFileSize: options.maxFileSize)
        let lastStart = manifest.started
        var seen = Set<String>()
        var toIndex: [CorpusFile] = []
        var changedPaths = Set<String>()
        for f in files {
            seen.insert(f.relativePath)
            guard let loc = locations[f.relativePath] else { toIndex.append(f); continue }
            let s = segs[loc.seg]
            var rec = try s.reader.doc(Int(loc.doc))
            if let rn = s.changes.renamed[loc.doc] { rec.size = rn.size; rec.modificationTimeNs = rn.modificationTimeNs }
            if rec.size == f.size && rec.modificationTimeNs == f.modificationTimeNs && f.modificationTimeNs < lastStart {
                report.unchanged += 1
                continue
            }
            // Size or time differ, or the file was written during the last run: confirm by content.
            if rec.size == f.size, let parsed = try? reader.read(path: root + "/" + f.relativePath),
               ContentHash.of(parsed.text) == rec.contentHash {
                report.unchanged += 1
                if rec.modificationTimeNs != f.modificationTimeNs {
                    s.changes.renamed[loc.doc] = .init(path: f.relativePath, size: f.size, modificationTimeNs: f.modificationTimeNs)
                    s.dirty = true
                    hasChanges = true
                }
                continue
            }
            changedPaths.insert(f.relativePath)
            toIndex.append(f)
        }
        // Documents of the corpus that are gone.
        var gone: [(path: String, seg: Int, doc: Int32, size: UInt64, hash: UInt64)] = []
        for (path, loc) in locations where !seen.contains(path) {
            let rec = try segs[loc.seg].reader.doc(Int(loc.doc))
            guard rec.flags == DocumentSource.corpus.rawValue else { continue }
            gone.append((path, loc.seg, loc.doc, rec.size, rec.contentHash))
        }
        // Renames: a new file with the content of a gone one keeps its analysis.
        if !gone.isEmpty {
            var bySize: [UInt64: [Int]] = [:]
            for (i, g) in gone.enumerated() { bySize[g.size, default: []].append(i) }
            var used = Set<Int>()
            toIndex = toIndex.filter { f in
                guard !changedPaths.contains(f.relativePath), let cands = bySize[f.size],
                      let parsed = try? reader.read(path: root + "/" + f.relativePath) else { return true }
                let h = ContentHash.of(parsed.text)
                guard let i = cands.first(where: { !used.contains($0) && gone[$0].hash == h }) else { return true }
                used.insert(i)
                let g = gone[i]
                segs[g.seg].changes.renamed[g.doc] = .init(path: f.relativePath, size: f.size, modificationTimeNs: f.modificationTimeNs)
                segs[g.seg].dirty = true
                locations[g.path] = nil
                locations[f.relativePath] = (g.seg, g.doc)
                report.renamed += 1
                hasChanges = true
                return false
            }
            gone = gone.enumerated().filter { !used.contains($0.offset) }.map(\.element)
        }
        for g in gone { deleteLocation(of: g.path); report.removed += 1; hasChanges = true }
        for f in toIndex where changedPaths.contains(f.relativePath) { deleteLocation(of: f.relativePath) }
        report.changed = changedPaths.count
        let (indexed, skipped, bytes, mergedEarlier) = try indexFiles(toIndex, root: root, reader: reader, warn: warn, progress: progress)
        report.added = indexed - changedPaths.count
        report.skipped = skipped
        report.analyzed = indexed
        report.bytesAnalyzed = bytes
        if indexed > 0 { hasChanges = true }
        try flushBuilder()
        report.merged = try mergeIfNeeded() + mergedEarlier
        report.analyzed += report.merged + report.resegmented
        try commit()
        report.segments = segs.count
        report.seconds = Date().timeIntervalSince(begin)
        return report
    }

    /// A commit in the middle of a sync (``IndexOptions/commitEvery``): merges if needed and
    /// commits what is written so far. The sync's start time stays the one the final commit
    /// records, so files modified during the run are re-hashed by the next one. Returns the
    /// documents re-analysed by merging.
    private func commitDuringSync() throws -> Int {
        let runStarted = started
        let merged = try mergeIfNeeded()
        hasChanges = true
        try commit()
        started = runStarted
        return merged
    }

    /// Analyses files on all threads into new segments. Returns (indexed, skipped, bytes, and
    /// documents re-analysed by merges of the commits made on the way).
    private func indexFiles(_ files: [CorpusFile], root: String, reader: DocumentParser,
                            warn: @escaping @Sendable (String) -> Void, progress: IndexProgress?) throws -> (Int, Int, UInt64, Int) {
        guard !files.isEmpty else { return (0, 0, 0, 0) }
        struct Shared {
            var next = 0
            var done = 0
            var indexed = 0
            var skipped = 0
            var bytes: UInt64 = 0
            var error: Error?
            /// Documents written since the last commit (with ``IndexOptions/commitEvery``).
            var uncommitted = 0
            /// Documents re-analysed by merges of those commits.
            var merged = 0
        }
        let shared = Mutex(Shared())
        // A handful of files go into one segment; a large batch is shared by all threads.
        let threads = files.count < 32 ? 1 : max(1, options.threads)
        let options = self.options
        let dictionary = self.dictionary
        let runMemory = self.runMemory
        let dir = directory
        // Builders are handed back to this thread, which writes them as segments in order.
        let writeLock = Lock()
        // The writer is touched by one worker at a time, under writeLock, while this thread waits.
        nonisolated(unsafe) let writer = self
        let flushDocuments = min(options.flushDocuments, options.commitEvery ?? Int.max)
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            do {
                var builder = try SegmentBuilder(dictionary: dictionary, runMemory: runMemory)
                func flush() throws {
                    guard !builder.isEmpty else { return }
                    // Segments are written in parallel; only registering them is serialized.
                    writeLock.lock()
                    let name = writer.nextSegmentName()
                    writer.writing.insert(name)
                    writeLock.unlock()
                    let reader = try IndexWriter.writeSegment(builder, directory: dir, name: name)
                    writeLock.lock()
                    defer { writeLock.unlock() }
                    let count = Int(builder.docCount)
                    try writer.register(reader, deleted: [], paths: nil)
                    writer.writing.remove(name)
                    builder = try SegmentBuilder(dictionary: dictionary, runMemory: runMemory)
                    if let every = options.commitEvery {
                        let due = shared.withLock { s -> Bool in
                            s.uncommitted += count
                            guard s.uncommitted >= every else { return false }
                            s.uncommitted = 0
                            return true
                        }
                        if due {
                            let merged = try writer.commitDuringSync()
                            shared.withLock { $0.merged += merged }
                        }
                    }
                }
                while true {
                    let i = shared.withLock { s -> Int? in
                        guard s.error == nil, s.next < files.count else { return nil }
                        s.next += 1
                        return s.next - 1
                    }
                    guard let i else { break }
                    let f = files[i]
                    do {
                        guard f.size <= UInt64(options.maxFileSize) else {
                            throw InputError(path: f.relativePath, reason: "larger than the \(options.maxFileSize >> 20) MB limit (--max-file-size), skipped")
                        }
                        var parsed = try reader.read(path: root + "/" + f.relativePath)
                        // The text goes to the builder with no copy left here, so that the
                        // builder can let a long text go once it is in UTF-16.
                        let hash = ContentHash.of(parsed.text)
                        let text = parsed.text
                        parsed.text = ""
                        builder.add(SourceDocument(path: f.relativePath, text: consume text, size: f.size,
                                                   modificationTimeNs: f.modificationTimeNs, contentHash: hash,
                                                   flags: DocumentSource.corpus.rawValue,
                                                   title: (parsed.title, parsed.titleRange), metadata: parsed.metadata))
                        let (done, bytes) = shared.withLock { s -> (Int, UInt64) in
                            s.indexed += 1; s.done += 1; s.bytes += f.size
                            return (s.done, s.bytes)
                        }
                        progress?(done, files.count, bytes)
                    } catch let e as InputError {
                        warn(InputError(path: f.relativePath, reason: e.reason).description)
                        shared.withLock { $0.skipped += 1; $0.done += 1 }
                        continue
                    }
                    if builder.unitsAdded >= options.flushUnits || Int(builder.docCount) >= flushDocuments {
                        try flush()
                    }
                }
                try flush()
            } catch {
                shared.withLock { if $0.error == nil { $0.error = error } }
            }
        }
        let result = shared.withLock { s in (s.indexed, s.skipped, s.bytes, s.merged, s.error) }
        if let e = result.4 { throw e }
        return (result.0, result.1, result.2, result.3)
    }

    static func nowNs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}

// A writer has mutable state without locks: it must stay in one task at a time.
@available(*, unavailable)
extension IndexWriter: Sendable {}
