import Foundation
import SearchDocs
import Synchronization
import XCTest
import TestSupport

/// Set by the writer task when it has made its last commit.
final class Done: Sendable {
    let flag = Atomic<Bool>(false)
}

/// One `SearchIndex` shared by several tasks searching at once while a writer commits: the
/// shared index keeps its snapshot; an index opened later sees the commits.
final class ConcurrencyTests: XCTestCase {
    static let word = "共同词"

    func testConcurrentSearchesWhileAWriterCommits() async throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        let dir = tmp.path("index")
        let initial = 30
        do {
            let writer = try IndexWriter(directory: dir)
            for i in 0..<initial {
                try writer.addDocument(path: "seed/\(i).txt", text: "第\(i)号通知\n本文含有\(Self.word)，编号\(i)。")
            }
            try writer.commit()
        }
        let shared = try SearchIndex(directory: dir)
        let generation = shared.generation
        let expected = try shared.search(Self.word, options: SearchOptions(limit: 100))
        XCTAssertEqual(expected.total, initial)
        // A question (no document holds it exactly): the ranker's reused buffers, shared by the readers.
        let question = "本文含有哪些\(Self.word)？"
        let expectedAnswer = try shared.search(question, options: SearchOptions(limit: 100, literal: true))
        XCTAssertEqual(expectedAnswer.total, initial)
        let rounds = 12
        let writerDone = Done()

        let problems = try await withThrowingTaskGroup(of: [String].self) { group in
            // The writer: each round adds three documents, deletes one seed and commits, so the
            // index passes through many segments, merges and deletions files.
            group.addTask {
                var problems: [String] = []
                let writer = try IndexWriter(directory: dir, wait: true)
                for round in 0..<rounds {
                    for k in 0..<3 {
                        try writer.addDocument(path: "new/\(round)-\(k).txt", text: "第\(round)轮新增\n本文含有\(Self.word)。")
                    }
                    writer.deleteDocument(path: "seed/\(round).txt")
                    try writer.commit()
                    let now = try SearchIndex(directory: dir)
                    let want = initial + 2 * (round + 1)
                    if now.documentCount != want { problems.append("round \(round): \(now.documentCount) documents, want \(want)") }
                    await Task.yield()
                }
                writerDone.flag.store(true, ordering: .releasing)
                return problems
            }
            // Readers, until the writer is done: the shared snapshot never changes; a fresh one is
            // always consistent and never goes back in time.
            for reader in 0..<4 {
                group.addTask {
                    var problems: [String] = []
                    var lastGeneration = generation
                    var i = 0
                    while i < 25 || !writerDone.flag.load(ordering: .acquiring) {
                        defer { i += 1 }
                        let results = try shared.search(Self.word, options: SearchOptions(limit: 100))
                        if results != expected { problems.append("reader \(reader) #\(i): the shared snapshot changed") }
                        if try shared.search(question, options: SearchOptions(limit: 100, literal: true)) != expectedAnswer {
                            problems.append("reader \(reader) #\(i): the question's answer changed")
                        }
                        if try shared.count(.text("编号\(i % initial)。", quoted: true)) != 1 {
                            problems.append("reader \(reader) #\(i): seed \(i % initial) missing from the shared snapshot")
                        }
                        let fresh = try SearchIndex(directory: dir)
                        let total = try fresh.count(Self.word)
                        if total != fresh.documentCount {
                            problems.append("reader \(reader) #\(i): \(total) matches of \(fresh.documentCount) documents")
                        }
                        if fresh.generation < lastGeneration { problems.append("reader \(reader) #\(i): generation went back") }
                        lastGeneration = fresh.generation
                        await Task.yield()
                    }
                    return problems
                }
            }
            var all: [String] = []
            for try await p in group { all += p }
            return all
        }
        XCTAssertEqual(problems, [])

        XCTAssertEqual(shared.generation, generation)
        XCTAssertEqual(try shared.search(Self.word, options: SearchOptions(limit: 100)), expected)
        let final = try SearchIndex(directory: dir)
        XCTAssertEqual(final.generation, generation + rounds)
        XCTAssertEqual(final.documentCount, initial + 2 * rounds)
        XCTAssertEqual(try final.count(Self.word), initial + 2 * rounds)
        // Quoted: an unquoted part that no document contains would be matched by its words.
        XCTAssertEqual(try final.count(.text("编号0。", quoted: true)), 0)
        XCTAssertEqual(try final.count(.text("编号\(rounds)。", quoted: true)), 1)
        XCTAssertEqual(try IndexVerifier.verify(directory: dir), [])
    }
}
