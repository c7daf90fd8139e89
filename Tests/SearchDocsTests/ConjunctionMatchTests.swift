import Foundation
import XCTest
@testable import SearchDocs
import TestSupport

/// A query that ANDs its parts matches them rarest first, and a later part of one or two
/// characters makes hits only in the documents the earlier parts matched. That must give exactly
/// what matching every part in every document gives: the same totals, hits, scores (the parts'
/// document frequencies counted whole), title matches and snippets.
final class ConjunctionMatchTests: XCTestCase {
    func testRestrictedPartsGiveWhatWholePartsGive() throws {
        guard let built = try TestCorpus.build(["gov-work-reports", "smart-city-policies"], extra: ExactMatchOracleTests.traps) else { return }
        let index = try SearchIndex(directory: built.index.path)
        var rng = SplitMix64(seed: 20261130)
        func piece(_ maxLength: Int) -> String { built.piece(maxLength, &rng) }
        var queries = ["养老 服务 机构", "食品 安全 监督", "科技 特派员", "知识产权 保护", "的 发展",
                       "城市 title:工作", "\"智慧 城市\" 建设", "数字 政府 date:>=2023",
                       // A part no document holds is ranked by its words: the others are not restricted.
                       "科技 城市的数字化转型有哪些措施"]
        for _ in 0..<200 {
            switch rng.next(4) {
            case 0: queries.append(piece(2) + " " + piece(2))
            case 1: queries.append(piece(1) + " " + piece(3) + " " + piece(2))
            case 2: queries.append(piece(5) + " " + piece(2))
            default: queries.append(piece(2) + " title:" + piece(2))
            }
        }
        var (restricted, whole) = options(limit: 30)
        let withHits = try TestCorpus.assertSameAnswers(index, queries, restricted, whole)
        XCTAssertGreaterThan(withHits, 120, "most queries should have hits")
        // On several threads too (segments shared among them).
        restricted.threads = 4
        restricted.parallelMatchDocuments = 0
        try TestCorpus.assertSameAnswers(index, Array(queries.prefix(60)), restricted, whole)
    }

    /// Options that restrict ANDed parts, on one thread, and the same without restricting.
    private func options(limit: Int) -> (restricted: SearchOptions, whole: SearchOptions) {
        var restricted = SearchOptions(limit: limit)
        restricted.threads = 1
        var whole = restricted
        whole.restrictConjunctions = false
        return (restricted, whole)
    }

    /// With deleted documents in the segments: a restricted part counts only live documents, as
    /// its hits did.
    func testRestrictedPartsCountLiveDocuments() throws {
        guard let built = try TestCorpus.build(["gov-work-reports", "smart-city-policies"], extra: ExactMatchOracleTests.traps) else { return }
        let folder = try TemporaryFolder(prefix: "conjunction")
        defer { folder.remove() }
        let writer = try IndexWriter(directory: folder.path("index"))
        let paths = built.texts.keys.sorted().prefix(120)
        for path in paths { try writer.addDocument(path: path, text: built.texts[path]!) }
        try writer.commit()
        // Few enough that the segment keeps them as deleted rather than being rewritten.
        for path in paths.enumerated().filter({ $0.offset % 12 == 5 }).map(\.element) {
            XCTAssertTrue(writer.deleteDocument(path: path))
        }
        try writer.commit()
        let index = try SearchIndex(directory: folder.path("index"))
        XCTAssertTrue(index.segments.contains { !$0.changes.deleted.isEmpty }, "the test needs segments with deleted documents")
        var rng = SplitMix64(seed: 301)
        var queries = ["发展 城市", "的 建设", "科技 创新 服务"]
        for _ in 0..<120 {
            queries.append(rng.next(2) == 0 ? built.piece(2, &rng) + " " + built.piece(2, &rng)
                                            : built.piece(1, &rng) + " " + built.piece(4, &rng) + " " + built.piece(2, &rng))
        }
        let (restricted, whole) = options(limit: 20)
        let withHits = try TestCorpus.assertSameAnswers(index, queries, restricted, whole)
        XCTAssertGreaterThan(withHits, 30, "queries should have hits")
    }
}
