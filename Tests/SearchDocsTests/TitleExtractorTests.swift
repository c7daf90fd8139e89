import Foundation
import XCTest
@testable import SearchDocs
import TestSupport

final class TitleExtractorTests: XCTestCase {
    /// Checks that the returned range locates the title in the text.
    private func assertConsistent(
        _ result: (title: String, utf8Range: Range<Int>), in text: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let bytes = Array(text.utf8)
        XCTAssertGreaterThanOrEqual(result.utf8Range.lowerBound, 0, file: file, line: line)
        XCTAssertLessThanOrEqual(result.utf8Range.upperBound, bytes.count, file: file, line: line)
        guard result.utf8Range.lowerBound >= 0, result.utf8Range.upperBound <= bytes.count else { return }
        XCTAssertEqual(Array(bytes[result.utf8Range]), Array(result.title.utf8), file: file, line: line)
        XCTAssertEqual(result.title, result.title.trimmingCharacters(in: .whitespacesAndNewlines), file: file, line: line)
    }

    // MARK: Seed

    func testSeedTitle() throws {
        guard let seed = try SharedData.require("seed/000_cc14a950d0b6b316.txt") else { return }
        let text = try DocumentReader().readText(at: seed.path)
        let result = TitleExtractor.title(of: text)
        XCTAssertEqual(result.title, "民乐县科学技术局2024年度上半年工作总结及下半年工作计划")
        assertConsistent(result, in: text)
        XCTAssertFalse(result.title.contains("无障碍"))
        XCTAssertFalse(result.title.contains("当前位置"))
    }

    func testBannerAndBreadcrumbAreNeverTheTitle() {
        let banner = "网站支持IPV6 | 无障碍阅读 | 适老化模式"
        let breadcrumb = "当前位置: 首页>>政府信息公开>>法定主动公开内容>>其他法定信息>>科技创新"
        let texts = [
            "\(banner)\n\(breadcrumb)\n\n关于开展2024年科技活动周的通知\n\n索引号 123\n",
            "\n\n\(banner)\n\n\(breadcrumb)\n2024-07-24 17:08:31\n——\n关于开展2024年科技活动周的通知\n正文。\n",
            "\(breadcrumb)\n\(banner)\n索引号 620722024/2024-00036 发文字号\n关于开展2024年科技活动周的通知\n",
            "您的位置：首页 > 政务公开 > 通知公告\n网站首页 | 政务公开\n关于开展2024年科技活动周的通知\n",
            "首页 / 信息公开 / 通知\n无障碍 长者模式\n关于开展2024年科技活动周的通知\n",
        ]
        for text in texts {
            let result = TitleExtractor.title(of: text)
            XCTAssertEqual(result.title, "关于开展2024年科技活动周的通知", "in \(text.debugDescription)")
            assertConsistent(result, in: text)
        }
    }

    func testSeedWithWindowsLineEndingsAndMetadataFirst() throws {
        guard let seed = try SharedData.require("seed/000_cc14a950d0b6b316.txt") else { return }
        let text = try DocumentReader().readText(at: seed.path)
        let crlf = text.replacingOccurrences(of: "\n", with: "\r\n")
        XCTAssertEqual(TitleExtractor.title(of: crlf).title, "民乐县科学技术局2024年度上半年工作总结及下半年工作计划")
        assertConsistent(TitleExtractor.title(of: crlf), in: crlf)

        let metadataFirst = """
            网站支持IPV6 | 无障碍阅读 | 适老化模式
            索引号：620722024/2024-00036
            发布机构：民乐县科技局
            发布时间：2024-07-24 17:08:31  来源：本站  浏览次数：
            【字体：大 中 小】【打印】
            民乐县科学技术局2024年度上半年工作总结及下半年工作计划
            2024年上半年，全县科技工作以习近平新时代中国特色社会主义思想为指导。
            """
        XCTAssertEqual(TitleExtractor.title(of: metadataFirst).title, "民乐县科学技术局2024年度上半年工作总结及下半年工作计划")
    }

    // MARK: Rules on small texts

    func testVeryLongSingleLineIsFast() {
        let text = "关于做好疫情防控工作的通知 " + String(repeating: "各地区各部门要认真落实防控要求并做好物资保障工作", count: 200_000)
        let start = Date()
        let result = TitleExtractor.title(of: text)
        XCTAssertEqual(result.title, "关于做好疫情防控工作的通知")
        XCTAssertLessThan(Date().timeIntervalSince(start), 2.0)
    }

