import Foundation
import Synchronization

/// Options for building an index.
public struct IndexOptions: Sendable {
    /// Analysis threads (documents are analysed in parallel). Default: the active processors.
    public var threads: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// A segment is written when its builder has analysed this many UTF-16 units.
    public var flushUnits: Int = 12 << 20
    /// A segment is written after this many documents (tests use small values for many segments).
    public var flushDocuments: Int = Int.max
    /// Files larger than this are skipped with a warning.
    public var maxFileSize: Int = 64 << 20

    public init() {}
}

/// What an index run did.
public struct IndexReport: Sendable {
    public var documents: Int = 0
    public var skipped: Int = 0
    public var segments: Int = 0
    public var bytes: UInt64 = 0
    public var seconds: Double = 0
    /// One line per problem file, naming it.
    public var warnings: [String] = []
}

/// Builds an index of a corpus folder from scratch and commits it.
public enum IndexBuilder {
    /// Indexes every document of `corpus` into `directory`, replacing what was there.
    /// `warn` receives one line per file that could not be indexed.
    public static func build(corpus: String, directory: String, options: IndexOptions = IndexOptions(),
                             warn: @escaping @Sendable (String) -> Void = { _ in }) throws -> IndexReport {
        let started = Date()
        let corpusPath = URL(fileURLWithPath: corpus).standardizedFileURL.path
        try FileIO.makeDirectory(directory)
        let previous = try? Manifest.read(directory: directory)
        let files = try CorpusScanner().scan(root: corpusPath, warn: warn)
        let generation = (previous?.generation ?? 0) + 1
        let reader = DocumentReader(maxFileSize: options.maxFileSize)

        struct Shared {
            var next = 0
            var segments: [Manifest.Segment] = []
            var segmentSerial = 0
            var documents = 0
            var skipped = 0
            var bytes: UInt64 = 0
            var error: Error?
        }
        let shared = Mutex(Shared())
        let threads = max(1, min(options.threads, files.count))
        let runID = String(UInt32.random(in: 0...UInt32.max), radix: 16)

        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            do {
                var builder = try SegmentBuilder()
                func flush() throws {
                    guard !builder.isEmpty else { return }
                    let serial = shared.withLock { s -> Int in s.segmentSerial += 1; return s.segmentSerial }
                    let name = "seg-\(generation)-\(runID)-\(serial).\(SegmentFormat.fileExtension)"
                    try builder.write(to: directory + "/" + name)
                    let count = Int(builder.docCount)
                    shared.withLock { $0.segments.append(Manifest.Segment(file: name, docCount: count)) }
                    builder = try SegmentBuilder()
                }
                while true {
                    let i = shared.withLock { s -> Int? in
                        guard s.error == nil, s.next < files.count else { return nil }
                        s.next += 1
                        return s.next - 1
                    }
                    guard let i else { break }
                    let f = files[i]
                    let text: String
                    do {
                        guard f.size <= UInt64(options.maxFileSize) else {
                            throw InputError(path: f.relativePath, reason: "larger than the \(options.maxFileSize >> 20) MB limit (--max-file-size), skipped")
                        }
                        text = try reader.readText(at: corpusPath + "/" + f.relativePath)
                    } catch let e as InputError {
                        warn(InputError(path: f.relativePath, reason: e.reason).description)
                        shared.withLock { $0.skipped += 1 }
                        continue
                    }
                    let hash = ContentHash.of(text)
                    builder.add(SourceDocument(path: f.relativePath, text: text, size: f.size,
                                               modificationTimeNs: f.modificationTimeNs, contentHash: hash))
                    shared.withLock { $0.documents += 1; $0.bytes += f.size }
                    if builder.unitsAdded >= options.flushUnits || Int(builder.docCount) >= options.flushDocuments {
                        try flush()
                    }
                }
                try flush()
            } catch {
                shared.withLock { if $0.error == nil { $0.error = error } }
            }
        }
        let result = shared.withLock { $0 }
        if let e = result.error { throw e }
        let segments = result.segments.sorted { $0.file < $1.file }
        let manifest = Manifest(generation: generation, corpus: corpusPath, segments: segments)
        try manifest.commit(to: directory)
        removeUnreferencedSegments(in: directory, keep: Set(segments.map(\.file)))
        var report = IndexReport()
        report.documents = result.documents
        report.skipped = result.skipped
        report.segments = segments.count
        report.bytes = result.bytes
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    static func removeUnreferencedSegments(in directory: String, keep: Set<String>) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for n in names where n.hasSuffix("." + SegmentFormat.fileExtension) && !keep.contains(n) {
            try? FileManager.default.removeItem(atPath: directory + "/" + n)
        }
    }
}

/// A 64-bit hash of a document's text, to confirm that a file really changed.
enum ContentHash {
    static func of(_ text: String) -> UInt64 {
        var t = text
        return t.withUTF8 { b -> UInt64 in
            guard let p = b.baseAddress else { return 0 }
            let a = crc32(p, b.count)
            let c = crc32(p, b.count, seed: 0x9E37_79B9)
            return UInt64(a) << 32 | UInt64(c)
        }
    }
}
