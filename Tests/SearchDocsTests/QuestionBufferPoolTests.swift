import XCTest
@testable import SearchDocs
import TestSupport

/// The buffers a question's ranking reuses: handed out once at a time, kept within bounds.
final class QuestionBufferPoolTests: XCTestCase {
    func testBuffersComeBackForTheNextQuestion() {
        let pool = QuestionBufferPool()
        let a = pool.take()
        _ = a.zeroedEvidence(1000)
        pool.give(a)
        XCTAssertTrue(pool.take() === a, "the kept buffers go to the next question")
        XCTAssertFalse(pool.take() === a, "one ranking at a time")
    }

    func testAtMostAFewAreKeptAndNotTooLarge() {
        let pool = QuestionBufferPool()
        let many = (0..<(QuestionBufferPool.kept + 2)).map { _ in pool.take() }
        for b in many { pool.give(b) }
        let again = (0..<(QuestionBufferPool.kept + 2)).map { _ in pool.take() }
        XCTAssertEqual(again.filter { b in many.contains { $0 === b } }.count, QuestionBufferPool.kept)

        let fresh = QuestionBufferPool()
        let big = fresh.take()
        _ = big.zeroedEvidence(QuestionBufferPool.keptBytes / MemoryLayout<QuestionRanker.Evidence>.stride + 1)
        fresh.give(big)
        XCTAssertFalse(fresh.take() === big, "buffers beyond the byte bound are let go")
    }

    func testEvidenceIsZeroedEveryTime() {
        let b = QuestionBuffers()
        let e = b.zeroedEvidence(10)
        e[3].pairScore = 7
        e[9].pairCount = 2
        let again = b.zeroedEvidence(10)
        XCTAssertEqual(again[3].pairScore, 0)
        XCTAssertEqual(again[9].pairCount, 0)
    }

    func testEveryQuestionRanksAsOnAFreshIndex() throws {
        // Questions one after another on one open index (their buffers reused) rank exactly as
        // each alone on a fresh one.
        let folder = try TemporaryFolder(prefix: "question-buffers")
        defer { folder.remove() }
        var docs: [String: String] = [:]
        let words = ["科技", "特派员", "孵化器", "企业", "服务", "乡村", "振兴", "节水", "灌溉", "工程"]
        var rng = SplitMix64(seed: 5)
        for i in 0..<150 { docs["d\(i)"] = (0..<(5 + rng.next(60))).map { _ in words[rng.next(words.count)] }.joined(separator: "，") }
        let shared = try TestCorpus.small(docs, in: folder)
        var options = SearchOptions()
        options.literal = true
        options.limit = 200
        options.snippets = false
        for q in ["科技特派员如何服务企业？", "乡村振兴有哪些节水工程？", "孵化器在哪里？", "特派员是什么？"] {
            let reused = try shared.search(q, options: options)
            let fresh = try SearchIndex(directory: folder.path("index")).search(q, options: options)
            XCTAssertEqual(reused.total, fresh.total, q)
            XCTAssertEqual(reused.hits.map(\.path), fresh.hits.map(\.path), q)
            XCTAssertEqual(reused.hits.map(\.score), fresh.hits.map(\.score), q)
        }
    }
}