    func testMarkdownHeading() {
        for text in ["# 上海市专利保护条例\n\n<!-- INFO END -->\n", "\n##  上海市专利保护条例 ##\n正文。", "\u{FEFF}# 上海市专利保护条例"] {
            let result = TitleExtractor.title(of: text)
            XCTAssertEqual(result.title, "上海市专利保护条例")
            assertConsistent(result, in: text)
        }
        // A heading is taken even when a banner-like line precedes it.
        let text = "网站支持IPV6 | 无障碍阅读\n# 中华人民共和国无障碍环境建设法\n"
        XCTAssertEqual(TitleExtractor.title(of: text).title, "中华人民共和国无障碍环境建设法")
        // `#hashtag` without a space is not a heading mark.
        XCTAssertEqual(TitleExtractor.title(of: "#疫情防控# 通知\n").title, "#疫情防控# 通知")
    }

    func testShortFirstLineWithSurroundingWhitespace() {
        let text = "\r\n\u{3000}\u{3000}2021年中华人民共和国国务院政府工作报告\u{200B}  \r\n\r\n各位代表：\r\n"
        let result = TitleExtractor.title(of: text)
        XCTAssertEqual(result.title, "2021年中华人民共和国国务院政府工作报告")
        assertConsistent(result, in: text)
    }

    func testEmptyAndBlankText() {
        XCTAssertEqual(TitleExtractor.title(of: "").title, "")
        XCTAssertEqual(TitleExtractor.title(of: "").utf8Range, 0..<0)
        XCTAssertEqual(TitleExtractor.title(of: " \n\u{3000}\n").title, "")
    }

    func testOnlyNavigationFallsBackToFirstLine() {
        let text = "当前位置：首页\n"
        let result = TitleExtractor.title(of: text)
        XCTAssertEqual(result.title, "当前位置：首页")
        assertConsistent(result, in: text)
    }

    func testLongLineGetsFirstSentence() {
        let text = "为进一步做好疫情防控工作，现将有关事项通知如下。一、加强组织领导。二、落实责任。"
        let result = TitleExtractor.title(of: text + String(repeating: "其他内容", count: 30))
        XCTAssertEqual(result.title, "为进一步做好疫情防控工作，现将有关事项通知如下")

        let question = "How are masks distributed? They are distributed by the city." + String(repeating: " More text.", count: 10)
        XCTAssertEqual(TitleExtractor.title(of: question).title, "How are masks distributed")
    }

    func testLongSentenceIsCutAtAComma() {
        let first = "为贯彻落实党中央国务院关于新型冠状病毒感染的肺炎疫情防控工作的决策部署和省委省政府工作要求"
        let text = first + "，切实做好全市交通运输保障工作，确保人民群众生命安全和身体健康，现就有关事项通知如下。" + String(repeating: "正文", count: 40)
        let result = TitleExtractor.title(of: text)
        XCTAssertEqual(result.title, first)
        XCTAssertLessThanOrEqual(result.title.unicodeScalars.count, 60)
        assertConsistent(result, in: text)

        // No break at all: cut at 60 characters.
        let unbroken = String(repeating: "疫情防控", count: 40)
        XCTAssertEqual(TitleExtractor.title(of: unbroken).title.unicodeScalars.count, 60)
    }

    func testHeadlineSegmentsOfAOneLineDocument() {
        let cases: [(String, String)] = [
            ("山西省推行工程建设项目“不见面审批” 省住建厅2月5日发布通知，要求全省推行工程建设项目“不见面审批”。",
             "山西省推行工程建设项目“不见面审批”"),
            ("生死竞速 上海海关通关“零延时” 上海作为全国枢纽口岸，在此次疫情中承担着大量进口防护物资的中转任务。",
             "生死竞速 上海海关通关“零延时”"),
            ("重庆省际包车全面恢复正常运转 原标题： 重庆省际包车全面恢复正常运转 严格按要求落实防控措施 客座率控制在50%以内。",
             "重庆省际包车全面恢复正常运转"),
            ("教育部：教师承担在线教育教学等计入工作量 纳入绩效管理 新华社北京2月14日电（记者 施雨岑）教育部近日发出通知，要求做好工作。",
             "教育部：教师承担在线教育教学等计入工作量 纳入绩效管理"),
            ("湖南省医疗保障局 国家税务总局湖南省税务局 湖南省财政厅 关于城乡居民基本医疗保险费征收有关事项的通知 各市州医疗保障局： 为确保缴费人便利。",
             "湖南省医疗保障局 国家税务总局湖南省税务局 湖南省财政厅 关于城乡居民基本医疗保险费征收有关事项的通知"),
        ]
        for (text, expected) in cases {
            let result = TitleExtractor.title(of: text)
            XCTAssertEqual(result.title, expected)
            XCTAssertLessThanOrEqual(result.title.unicodeScalars.count, 60)
            assertConsistent(result, in: text)
        }
    }

    // MARK: Corpora

    /// Reads `manifest.tsv` (tab separated, header line) into `(id, title)` pairs.
    private func manifestTitles(_ corpus: URL) throws -> [(id: String, title: String)] {
        let text = try DocumentReader().readText(at: corpus.appendingPathComponent("manifest.tsv").path)
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        let header = lines.removeFirst().components(separatedBy: "\t")
        let idColumn = try XCTUnwrap(header.firstIndex(of: "id"))
        let titleColumn = try XCTUnwrap(header.firstIndex(of: "title"))
        return lines.compactMap { line in
            let fields = line.components(separatedBy: "\t")
            guard fields.count > max(idColumn, titleColumn) else { return nil }
            return (fields[idColumn], fields[titleColumn])
        }
    }

