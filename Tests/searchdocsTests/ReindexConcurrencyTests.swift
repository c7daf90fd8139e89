import Foundation
import Synchronization
import XCTest
@testable import SearchDocs
import TestSupport

/// Queries run in a loop — in this process, each opening the index afresh, and as `searchdocs
/// query` processes — while a writer thread reindexes changed files and commits again and again,
/// taking the corpus from one state to another and back. Every answer must be that of one of
/// the two states (the one of the generation the reader opened, in process), compared with
/// indexes of each state built from scratch.
final class ReindexConcurrencyTests: XCTestCase {
    static let rounds = 8

    func testQueriesDuringReindexingSeeTheStateBeforeOrAfterACommit() throws {
        guard let docs = try SharedData.documents(of: "smart-city-policies") else { return }
        let root = try temporaryFolder(self, "concurrency")
        let corpus = root.appendingPathComponent("corpus")
        let fm = FileManager.default
        try fm.createDirectory(at: corpus.appendingPathComponent("renamed"), withIntermediateDirectories: true)
        let names = docs.map(\.lastPathComponent)
        @Sendable func url(_ rel: String) -> URL { corpus.appendingPathComponent(rel) }
        for i in 0..<60 { try fm.createSymbolicLink(at: url(names[i]), withDestinationURL: docs[i]) }

        // State B: 6 files edited, 5 deleted, 4 added, 3 renamed; state A is the first 60 files.
        let edited = 0..<6, deleted = 6..<11, renamed = 11..<14, added = 60..<64
        @Sendable func toB() throws {
            for i in edited {
                try fm.removeItem(at: url(names[i]))
                try (try String(contentsOf: docs[i], encoding: .utf8) + "\n附：城市更新专项第\(i + 1)条补充说明。\n")
                    .write(to: url(names[i]), atomically: false, encoding: .utf8)
            }
            for i in deleted { try fm.removeItem(at: url(names[i])) }
            for i in added { try fm.createSymbolicLink(at: url(names[i]), withDestinationURL: docs[i]) }
            for i in renamed { try fm.moveItem(at: url(names[i]), to: url("renamed/" + names[i])) }
        }
        @Sendable func toA() throws {
            for i in edited {
                try fm.removeItem(at: url(names[i]))
                try fm.createSymbolicLink(at: url(names[i]), withDestinationURL: docs[i])
            }
            for i in deleted { try fm.createSymbolicLink(at: url(names[i]), withDestinationURL: docs[i]) }
            for i in added { try fm.removeItem(at: url(names[i])) }
            for i in renamed { try fm.moveItem(at: url("renamed/" + names[i]), to: url(names[i])) }
        }

        // Each state indexed from scratch: the answers to expect.
        let queries = ["\"城市更新专项\"", "智慧城市", "数据 -平台", "\"新型基础设施\"", "title:建设", "如何推进城市数据共享和开放"]
        func answers(_ dir: URL) throws -> (count: Int, answers: [RankedAnswer]) {
            try IndexBuilder.build(corpus: corpus.path, directory: dir.path)
            let index = try SearchIndex(directory: dir.path)
            return (index.documentCount, try queries.map { try index.ranked($0) })
        }
        let a = try answers(root.appendingPathComponent("ref-a"))
        try toB()
        let b = try answers(root.appendingPathComponent("ref-b"))
        try toA()
        XCTAssertEqual(a.count, 60)
        XCTAssertEqual(b.count, 59)
        XCTAssertTrue(b.answers[0].count == 6 && a.answers[0].isEmpty, "the edits are what the first query finds")
        for (q, (x, y)) in zip(queries, zip(a.answers, b.answers)) { XCTAssertNotNil(difference(x, y), "\(q) tells the states apart") }

        // The index the readers read, in state A, in several segments.
        let live = root.appendingPathComponent("index")
        var options = IndexOptions()
        options.flushDocuments = 10
        try IndexBuilder.build(corpus: corpus.path, directory: live.path, options: options)
        let first = try SearchIndex(directory: live.path)
        let baseGeneration = first.generation

        // The writer: B, A, B, … one sync (one commit) per round.
        let done = Atomic<Bool>(false)
        let writerErrors = Mutex<[String]>([])
        let writer = Thread {
            defer { done.store(true, ordering: .releasing) }
            do {
                let w = try IndexWriter(directory: live.path)
                for round in 1...ReindexConcurrencyTests.rounds {
                    try round % 2 == 1 ? toB() : toA()
                    let report = try w.sync().description
                    let expected = round % 2 == 1 ? "+4 added, ~6 changed, -5 removed" : "+5 added, ~6 changed, -4 removed"
                    if !report.hasPrefix(expected + ", 3 renamed, 46 unchanged (") {
                        writerErrors.withLock { $0.append("round \(round): \(report)") }
                    }
                    usleep(20_000)
                }
            } catch {
                writerErrors.withLock { $0.append("\(error)") }
            }
        }
        writer.start()
        // A second reader only opens the index, as often as it can, and counts its documents.
        let opens = Mutex<(count: Int, problems: [String])>((0, []))
        let opener = Thread {
            while !done.load(ordering: .acquiring) {
                do {
                    let index = try SearchIndex(directory: live.path)
                    let expected = (index.generation - baseGeneration) % 2 == 0 ? a.count : b.count
                    opens.withLock { o in
                        o.count += 1
                        if index.documentCount != expected { o.problems.append("generation \(index.generation): \(index.documentCount) documents") }
                    }
                } catch {
                    opens.withLock { $0.problems.append("open: \(error)") }
                }
            }
        }
        opener.start()

        var iterations = 0, cliQueries = 0
        var seen = Set<Int>()
        var problems: [String] = []
        var held = [first]
        func check(_ index: SearchIndex) throws {
            let state = (index.generation - baseGeneration) % 2
            let expected = state == 0 ? a : b
            if index.documentCount != expected.count { problems.append("generation \(index.generation): \(index.documentCount) documents") }
            for (q, answer) in zip(queries, expected.answers) {
                if let d = difference(try index.ranked(q), answer) {
                    problems.append("generation \(index.generation) (state \(state == 0 ? "A" : "B")), \(q): \(d)")
                }
            }
        }
        while !done.load(ordering: .acquiring) {
            let index: SearchIndex
            do {
                index = try SearchIndex(directory: live.path)
                seen.insert(index.generation)
                try check(index)
            } catch {
                problems.append("\(error)")
                iterations += 1
                continue
            }
            if iterations % 10 == 0 { held.append(index) }
            if iterations % 5 == 0 {
                // A query process sees one of the two states.
                let q = queries[(iterations / 5) % queries.count], k = queries.firstIndex(of: q)!
                guard let r = try? SearchDocsProcess.run(["query", q, "--index", live.path, "--json", "--limit", "20"], in: root) else {
                    problems.append("searchdocs query did not run")
                    continue
                }
                let answer: RankedAnswer = r.stdout.split(separator: "\n").compactMap { line in
                    guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                          let p = o["path"] as? String, let s = o["score"] as? Double else { return nil }
                    return (p, s)
                }
                if r.status == 2 || (difference(answer, a.answers[k]) != nil && difference(answer, b.answers[k]) != nil) {
                    problems.append("searchdocs query \(q): status \(r.status), \(r.stderr) \(answer.map(\.path))")
                }
                cliQueries += 1
            }
            iterations += 1
        }
        while opener.isExecuting { usleep(1_000) }
        XCTAssertEqual(writerErrors.withLock { $0 }, [])
        let (openCount, openProblems) = opens.withLock { ($0.count, $0.problems) }
        XCTAssertTrue(openProblems.isEmpty, "\(openProblems.count) bad opens: \(openProblems.prefix(5))")
        // Readers opened earlier still answer from their snapshots, whose files later commits removed.
        for index in held {
            do { try check(index) } catch { problems.append("a held reader: \(error)") }
        }
        XCTAssertTrue(problems.isEmpty, "\(problems.count) wrong answers: \(problems.prefix(5).joined(separator: "\n"))")
        let last = try SearchIndex(directory: live.path)
        XCTAssertEqual(last.generation, baseGeneration + ReindexConcurrencyTests.rounds)
        XCTAssertGreaterThanOrEqual(seen.count, 3, "readers saw generations \(seen.sorted())")
        print("concurrency: \(iterations) in-process reads (\(seen.count) generations), \(openCount) opens, \(cliQueries) query processes, \(held.count) readers held across commits")
    }
}
