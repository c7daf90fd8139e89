import Foundation
import XCTest
@testable import SearchDocs
import TestSupport

final class MetadataParserTests: XCTestCase {
    private let seedMetadata = DisclosureMetadata(
        indexNumber: "620722024/2024-00036", documentNumber: "", keywords: "", publisher: "民乐县科技局",
        disclosureForm: "主动公开", responsibleDepartment: "民乐县科技局", date: "2024-07-24", validity: "")

    func testSeedFields() throws {
        guard let seed = try DocumentFixtures.seedText() else { return }
        let metadata = MetadataParser.parse(seed)
        XCTAssertEqual(metadata.indexNumber, "620722024/2024-00036")
        XCTAssertEqual(metadata.documentNumber, "")
        XCTAssertEqual(metadata.keywords, "")
        XCTAssertEqual(metadata.publisher, "民乐县科技局")
        XCTAssertEqual(metadata.disclosureForm, "主动公开")
        XCTAssertEqual(metadata.responsibleDepartment, "民乐县科技局")
        XCTAssertEqual(metadata.date, "2024-07-24")
        XCTAssertEqual(metadata.validity, "")
        XCTAssertNil(metadata.category)
        XCTAssertEqual(metadata, seedMetadata)
        // Windows line endings and full-width spaces change nothing.
        XCTAssertEqual(MetadataParser.parse(seed.replacingOccurrences(of: "\n", with: "\r\n")), seedMetadata)
    }

    func testHTMLTableForms() throws {
        guard let seed = try DocumentFixtures.seedText() else { return }
        for suffix in ["", "：", ":", " ："] {
            let page = HTMLTextExtractor.text(of: DocumentFixtures.countyPage(seed: seed, labelSuffix: suffix))
            XCTAssertEqual(MetadataParser.parse(page.text), seedMetadata, "labels ending with '\(suffix)'")
        }
        // One field per row, labels in <th>, values with markup; spaced-out labels.
        let html = """
            <table class="xxgk">
            <tr><th>索 引 号：</th><td>000014349/2024-00123</td></tr>
            <tr><th>主题分类：</th><td>科技、教育\\科技</td></tr>
            <tr><th>发文机关：</th><td><span>国务院办公厅</span></td></tr>
            <tr><th>成文日期：</th><td>2024年01月05日</td></tr>
            <tr><th>标　　题：</th><td>国务院办公厅关于印发《促进科技成果转化行动方案》的通知</td></tr>
            <tr><th>发文字号：</th><td>国办发〔2024〕3号</td></tr>
            <tr><th>发布日期：</th><td>2024年01月12日</td></tr>
            </table>
            """
        let metadata = MetadataParser.parse(HTMLTextExtractor.text(of: html).text)
        XCTAssertEqual(metadata.indexNumber, "000014349/2024-00123")
        XCTAssertEqual(metadata.category, "科技、教育\\科技")
        XCTAssertEqual(metadata.publisher, "国务院办公厅")
        XCTAssertEqual(metadata.documentNumber, "国办发〔2024〕3号")
        XCTAssertEqual(metadata.date, "2024-01-05", "成文日期 is preferred to 发布日期")
        XCTAssertNil(metadata.keywords)
    }

    func testInlineForms() {
        let text = """
            关于做好春耕生产工作的通知
            【发布机构：民乐县农业农村局】【发布日期：2024/3/5】【浏览次数：128】
            信息来源：民乐县农业农村局　　发布时间：2024-03-06 09:30　　有效性：有效
            正文第一段。关键词是春耕，发布机构为县农业农村局。
            """
        let metadata = MetadataParser.parse(text)
        XCTAssertEqual(metadata.publisher, "民乐县农业农村局")
        XCTAssertEqual(metadata.date, "2024-03-05")
        XCTAssertEqual(metadata.validity, "有效")
        XCTAssertNil(metadata.keywords, "a label inside a sentence is not a field")
        XCTAssertNil(metadata.indexNumber)
    }

    func testBodyTextIsNotMetadata() {
        let text = """
            关键词是创新。
            发布机构应当在收到申请之日起十五个工作日内答复。
            索引号码不是索引号
            """
        XCTAssertTrue(MetadataParser.parse(text).isEmpty)
        XCTAssertTrue(MetadataParser.parse("").isEmpty)
        XCTAssertTrue(MetadataParser.parse(String(repeating: "索引号 ", count: 1000)).isEmpty, "an overlong line is body text")
    }

