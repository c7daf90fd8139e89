import Foundation
import XCTest
@testable import SearchDocs
import TestSupport

final class DocumentParserTests: XCTestCase {
    private var folder: TemporaryFolder!

    override func setUpWithError() throws {
        folder = try TemporaryFolder()
    }

    override func tearDown() {
        folder?.remove()
        folder = nil
    }

    private let seedMetadata = DisclosureMetadata(
        indexNumber: "620722024/2024-00036", documentNumber: "", keywords: "", publisher: "民乐县科技局",
        disclosureForm: "主动公开", responsibleDepartment: "民乐县科技局", date: "2024-07-24", validity: "")

    /// Reads `path` expecting exactly one InputError naming it, quickly.
    @discardableResult
    private func expectInputError(_ path: String, parser: DocumentParser = DocumentParser(), containing words: String? = nil,
                                  file: StaticString = #filePath, line: UInt = #line) -> InputError? {
        let start = Date()
        defer { XCTAssertLessThan(Date().timeIntervalSince(start), 2, "slow rejection", file: file, line: line) }
        do {
            let document = try parser.read(path: path)
            XCTFail("expected an InputError, parsed \(document.encoding) text: \(document.text.prefix(40))", file: file, line: line)
            return nil
        } catch {
            XCTAssertEqual(error.path, path, file: file, line: line)
            XCTAssertTrue(error.description.hasPrefix(path + ": "), "\(error)", file: file, line: line)
            XCTAssertFalse(error.description.contains("\n"), file: file, line: line)
            if let words { XCTAssertTrue(error.reason.contains(words), "\(error)", file: file, line: line) }
            return error
        }
    }

    func testSeedInEveryFormGivesTheSameTitleMetadataAndText() throws {
        guard let seed = try DocumentFixtures.seedText() else { return }
        let page = DocumentFixtures.countyPage(seed: seed)
        let staleUTF8Page = DocumentFixtures.countyPage(
            seed: seed, charsetMeta: #"<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />"#, labelSuffix: "：")
        let utf16LE = try DocumentFixtures.encode(seed, "UTF-16LE")
        let files: [(String, [UInt8], String)] = [
            ("seed.txt", Array(seed.utf8), "UTF-8"),
            ("seed-gb18030.txt", try DocumentFixtures.encode(seed, "GB18030"), "GB18030"),
            ("seed-utf16le.txt", [0xFF, 0xFE] + utf16LE, "UTF-16LE"),
            ("seed-utf16be.txt", [0xFE, 0xFF] + (try DocumentFixtures.encode(seed, "UTF-16BE")), "UTF-16BE"),
            ("seed-utf16-nobom.md", utf16LE, "UTF-16LE"),
            ("seed-gbk.html", try DocumentFixtures.encode(page, "GB18030"), "GB18030"),
            ("seed-stale-meta.HTM", Array(staleUTF8Page.utf8), "UTF-8"),
            ("seed.shtml", Array(page.utf8), "UTF-8"),
        ]
        let expectedMainText = DocumentFixtures.seedMainText(of: seed)
        for (name, bytes, encoding) in files {
            let path = try folder.file(name, bytes)
            let document = try DocumentParser().read(path: path)
            XCTAssertEqual(document.title, DocumentFixtures.seedTitle, name)
            XCTAssertEqual(document.metadata, seedMetadata, name)
            XCTAssertEqual(document.encoding, encoding, name)
            let utf8 = Array(document.text.utf8)
            XCTAssertEqual(String(decoding: utf8[document.titleRange], as: UTF8.self), document.title, name)
            if DocumentParser.isHTML(path: path) {
                var text = DocumentFixtures.collapsed(document.text)
                // That page's labels end with a colon, which the seed (without any colon) lacks.
                if name.contains("stale") { text = text.replacingOccurrences(of: "：", with: "") }
                XCTAssertEqual(text, expectedMainText, name)
                for furniture in DocumentFixtures.countyFurniture where !seed.contains(furniture) {
                    XCTAssertFalse(document.text.contains(furniture), "\(name): \(furniture)")
                }
                XCTAssertFalse(document.text.contains("网站支持IPV6"), name)
                XCTAssertFalse(document.text.contains("当前位置"), name)
            } else {
                // Text files lose only the site banner and breadcrumb above the title.
                let fromTitle = String(seed[seed.range(of: DocumentFixtures.seedTitle)!.lowerBound...])
                XCTAssertEqual(document.text, fromTitle, name)
                XCTAssertFalse(document.text.contains("网站支持IPV6"), name)
                XCTAssertFalse(document.text.contains("当前位置"), name)
            }
        }
    }

    func testHTMLTitleMissingFromTheTextBecomesItsFirstLine() throws {
        let html = "<html><head><title>关于调整最低工资标准的通知_甘肃省人民政府</title></head><body><p>各市州人民政府：现将有关事项通知如下。</p></body></html>"
        let document = try DocumentParser().parse(bytes: Array(html.utf8), path: "notice.html")
        XCTAssertEqual(document.title, "关于调整最低工资标准的通知")
        XCTAssertEqual(document.text, "关于调整最低工资标准的通知\n各市州人民政府：现将有关事项通知如下。")
        XCTAssertEqual(document.titleRange, 0..<document.title.utf8.count)
    }

    func testDocumentWithoutMetadataGetsTitleAndStatedDate() throws {
        guard let docs = try SharedData.require("corpora/cn-laws-regulations/docs") else { return }
        let path = docs.appendingPathComponent("law00001.txt").path
        let document = try DocumentParser().read(path: path)
        XCTAssertEqual(document.title, "上海口岸服务条例")
        XCTAssertEqual(document.metadata.date, "2011-11-17")
        XCTAssertNil(document.metadata.indexNumber)
        XCTAssertEqual(document.encoding, "UTF-8")
    }

    func testBinaryFiles() throws {
        var generator = SplitMix64(seed: 7)
        let random = (0..<8192).map { _ in UInt8.random(in: 0...255, using: &generator) }
        expectInputError(try folder.file("random.txt", random), containing: "binary")
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52]
            + (0..<64).map { UInt8($0) }
        expectInputError(try folder.file("image.html", png), containing: "binary")
        let noNUL = random.map { $0 == 0 ? 0x20 : $0 }
        expectInputError(try folder.file("noise.txt", noNUL), containing: "encoding could not be determined")
    }

