import XCTest
@testable import SearchDocs

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
}
