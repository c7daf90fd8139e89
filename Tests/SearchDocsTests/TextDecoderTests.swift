import Foundation
import XCTest
@testable import SearchDocs
import TestSupport

final class TextDecoderTests: XCTestCase {
    private let decoder = TextDecoder()

    private func decode(_ bytes: [UInt8], html: Bool = false, file: StaticString = #filePath, line: UInt = #line)
        -> (text: String, encoding: String)?
    {
        do {
            return try decoder.decode(bytes, path: html ? "page.html" : "doc.txt", isHTML: html)
        } catch {
            XCTFail("unexpected error: \(error)", file: file, line: line)
            return nil
        }
    }

    private func expectError(_ bytes: [UInt8], html: Bool = false, containing words: String,
                             file: StaticString = #filePath, line: UInt = #line)
    {
        do {
            let decoded = try decoder.decode(bytes, path: "bad/input.txt", isHTML: html)
            XCTFail("expected an error, decoded as \(decoded.encoding): \(decoded.text.prefix(40))", file: file, line: line)
        } catch {
            XCTAssertEqual(error.path, "bad/input.txt", file: file, line: line)
            XCTAssertTrue(error.reason.contains(words), "\(error)", file: file, line: line)
            XCTAssertFalse(error.description.contains("\n"), file: file, line: line)
        }
    }

    func testSeedInEveryEncodingDecodesToTheSameText() throws {
        guard let seed = try DocumentFixtures.seedText() else { return }
        let utf16LE = try DocumentFixtures.encode(seed, "UTF-16LE")
        let utf16BE = try DocumentFixtures.encode(seed, "UTF-16BE")
        let forms: [(String, [UInt8], String)] = [
            ("UTF-8", Array(seed.utf8), "UTF-8"),
            ("UTF-8 with BOM", [0xEF, 0xBB, 0xBF] + Array(seed.utf8), "UTF-8"),
            ("GB18030", try DocumentFixtures.encode(seed, "GB18030"), "GB18030"),
            ("UTF-16LE with BOM", [0xFF, 0xFE] + utf16LE, "UTF-16LE"),
            ("UTF-16BE with BOM", [0xFE, 0xFF] + utf16BE, "UTF-16BE"),
            ("UTF-16LE without BOM", utf16LE, "UTF-16LE"),
            ("UTF-16BE without BOM", utf16BE, "UTF-16BE"),
            ("UTF-32LE with BOM", [0xFF, 0xFE, 0x00, 0x00] + (try DocumentFixtures.encode(seed, "UTF-32LE")), "UTF-32LE"),
        ]
        for (name, bytes, encoding) in forms {
            let decoded = decode(bytes)
            XCTAssertEqual(decoded?.text, seed, name)
            XCTAssertEqual(decoded?.encoding, encoding, name)
        }
    }

    func testUTF16WithoutBOMAndWithoutASCII() throws {
        // No ASCII at all, so no NUL bytes to tell UTF-16 by.
        let text = "民乐县科学技术局关于申报二〇二四年度科技计划项目的通知。各乡镇人民政府，县直有关单位：现将有关事项通知如下。"
        XCTAssertFalse(text.unicodeScalars.contains { $0.isASCII })
        for charset in ["UTF-16LE", "UTF-16BE"] {
            let bytes = try DocumentFixtures.encode(text, charset)
            XCTAssertFalse(bytes.contains(0), charset)
            let decoded = decode(bytes)
            XCTAssertEqual(decoded?.text, text, charset)
            XCTAssertEqual(decoded?.encoding, charset)
        }
    }

    func testShortGB18030Files() throws {
        let texts = [
            "通知", "公告", "民乐县科技局", "关于印发《2024年工作要点》的通知", "索引号：620722024/2024-00036",
            "第一条 为了规范口岸开放", "二〇二四年七月二十四日", "（2024年7月24日）", "附件：项目申报表.doc", "α粒子与β射线",
            "成交价格：￥1,200元", "民乐县", "县",
        ]
        for text in texts {
            XCTAssertLessThan(text.count, 30)
            let bytes = try DocumentFixtures.encode(text, "GB18030")
            let decoded = decode(bytes)
            XCTAssertEqual(decoded?.text, text)
            XCTAssertEqual(decoded?.encoding, "GB18030", text)
        }
    }

    func testShortUTF16Files() throws {
        for text in ["通知", "民乐县科技局", "民乐县科学技术局工作总结", "索引号 620722024/2024-00036", "ok 2024"] {
            for charset in ["UTF-16LE", "UTF-16BE"] {
                let bytes = try DocumentFixtures.encode(text, charset)
                let bom: [UInt8] = charset == "UTF-16LE" ? [0xFF, 0xFE] : [0xFE, 0xFF]
                XCTAssertEqual(decode(bom + bytes)?.text, text, "\(text) \(charset) with BOM")
                if !bytes.contains(0) && bytes.count < 16 {
                    // No BOM, no NUL byte, under 8 characters: any bytes pair up like this
                    // (Latin-1 `caf\u{E9}` would read as 捡曩), so it is refused, never guessed.
                    XCTAssertThrowsError(try decoder.decode(bytes, path: "doc.txt", isHTML: false), "\(text) \(charset)")
                    continue
                }
                let decoded = decode(bytes)
                XCTAssertEqual(decoded?.text, text, "\(text) \(charset) without BOM")
                if text != "ok 2024" { XCTAssertEqual(decoded?.encoding, charset, text) }
            }
        }
    }

    func testBig5() throws {
        let long = """
            臺北市政府資訊公開專區
            本府依據政府資訊公開法第七條規定，主動公開施政計畫、業務統計、預算及決算書、請願之處理結果及訴願之決定等資訊，\
            並定期更新，歡迎民眾上網查閱。民眾如需申請提供政府資訊，請填具申請書，以書面通訊方式或電子傳遞方式向本府提出。
            發布機關：臺北市政府秘書處
            發布日期：2024年7月24日
            """
        let decoded = decode(try DocumentFixtures.encode(long, "Big5"))
        XCTAssertEqual(decoded?.text, long)
        XCTAssertEqual(decoded?.encoding, "Big5")

        // Short Big5 texts whose GB18030 reading is implausible.
        for short in ["臺北市政府資訊公開", "政府資訊公開法", "歡迎民眾上網查閱"] {
            let decoded = decode(try DocumentFixtures.encode(short, "Big5"))
            XCTAssertEqual(decoded?.text, short)
            XCTAssertEqual(decoded?.encoding, "Big5", short)
        }
    }

    func testMetaCharset() throws {
        let body = "<p>民乐县科学技术局关于全县科技工作的通知，请各单位认真贯彻落实。</p>"
        let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=GB2312\"><title>通知</title></head><body>\(body)</body></html>"
        let decoded = decode(try DocumentFixtures.encode(page, "GB18030"), html: true)
        XCTAssertEqual(decoded?.text, page)
        XCTAssertEqual(decoded?.encoding, "GB18030")

        // A page re-saved as UTF-8 that keeps its stale declaration is read as UTF-8.
        let stale = "<html><head><meta charset=gbk></head><body>\(body)</body></html>"
        XCTAssertEqual(decode(Array(stale.utf8), html: true)?.encoding, "UTF-8")
        XCTAssertEqual(decode(Array(stale.utf8), html: true)?.text, stale)

        // A wrong declaration that fails strictly gives way to detection (人 and 全 are not Big5 bytes).
        let wrong = "<html><head><meta charset=\"big5\"></head><body>\(body)<p>全县人民群众积极参与科技创新活动。</p></body></html>"
        let detected = decode(try DocumentFixtures.encode(wrong, "GB18030"), html: true)
        XCTAssertEqual(detected?.text, wrong)
        XCTAssertEqual(detected?.encoding, "GB18030")
    }

    func testMetaCharsetLabels() {
        XCTAssertEqual(TextDecoder.metaCharset(Array(#"<META HTTP-EQUIV="content-type" CONTENT="text/html;charset=GBK">"#.utf8)[...]), "gbk")
        XCTAssertEqual(TextDecoder.metaCharset(Array("<meta charset = 'utf-8' />".utf8)[...]), "utf-8")
        XCTAssertEqual(TextDecoder.metaCharset(Array(#"<meta name="keywords" content="x"><meta charset="gb2312">"#.utf8)[...]), "gb2312")
        XCTAssertNil(TextDecoder.metaCharset(Array("<p>charset=gbk</p>".utf8)[...]))
        XCTAssertEqual(TextDecoder.metaCharset(Array(#"<?xml version="1.0" encoding="GB2312"?><html>"#.utf8)[...]), "gb2312")
        XCTAssertEqual(TextDecoder.supportedCharset(forLabel: "gbk"), "GB18030")
        XCTAssertEqual(TextDecoder.supportedCharset(forLabel: "big5"), "Big5")
        XCTAssertNil(TextDecoder.supportedCharset(forLabel: "iso-8859-1"))
    }

    func testBinaryAndUndeterminedInput() throws {
        var generator = SystemRandomNumberGenerator()
        let random = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        expectError(random, containing: "binary")
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
                            0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x08, 0x06, 0x00, 0x00, 0x00]
        expectError(png, containing: "binary")
        expectError([], containing: "empty")
        expectError([0xEF, 0xBB, 0xBF], containing: "empty")
        // Random bytes without NUL, and Latin-1 text (single-byte charsets are never guessed).
        let noNUL = random.map { $0 == 0 ? 1 : $0 }
        expectError(noNUL, containing: "encoding could not be determined")
        expectError(Array("caf".utf8) + [0xE9] + Array(" cr".utf8) + [0xE8] + Array("me br".utf8) + [0xFB, 0x6C, 0xE9, 0x65],
                    containing: "encoding could not be determined")
        // A byte order mark that the rest contradicts.
        expectError([0xFF, 0xFE, 0x41], containing: "UTF-16LE")
    }

    func testCorruptGB18030IsSkippedNotSubstituted() throws {
        guard let seed = try DocumentFixtures.seedText() else { return }
        var bytes = try DocumentFixtures.encode(seed, "GB18030")
        // A lead byte followed by a space: illegal in GB18030.
        let middle = bytes.count / 2
        guard let lead = bytes[middle...].firstIndex(where: { $0 >= 0x81 }) else { return XCTFail("no lead byte") }
        bytes[lead + 1] = 0x20
        expectError(bytes, containing: "encoding could not be determined")
    }

    /// Oracle: real documents encoded in GB18030 (and UTF-16 without BOM) decode to the same text.
    func testRealDocumentsRoundTrip() throws {
        guard let corpora = try SharedData.require("corpora") else { return }
        var paths: [URL] = []
        for corpus in ["cn-laws-regulations", "ncpqa-policies", "smart-city-policies", "gov-work-reports", "cmrc2018-wiki"] {
            let dir = corpora.appendingPathComponent(corpus).appendingPathComponent("docs")
            let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".txt") }.sorted()
            // Evenly spread picks, 40 per corpus.
            let step = max(1, names.count / 40)
            paths += stride(from: 0, to: names.count, by: step).prefix(40).map { dir.appendingPathComponent(names[$0]) }
        }
        XCTAssertEqual(paths.count, 200)
        var checked = 0
        for url in paths {
            let text = try String(contentsOf: url, encoding: .utf8)
            let gb = try DocumentFixtures.encode(text, "GB18030")
            let decoded = decode(gb)
            XCTAssertEqual(decoded?.text, text, url.lastPathComponent)
            if gb != Array(text.utf8) { XCTAssertEqual(decoded?.encoding, "GB18030", url.lastPathComponent) }
            if checked % 4 == 0 {
                let utf16 = try DocumentFixtures.encode(text, "UTF-16LE")
                XCTAssertEqual(decode(utf16)?.text, text, "UTF-16LE " + url.lastPathComponent)
            }
            checked += 1
        }
    }

    func testConverterFailsOnUnmappableAndUnknown() {
        XCTAssertEqual(CharsetConverter.encode("民乐县", charset: "Big5").map { _ in 0 }, .failure(.illegalSequence(offset: 1)))
        XCTAssertEqual(CharsetConverter.encode("abc", charset: "no-such-charset").map { _ in 0 }, .failure(.unknownCharset))
        if case .failure(.illegalSequence(let offset)) = CharsetConverter.decode([0x41, 0x42, 0x81, 0x20][...], charset: "GB18030") {
            XCTAssertEqual(offset, 2)
        } else {
            XCTFail("an illegal GB18030 sequence decoded")
        }
    }
}