    func testEmptyAndBlankFiles() throws {
        expectInputError(try folder.file("empty.txt", []), containing: "empty")
        expectInputError(try folder.file("bom.txt", [0xEF, 0xBB, 0xBF]), containing: "empty")
        expectInputError(try folder.file("blank.txt", Array(" \n\t　\n".utf8)), containing: "no text")
        expectInputError(try folder.file("markup.html", Array("<html><head><title></title><script>x()</script></head><body> <br> </body></html>".utf8)),
                         containing: "no text")
    }

    func testBrokenHTMLIsReadTolerantly() throws {
        let html = "<html><body><p>正文第一段<p>第二段 a < b <div><span>未闭合 <!-- 未结束的注释 > 注释后的文字 <a href=\"x"
        let document = try DocumentParser().read(path: try folder.file("broken.html", Array(html.utf8)))
        XCTAssertEqual(document.text, "正文第一段\n第二段 a < b\n未闭合 注释后的文字 <a href=\"x")
        XCTAssertEqual(document.title, "正文第一段")
        // Markup that leaves nothing is one error, not a crash.
        expectInputError(try folder.file("swallowed.html", Array("<html><script>document.write('<p>x</p>')".utf8)), containing: "no text")
    }

    func testFileOverTheSizeLimit() throws {
        let path = try folder.file("big.txt", Array(String(repeating: "政府信息公开。", count: 100).utf8))
        let small = DocumentParser(maxFileSize: 1000)
        expectInputError(path, parser: small, containing: "over the limit")
        XCTAssertNoThrow(try DocumentParser().read(path: path))
    }

    func testSparseFileAtTheDefaultLimitIsRejectedWithoutReading() throws {
        let path = folder.url.appendingPathComponent("sparse.txt").path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 100 << 20)
        try handle.close()
        expectInputError(path, containing: "over the limit")
    }

    func testUnreadablePaths() throws {
        let dangling = folder.url.appendingPathComponent("dangling.txt").path
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: folder.url.appendingPathComponent("missing.txt").path)
        expectInputError(dangling, containing: "broken symbolic link")

        let loop = folder.url.appendingPathComponent("loop.txt").path
        try FileManager.default.createSymbolicLink(atPath: loop, withDestinationPath: loop)
        expectInputError(loop, containing: "symbolic link loop")

        let directory = folder.url.appendingPathComponent("x.txt").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        expectInputError(directory, containing: "directory")

        let fifo = folder.url.appendingPathComponent("pipe.html").path
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        expectInputError(fifo, containing: "not a regular file")

        expectInputError(folder.url.appendingPathComponent("missing.txt").path, containing: "no such file")
    }

    func testIsHTML() {
        XCTAssertTrue(DocumentParser.isHTML(path: "a/b.html"))
        XCTAssertTrue(DocumentParser.isHTML(path: "a/b.HTM"))
        XCTAssertTrue(DocumentParser.isHTML(path: "b.shtml"))
        XCTAssertFalse(DocumentParser.isHTML(path: "b.txt"))
        XCTAssertFalse(DocumentParser.isHTML(path: "a.html/b"))
        XCTAssertFalse(DocumentParser.isHTML(path: "html"))
    }
}
