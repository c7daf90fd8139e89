import Foundation
import XCTest
@testable import SearchDocs
import TestSupport

/// Index fixtures built once per test run: corpora of the shared data, linked into a temporary
/// folder, indexed in several segments.
enum TestCorpus {
    struct Built {
        let corpus: URL
        let index: URL
        /// Relative path → the file's text.
        let texts: [String: String]

        /// A random piece of one of the texts, 1 to `maxLength` characters, all letters or digits
        /// (a query part that occurs, with no query syntax in it).
        func piece(_ maxLength: Int, _ rng: inout SplitMix64) -> String {
            let docs = texts.keys.sorted()
            while true {
                let doc = Array(texts[docs[rng.next(docs.count)]]!.unicodeScalars)
                guard doc.count > 10 else { continue }
                let len = 1 + rng.next(maxLength)
                let start = rng.next(doc.count - len)
                let s = String(String.UnicodeScalarView(doc[start..<(start + len)]))
                if s.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || $0.properties.numericType != nil }) { return s }
            }
        }
    }

    /// An index in `folder` (subfolder `index`) of `docs`, path → text, added through the library
    /// and committed as one segment.
    static func small(_ docs: [String: String], in folder: TemporaryFolder) throws -> SearchIndex {
        let writer = try IndexWriter(directory: folder.path("index"))
        for (path, text) in docs { try writer.addDocument(path: path, text: text) }
        try writer.commit()
        return try SearchIndex(directory: folder.path("index"))
    }

    /// Asserts that `index` answers every query alike with options `a` and `b` (the same total
    /// and hits: scores, title matches, snippets); returns how many queries have hits.
    @discardableResult
    static func assertSameAnswers(_ index: SearchIndex, _ queries: [String], _ a: SearchOptions, _ b: SearchOptions,
                                  file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        var withHits = 0
        for q in queries {
            let x = try index.search(q, options: a)
            let y = try index.search(q, options: b)
            XCTAssertEqual(x.total, y.total, q, file: file, line: line)
            XCTAssertEqual(x.hits, y.hits, q, file: file, line: line)
            if x.total > 0 { withHits += 1 }
        }
        return withHits
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [String: Built] = [:]

    /// Builds (once) an index of the named shared corpora plus `extra` files, flushing every
    /// `flushDocuments` documents so the index has several segments.
    static func build(_ corpora: [String], extra: [String: String] = [:], flushDocuments: Int = 40) throws -> Built? {
        let key = corpora.joined(separator: "+") + "#\(extra.count)#\(flushDocuments)"
        lock.lock(); defer { lock.unlock() }
        if let b = cache[key] { return b }
        let root = try TemporaryFolder().url
        let corpusDir = root.appendingPathComponent("corpus")
        let fm = FileManager.default
        var texts: [String: String] = [:]
        for name in corpora {
            guard let docs = try SharedData.require("corpora/\(name)/docs") else { return nil }
            let dest = corpusDir.appendingPathComponent(name)
            try fm.createDirectory(at: dest, withIntermediateDirectories: true)
            for f in try fm.contentsOfDirectory(atPath: docs.path) where f.hasSuffix(".txt") {
                let src = docs.appendingPathComponent(f)
                try fm.createSymbolicLink(at: dest.appendingPathComponent(f), withDestinationURL: src)
                texts["\(name)/\(f)"] = try String(contentsOf: src, encoding: .utf8)
            }
        }
        try fm.createDirectory(at: corpusDir, withIntermediateDirectories: true)
        for (name, text) in extra {
            let url = corpusDir.appendingPathComponent(name)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
            texts[name] = text
        }
        let index = root.appendingPathComponent("index")
        var options = IndexOptions()
        options.flushDocuments = flushDocuments
        options.merges = false  // the segments as flushed: several, whatever the merge policy
        // A user dictionary, so the oracles hold with one on.
        let dict = root.appendingPathComponent("dictionary.txt")
        try "中国科学院\n人民政府\n高质量发展\n科技特派员\n5G网络\n".write(to: dict, atomically: true, encoding: .utf8)
        options.dictionaryPath = dict.path
        let started = Date()
        let report = try IndexBuilder.build(corpus: corpusDir.path, directory: index.path, options: options)
        print("indexed \(report.analyzed) documents into \(report.segments) segments in \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
        let built = Built(corpus: corpusDir, index: index, texts: texts)
        cache[key] = built
        return built
    }
}
