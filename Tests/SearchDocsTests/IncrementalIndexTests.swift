import Foundation
import XCTest
@testable import SearchDocs
import TestSupport

/// Incremental indexing against a rebuild: after random adds, edits, deletes and renames, an
/// index brought up to date by `sync` answers exactly like one built from scratch.
final class IncrementalIndexTests: XCTestCase {
    func testTenRoundsOfChangesMatchARebuild() throws {
        guard let source = try SharedData.require("corpora/smart-city-policies/docs"),
              let extra = try SharedData.require("corpora/gov-work-reports/docs"),
              let keywordFile = try SharedData.require("eval/keywords.txt"),
              let questionFile = try SharedData.require("eval/ncpqa/queries.dev.tsv") else { return }
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        let fm = FileManager.default
        let corpus = tmp.url.appendingPathComponent("corpus")
        try fm.createDirectory(at: corpus, withIntermediateDirectories: true)
        for f in try fm.contentsOfDirectory(atPath: source.path) where f.hasSuffix(".txt") {
            try fm.copyItem(at: source.appendingPathComponent(f), to: corpus.appendingPathComponent(f))
        }
        let spare = try fm.contentsOfDirectory(atPath: extra.path).filter { $0.hasSuffix(".txt") }.sorted()

        var rng = SplitMix64(seed: UInt64(ProcessInfo.processInfo.environment["INCREMENTAL_SEED"] ?? "") ?? 31)
        print("incremental seed \(rng.seed)")
        // 70 keywords (the shared list, then substrings of documents) and 30 questions.
        var keywords = try String(contentsOf: keywordFile, encoding: .utf8).split(separator: "\n")
            .map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
        let texts = try fm.contentsOfDirectory(atPath: corpus.path).sorted().map {
            Array(try String(contentsOf: corpus.appendingPathComponent($0), encoding: .utf8).unicodeScalars)
        }
        while keywords.count < 70 {
            let t = texts[rng.next(texts.count)]
            let len = 2 + rng.next(3), at = rng.next(max(1, t.count - len))
            let s = String(String.UnicodeScalarView(t[at..<min(t.count, at + len)]))
            if ExactMatchOracleTests.usable(s) { keywords.append(s) }
        }
        let questions = try String(contentsOf: questionFile, encoding: .utf8).split(separator: "\n")
            .prefix(30).compactMap { $0.split(separator: "\t").last.map(String.init) }
        XCTAssertEqual(questions.count, 30)

        let live = tmp.url.appendingPathComponent("live")
        var options = IndexOptions()
        options.flushDocuments = 60
        _ = try IndexWriter(directory: live.path, corpus: corpus.path, options: options).sync()

        var spareNext = 0
        for round in 1...10 {
            var files = try fm.contentsOfDirectory(atPath: corpus.path).sorted()
            var added = 0, edited = 0, deleted = 0, renamed = 0
            for _ in 0..<(3 + rng.next(6)) {
                switch rng.next(4) {
                case 0:  // add a document from another corpus
                    let name = "added-\(round)-\(spareNext).txt"
                    try fm.copyItem(at: extra.appendingPathComponent(spare[spareNext % spare.count]), to: corpus.appendingPathComponent(name))
                    spareNext += 1
                    files.append(name)
                    added += 1
                case 1:  // edit: append a sentence
                    guard !files.isEmpty else { continue }
                    let name = files.remove(at: rng.next(files.count))
                    let url = corpus.appendingPathComponent(name)
                    let text = try String(contentsOf: url, encoding: .utf8) + "\n第\(round)轮修订：推进智慧城市孵化器建设。\n"
                    try text.write(to: url, atomically: true, encoding: .utf8)
                    edited += 1
                case 2:
                    guard files.count > 20 else { continue }
                    let name = files.remove(at: rng.next(files.count))
                    try fm.removeItem(at: corpus.appendingPathComponent(name))
                    deleted += 1
                default:
                    guard !files.isEmpty else { continue }
                    let name = files.remove(at: rng.next(files.count))
                    let to = "renamed-\(round)-\(name)"
                    try fm.moveItem(at: corpus.appendingPathComponent(name), to: corpus.appendingPathComponent(to))
                    renamed += 1
                }
            }
            let report = try IndexWriter(directory: live.path, options: options).sync()
            XCTAssertEqual(report.added, added, "round \(round)")
            XCTAssertEqual(report.changed, edited, "round \(round)")
            XCTAssertEqual(report.removed, deleted, "round \(round)")
            XCTAssertEqual(report.renamed, renamed, "round \(round)")
            // Only what changed was analysed (plus what merges re-analysed).
            XCTAssertEqual(report.analyzed - report.merged, added + edited, "round \(round)")

            let fresh = tmp.url.appendingPathComponent("fresh-\(round)")
            _ = try IndexBuilder.build(corpus: corpus.path, directory: fresh.path, options: options)
            let a = try SearchIndex(directory: live.path), b = try SearchIndex(directory: fresh.path)
            XCTAssertEqual(a.documentCount, b.documentCount)
            for q in keywords { try compare(a, b, q, literal: false) }
            for q in questions { try compare(a, b, q, literal: true) }
            print("round \(round): +\(added) ~\(edited) -\(deleted) >\(renamed), \(report.segments) segments, merged \(report.merged)")
            try? fm.removeItem(at: fresh)
        }
    }

    /// The top 20 of both indexes agree: scores within 1e-4, documents of equal score as sets.
    private func compare(_ a: SearchIndex, _ b: SearchIndex, _ q: String, literal: Bool) throws {
        var o = SearchOptions()
        o.limit = 40
        o.snippets = false
        o.literal = literal
        let ra = try a.search(q, options: o), rb = try b.search(q, options: o)
        XCTAssertEqual(ra.total, rb.total, q)
        let n = min(20, ra.hits.count)
        XCTAssertEqual(min(20, rb.hits.count), n, q)
        guard n > 0 else { return }
        for i in 0..<n {
            XCTAssertEqual(ra.hits[i].score, rb.hits[i].score, accuracy: 1e-4, "\(q) #\(i + 1)")
        }
        // Groups of equal score: compared as sets (the last group may be cut by the top 20).
        var i = 0
        while i < n {
            let s = ra.hits[i].score
            let groupA = Set(ra.hits.filter { abs($0.score - s) < 1e-4 }.map(\.path))
            let groupB = Set(rb.hits.filter { abs($0.score - s) < 1e-4 }.map(\.path))
            var j = i
            while j < n && abs(ra.hits[j].score - s) < 1e-4 { j += 1 }
            if j < n || (ra.hits.count < 40 && rb.hits.count < 40) {
                XCTAssertEqual(groupA, groupB, "\(q): documents scoring \(s)")
            } else {
                XCTAssertTrue(Set(ra.hits[i..<j].map(\.path)).isSubset(of: groupB), "\(q): documents scoring \(s)")
            }
            i = j
        }
    }
}
