import Foundation
import XCTest
@testable import SearchDocs
import TestSupport

/// Documents with exactly the same text show as one hit with the others as its copies, checked
/// against the ungrouped ranking on a corpus where many texts are saved under several names.
final class CopyGroupingTests: XCTestCase {
    func testCopiesJoinTheFirstOfTheirTextAgainstTheUngroupedRanking() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        let corpus = tmp.url.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        var rng = SplitMix64(seed: 0xC0B1)
        let phrases = ["推进科技企业孵化器建设", "众创空间和孵化器评估", "科技特派员服务乡村", "认定市级孵化器名单", "节水灌溉工程技术研究",
                       "组织企业申报高新技术企业", "科技成果转化"]
        // Twelve texts, each saved under one to five names (a few with a 索引号 of their own).
        var textOf: [String: String] = [:]
        for t in 0..<12 {
            var body = ""
            for _ in 0..<(2 + rng.next(6)) { body += phrases[rng.next(phrases.count)] + "。" }
            let text = t % 5 == 0
                ? "第\(t)号通知\n\n索引号 620722024/2024-\(String(format: "%05d", t)) 发文字号\n生成日期 2024-0\(1 + t % 9)-01\n\n\(body)\n"
                : "第\(t)号通知\n\n\(body)\n"
            for k in 0..<(1 + rng.next(5)) {
                let name = "t\(t)-copy\(k).txt"
                textOf[name] = text
                try text.write(to: corpus.appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
        }
        let dir = tmp.url.appendingPathComponent("index").path
        var build = IndexOptions()
        build.flushDocuments = 7  // several segments: copies meet across them
        _ = try IndexWriter(directory: dir, corpus: corpus.path, options: build).sync()
        let index = try SearchIndex(directory: dir)

        for query in ["孵化器", "科技", "科技企业孵化器 OR 特派员", "孵化器建设在哪里评估"] {
            var plain = SearchOptions(limit: 1000, snippets: false)
            plain.groupVersions = false
            XCTAssertFalse(plain.groupCopies, "hits are documents unless copies are asked for")
            let ungrouped = try index.search(query, options: plain)
            var grouped = SearchOptions(limit: 1000, snippets: false)
            grouped.groupVersions = false
            grouped.groupCopies = true
            let all = try index.search(query, options: grouped)
            XCTAssertEqual(all.total, ungrouped.total, query)

            // The oracle: walk the ungrouped ranking; the first document of each text is a hit,
            // the later ones its copies, in rank order.
            var expected: [(path: String, copies: [String])] = []
            var entryOfText: [String: Int] = [:]
            for h in ungrouped.hits {
                let text = textOf[h.path]!
                if let e = entryOfText[text] { expected[e].copies.append(h.path) } else {
                    entryOfText[text] = expected.count
                    expected.append((h.path, []))
                }
            }
            XCTAssertEqual(all.hits.map(\.path), expected.map(\.path), query)
            XCTAssertEqual(all.hits.map(\.copies), expected.map(\.copies), query)
            XCTAssertTrue(expected.contains { !$0.copies.isEmpty }, "the corpus has copies for \(query)")

            // Pages of two hits put together are the whole list, copies included.
            var paged: [SearchHit] = []
            var offset = 0
            while true {
                var page = SearchOptions(limit: 2, offset: offset, snippets: false)
                page.groupVersions = false
                page.groupCopies = true
                let r = try index.search(query, options: page)
                if r.hits.isEmpty { break }
                paged += r.hits
                offset += 2
            }
            XCTAssertEqual(paged.map(\.path), expected.map(\.path), query)
            XCTAssertEqual(paged.map(\.copies), expected.map(\.copies), query)
            XCTAssertEqual(paged.map(\.rank), Array(1...paged.count), query)
        }

        // With versions grouped too, no document shows twice, and every one is somewhere.
        var both = SearchOptions(limit: 1000, snippets: false)
        both.groupCopies = true
        let r = try index.search("孵化器", options: both)
        let listed = r.hits.flatMap { [$0.path] + $0.earlierVersions + $0.copies }
        XCTAssertEqual(listed.count, Set(listed).count)
        XCTAssertEqual(listed.count, r.total)
    }
}
