import Foundation
import XCTest
@testable import SearchDocs
import TestSupport

/// Disclosure pages as they come — text and GBK HTML — searched with metadata filters, facets,
/// date order and version grouping, checked against brute force over the metadata.
final class DisclosureSearchTests: XCTestCase {
    struct Fixture {
        let tmp: TemporaryFolder
        let index: SearchIndex
        let docs: [String: DisclosureMetadata]
    }

    func makeCorpus() throws -> Fixture? {
        guard let seed = try DocumentFixtures.seedText() else { return nil }
        let tmp = try TemporaryFolder()
        let corpus = tmp.url.appendingPathComponent("corpus")
        let fm = FileManager.default
        try fm.createDirectory(at: corpus.appendingPathComponent(".searchdocs"), withIntermediateDirectories: true)
        try "民乐县科学技术局=民乐县科技局\n".write(to: corpus.appendingPathComponent(OrgAliases.fileName), atomically: true, encoding: .utf8)
        func doc(_ id: String, org: String, date: String, title: String, body: String) -> String {
            "网站支持IPV6 | 无障碍阅读\n当前位置: 首页>>政府信息公开\n\n\(title)\n\n索引号 \(id) 发文字号\n关键词 发布机构 \(org)\n公开形式 主动公开 责任部门 \(org)\n生成日期 \(date) 是否有效\n\n\(body)\n"
        }
        let files: [(String, String)] = [
            ("a.txt", doc("620722024/2024-00001", org: "民乐县科技局", date: "2024-03-01 09:00:00", title: "民乐县孵化器建设通知", body: "推进科技企业孵化器建设。")),
            ("b.txt", doc("620722024/2024-00002", org: "民乐县科学技术局", date: "2024-08-15 10:00:00", title: "众创空间和孵化器评估", body: "孵化器评估工作。")),
            ("c.txt", doc("620722024/2023-00009", org: "张掖市科学技术局", date: "2023-05-20 10:00:00", title: "张掖市孵化器名单", body: "认定孵化器名单。")),
            ("d-v1.txt", doc("620722024/2024-00036", org: "民乐县科技局", date: "2024-07-01 08:00:00", title: "工作总结（初稿）", body: "孵化器工作总结初稿。")),
            ("d-v2.txt", doc("620722024/2024-00036", org: "民乐县科技局", date: "2024-07-24 17:08:31", title: "工作总结（修订）", body: "孵化器工作总结修订稿。")),
        ]
        for (name, text) in files { try text.write(to: corpus.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        // The seed as a county site's GBK page.
        try Data(try DocumentFixtures.encode(DocumentFixtures.countyPage(seed: seed), "GB18030")).write(to: corpus.appendingPathComponent("seed.html"))
        let dir = tmp.url.appendingPathComponent("index").path
        let report = try IndexBuilder.build(corpus: corpus.path, directory: dir)
        XCTAssertEqual(report.added, 6)
        let index = try SearchIndex(directory: dir)
        var docs: [String: DisclosureMetadata] = [:]
        for seg in index.segments { for d in 0..<seg.reader.docCount { let r = try seg.doc(d); docs[r.path] = r.metadata } }
        return Fixture(tmp: tmp, index: index, docs: docs)
    }

    func paths(_ index: SearchIndex, _ q: String, configure: (inout SearchOptions) -> Void = { _ in }) throws -> [String] {
        var o = SearchOptions()
        o.limit = 100
        configure(&o)
        return try index.search(q, options: o).hits.map(\.path)
    }

    func testHTMLPageInGBKIsIndexedWithItsMetadataAndWithoutFurniture() throws {
        guard let f = try makeCorpus() else { return }
        defer { f.tmp.remove() }
        let m = try XCTUnwrap(f.docs["seed.html"])
        XCTAssertEqual(m.indexNumber, "620722024/2024-00036")
        XCTAssertEqual(m.publisher, "民乐县科技局")
        XCTAssertEqual(m.date, "2024-07-24")
        let hit = try XCTUnwrap(try f.index.search("鼎信陇源").hits.first)
        XCTAssertEqual(hit.title, DocumentFixtures.seedTitle)
        // Banner and breadcrumb never in a title or a snippet, for text files as for pages.
        XCTAssertEqual(try f.index.search("\"当前位置\"").total, 0)
        XCTAssertEqual(try f.index.search("\"网站支持IPV6\"").total, 0)
        XCTAssertEqual(try f.index.search("\"IPV6\"").total, 0)
    }

    func testFiltersFacetsAndOrderAgreeWithBruteForce() throws {
        guard let f = try makeCorpus() else { return }
        defer { f.tmp.remove() }
        let all = try paths(f.index, "孵化器") { $0.groupVersions = false }
        XCTAssertEqual(Set(all), Set(f.docs.keys))
        // org: a substring of 发布机构, and the alias file joins an office's names.
        let org = Set(try paths(f.index, "孵化器 org:民乐县科技局") { $0.groupVersions = false })
        XCTAssertEqual(org, Set(f.docs.filter { ($0.value.publisher ?? "").hasPrefix("民乐县") }.keys))
        XCTAssertEqual(Set(try paths(f.index, "孵化器") { $0.org = "民乐县科学技术局"; $0.groupVersions = false }), org)
        XCTAssertEqual(Set(try paths(f.index, "孵化器 org:张掖市") { $0.groupVersions = false }), ["c.txt"])
        // date: ranges, open bounds, years.
        for (q, lo, hi) in [("date:2024-01-01..2024-06-30", "2024-01-01", "2024-06-30"), ("date:>=2024", "2024-01-01", "9999"),
                            ("date:2023", "2023-01-01", "2023-12-31"), ("date:<=2024-07", "0000", "2024-07-31")] {
            let expected = Set(f.docs.filter { let d = $0.value.date ?? ""; return d >= lo && d <= hi }.keys)
            XCTAssertEqual(Set(try paths(f.index, "孵化器 \(q)") { $0.groupVersions = false }), expected.intersection(all), q)
        }
        XCTAssertEqual(Set(try paths(f.index, "孵化器") { $0.since = "2024-07"; $0.until = "2024-07-31"; $0.groupVersions = false }),
                       ["d-v1.txt", "d-v2.txt", "seed.html"])
        XCTAssertEqual(Set(try paths(f.index, "id:620722024/2023-00009")), ["c.txt"])
        // A value that is not a date is an error naming it, not an empty answer.
        for bad in ["2024-13", "2024-0", "2024-123", "2024-02-30", "99999", "2024..x"] {
            XCTAssertThrowsError(try f.index.search("孵化器 date:\(bad)"), bad) { error in
                XCTAssertTrue("\(error)".contains("date:\(bad) is not a date"), "\(error)")
            }
        }
        XCTAssertEqual(Set(try paths(f.index, "孵化器 date:2024-7") { $0.groupVersions = false }), ["d-v1.txt", "d-v2.txt", "seed.html"])
        // Facets count every matching document (not only those shown) and use the aliases.
        var o = SearchOptions()
        o.limit = 1
        o.facets = [.org, .year]
        let r = try f.index.search("孵化器", options: o)
        XCTAssertEqual(r.facets[.org]?.first?.value, "民乐县科学技术局")
        let orgCounts = Dictionary(uniqueKeysWithValues: (r.facets[.org] ?? []).map { ($0.value, $0.count) })
        XCTAssertEqual(orgCounts, ["民乐县科学技术局": 5, "张掖市科学技术局": 1])
        let years = Dictionary(uniqueKeysWithValues: (r.facets[.year] ?? []).map { ($0.value, $0.count) })
        var bruteYears: [String: Int] = [:]
        for m in f.docs.values { bruteYears[String(m.date!.prefix(4)), default: 0] += 1 }
        XCTAssertEqual(years, bruteYears)
        // Sorting by date: newest first.
        let byDate = try paths(f.index, "孵化器") { $0.sort = .date; $0.groupVersions = false }
        let dates = byDate.map { f.docs[$0]!.date! }
        XCTAssertEqual(dates, dates.sorted(by: >))
    }

    func testVersionsAreOneHitShowingTheNewest() throws {
        guard let f = try makeCorpus() else { return }
        defer { f.tmp.remove() }
        var o = SearchOptions()
        o.limit = 100
        let r = try f.index.search("孵化器", options: o)
        XCTAssertEqual(r.total, 6)  // counts count documents, not groups
        let grouped = r.hits.filter { $0.metadata.indexNumber == "620722024/2024-00036" }
        XCTAssertEqual(grouped.count, 1)
        // d-v2 and the seed page share the newest date (2024-07-24): the path decides.
        XCTAssertEqual(grouped.first?.path, "d-v2.txt")
        XCTAssertEqual(Set(grouped.first?.earlierVersions ?? []), ["d-v1.txt", "seed.html"])
        o.groupVersions = false
        XCTAssertEqual(try f.index.search("孵化器", options: o).hits.count, 6)
    }
}
