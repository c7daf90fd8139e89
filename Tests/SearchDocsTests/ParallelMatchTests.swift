import Foundation
import XCTest
@testable import SearchDocs
import TestSupport

/// Matching a query's parts on several threads (segments shared among them) and making its hits'
/// snippets on several threads give exactly what one thread gives: the same total, hits, scores
/// and snippets, for every kind of query.
final class ParallelMatchTests: XCTestCase {
    func testSeveralThreadsGiveWhatOneThreadGives() throws {
        guard let built = try TestCorpus.build(["gov-work-reports", "smart-city-policies"], extra: ExactMatchOracleTests.traps) else { return }
        let index = try SearchIndex(directory: built.index.path)
        XCTAssertGreaterThan(index.segments.count, 3, "the comparison needs an index of several segments")
        var rng = SplitMix64(seed: 20261129)
        func piece(_ maxLength: Int) -> String { built.piece(maxLength, &rng) }
        var queries = ["的", "发展", "行政处罚", "科技 企业", "孵化器 OR 特派员", "建设 -城市", "title:工作", "\"智慧 城市\""]
        for _ in 0..<150 {
            switch rng.next(5) {
            case 0: queries.append(piece(2))
            case 1: queries.append(piece(6))
            case 2: queries.append(piece(3) + " " + piece(3))
            case 3: queries.append(piece(2) + " OR " + piece(4))
            default: queries.append(piece(3) + " -" + piece(2))
            }
        }
        var one = SearchOptions(limit: 50)
        one.threads = 1
        var several = SearchOptions(limit: 50)
        several.threads = 4
        several.parallelMatchDocuments = 0  // every search takes the threaded path
        let withHits = try TestCorpus.assertSameAnswers(index, queries, one, several)
        // Questions (no document holds them exactly) are ranked by words after matching fails.
        var literalOne = one, literalSeveral = several
        literalOne.literal = true
        literalSeveral.literal = true
        for q in ["城市的数字化转型有哪些措施？", "政府工作报告中如何推进科技创新", piece(4) + piece(4) + "是什么"] {
            XCTAssertEqual(try index.search(q, options: literalOne).hits, try index.search(q, options: literalSeveral).hits, q)
        }
        XCTAssertGreaterThan(withHits, 100, "most queries should have hits")
    }
}