    /// The share of documents whose extracted title equals the manifest title.
    private func titleMatchShare(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> Double? {
        guard let corpus = try SharedData.require("corpora/\(name)", file: file, line: line) else { return nil }
        let entries = try manifestTitles(corpus)
        XCTAssertFalse(entries.isEmpty)
        let reader = DocumentReader()
        var matches = 0
        var mismatches: [String] = []
        for entry in entries {
            let path = corpus.appendingPathComponent("docs/\(entry.id).txt").path
            let text = try reader.readText(at: path)
            let result = TitleExtractor.title(of: text)
            assertConsistent(result, in: text)
            let expected = entry.title.trimmingCharacters(in: .whitespacesAndNewlines)
            if result.title.trimmingCharacters(in: .whitespacesAndNewlines) == expected {
                matches += 1
            } else {
                mismatches.append("\(entry.id): got \(result.title.debugDescription), manifest \(expected.debugDescription)")
            }
        }
        let share = Double(matches) / Double(entries.count)
        print("title match \(name): \(matches)/\(entries.count) = \(String(format: "%.4f", share))")
        for mismatch in mismatches.prefix(20) { print("  mismatch \(mismatch)") }
        return share
    }

    func testTitleMatchGovWorkReports() throws {
        guard let share = try titleMatchShare("gov-work-reports") else { return }
        XCTAssertGreaterThanOrEqual(share, 0.98)
    }

    func testTitleMatchLawsAndRegulations() throws {
        guard let share = try titleMatchShare("cn-laws-regulations") else { return }
        XCTAssertGreaterThanOrEqual(share, 0.99)
    }

    func testOneLineNCPQADocuments() throws {
        guard let corpus = try SharedData.require("corpora/ncpqa-policies") else { return }
        let expected: [String: String] = [
            "009783e26fda3445b36c306a39066bea": "市商务局关于做好外资企业复工复产服务和多举措加强招商引资工作的通知",
            "01209758b36e37338a4484f584ec3511": "山西省推行工程建设项目“不见面审批”",
            "0143034a905131c2b70495fc176a5a22": "内江经济技术开发区应对新型冠状病毒感染肺炎疫情应急指挥部通告（第8号）",
            "015758c216923f89991ca61c67b29f70": "工业和信息化部组织开展负压救护车重点生产企业督导检查",
        ]
        let reader = DocumentReader()
        for (id, title) in expected {
            let text = try reader.readText(at: corpus.appendingPathComponent("docs/\(id).txt").path)
            XCTAssertEqual(TitleExtractor.title(of: text).title, title, id)
        }

        // Every document: a title at the start of the first sentence, at most 60 characters.
        let docs = corpus.appendingPathComponent("docs")
        var lengths: [Int] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: docs.path).sorted() where file.hasSuffix(".txt") {
            let text = try reader.readText(at: docs.appendingPathComponent(file).path)
            let result = TitleExtractor.title(of: text)
            assertConsistent(result, in: text)
            XCTAssertFalse(result.title.isEmpty, file)
            XCTAssertLessThanOrEqual(result.title.unicodeScalars.count, 60, file)
            let body = text.drop(while: { $0.isWhitespace })
            XCTAssertTrue(body.hasPrefix(result.title), "\(file): \(result.title)")
            let firstSentenceEnd = body.firstIndex(where: { "。！？；!?;".contains($0) }) ?? body.endIndex
            XCTAssertLessThanOrEqual(result.title.count, body.distance(from: body.startIndex, to: firstSentenceEnd), file)
            lengths.append(result.title.count)
        }
        XCTAssertGreaterThan(lengths.count, 500)
        print("ncpqa titles: \(lengths.count), mean length \(lengths.reduce(0, +) / max(1, lengths.count))")
    }

    func testOtherCorporaGiveNonEmptyTitles() throws {
        guard let corpora = try SharedData.require("corpora") else { return }
        let reader = DocumentReader()
        for name in ["smart-city-policies", "cmrc2018-wiki"] {
            let docs = corpora.appendingPathComponent(name).appendingPathComponent("docs")
            for file in try FileManager.default.contentsOfDirectory(atPath: docs.path) where file.hasSuffix(".txt") {
                let text = try reader.readText(at: docs.appendingPathComponent(file).path)
                let result = TitleExtractor.title(of: text)
                assertConsistent(result, in: text)
                XCTAssertFalse(result.title.isEmpty, "\(name)/\(file)")
                XCTAssertLessThanOrEqual(result.title.unicodeScalars.count, 80, "\(name)/\(file)")
            }
        }
    }
}