    func testDateNormalization() {
        let cases: [(String, String?)] = [
            ("2024-07-24 17:08:31", "2024-07-24"), ("2024年7月24日", "2024-07-24"), ("2024/7/24", "2024-07-24"),
            ("2024.07.24", "2024-07-24"), ("2024 年 7 月 24 日", "2024-07-24"), ("２０２４年７月２４日", "2024-07-24"),
            ("20240724", "2024-07-24"), ("二〇二四年七月二十四日", "2024-07-24"), ("二○一一年十一月十七日", "2011-11-17"),
            ("发布于 2020-02-29", "2020-02-29"), ("2021-02-29", nil), ("2024-13-01", nil), ("2024-07", nil),
            ("12024-07-24", nil), ("2024-7/24", nil), ("", nil), ("版本 2.0.1", nil), ("1800-01-01", nil),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(MetadataParser.normalizeDate(text), expected, text)
        }
    }

    func testStatedDate() throws {
        let law = """
            # 上海口岸服务条例

            2011年11月17日 上海市第十三届人民代表大会常务委员会第三十次会议通过

            2020年5月14日 上海市第十五届人民代表大会常务委员会第二十一次会议《关于修改本市部分地方性法规的决定》第一次修正

            第一条 为了规范口岸开放，根据有关法律、行政法规的规定，制定本条例。
            """
        XCTAssertEqual(MetadataParser.statedDate(in: law), "2011-11-17")
        let notice = """
            关于做好春耕生产工作的通知
            各乡镇：
            现将有关事项通知如下。2023年的工作已经完成。

            民乐县农业农村局
            2024年3月5日
            """
        XCTAssertEqual(MetadataParser.statedDate(in: notice), "2024-03-05")
        XCTAssertEqual(MetadataParser.statedDate(in: "标题\n发布日期：2024-07-24\n正文。"), "2024-07-24")
        XCTAssertEqual(MetadataParser.statedDate(in: "（二〇一九年十月二十六日第十三届全国人民代表大会常务委员会第十四次会议通过）"), "2019-10-26")
        XCTAssertEqual(MetadataParser.statedDate(in: "一行的通知 正文内容。 国家税务总局河南省税务局 2020年2月7日"), "2020-02-07")
        XCTAssertNil(MetadataParser.statedDate(in: "2024年上半年，全县科技工作进展顺利。\n下半年继续努力。"))
        XCTAssertNil(MetadataParser.statedDate(in: ""))

        // The law corpus states a date in nearly every document.
        guard let docs = try SharedData.require("corpora/cn-laws-regulations/docs") else { return }
        let all = try FileManager.default.contentsOfDirectory(atPath: docs.path).filter { $0.hasSuffix(".txt") }.sorted()
        let names = stride(from: 0, to: all.count, by: 10).map { all[$0] }
        var dated = 0
        for name in names {
            let text = try String(contentsOf: docs.appendingPathComponent(name), encoding: .utf8)
            if let date = MetadataParser.statedDate(in: text) {
                dated += 1
                XCTAssertNotNil(MetadataParser.normalizeDate(date))
            }
        }
        XCTAssertGreaterThan(dated, names.count * 85 / 100, "\(dated) of \(names.count)")
        let first = try String(contentsOf: docs.appendingPathComponent("law00001.txt"), encoding: .utf8)
        XCTAssertEqual(MetadataParser.statedDate(in: first), "2011-11-17")
    }

    func testCorporaHaveNoFalseMetadata() throws {
        guard let corpora = try SharedData.require("corpora") else { return }
        for corpus in ["gov-work-reports", "smart-city-policies", "ncpqa-policies", "cmrc2018-wiki"] {
            let dir = corpora.appendingPathComponent(corpus).appendingPathComponent("docs")
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted().prefix(150) {
                let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
                let metadata = MetadataParser.parse(text)
                XCTAssertNil(metadata.indexNumber, "\(corpus)/\(name)")
                XCTAssertNil(metadata.publisher, "\(corpus)/\(name)")
            }
        }
    }

    /// What a segment stores reads back as it was: every field, absent and empty ones, values
    /// with `=`, Chinese text and a line break (stored as a space).
    func testStoredFormReadsBack() {
        // As a segment holds it: UTF-8 bytes.
        func read(_ stored: String) -> DisclosureMetadata {
            var text = stored
            return text.withUTF8 { DisclosureMetadata(serialized: UnsafeRawBufferPointer($0)) }
        }
        let full = DisclosureMetadata(indexNumber: "620722024/2024-00036", documentNumber: "", keywords: "a=b=c",
                                      publisher: "民乐县科学技术局", disclosureForm: "主动公开", responsibleDepartment: nil,
                                      date: "2024-07-05", validity: "有效", category: "科技\n教育")
        var expected = full
        expected.category = "科技 教育"
        XCTAssertEqual(read(full.serialized), expected)
        for only in [DisclosureMetadata(), DisclosureMetadata(date: "2020-02-11"), DisclosureMetadata(indexNumber: "x", category: "")] {
            XCTAssertEqual(read(only.serialized), only)
        }
        // Lines without `=` and unknown keys are passed over.
        XCTAssertEqual(read("junk\nfuture=1\norg=某局\n"), DisclosureMetadata(publisher: "某局"))
    }
}
