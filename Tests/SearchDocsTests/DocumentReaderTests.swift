import Foundation
import XCTest
@testable import SearchDocs
import TestSupport

final class DocumentReaderTests: XCTestCase {
    private var folder: TemporaryFolder!

    override func setUpWithError() throws {
        folder = try TemporaryFolder()
    }

    override func tearDown() {
        folder?.remove()
        folder = nil
    }

    /// Reads `path` expecting an InputError naming it, and returns the error.
    private func expectInputError(
        _ path: String, reader: DocumentReader = DocumentReader(),
        file: StaticString = #filePath, line: UInt = #line
    ) -> InputError? {
        do {
            let text = try reader.readText(at: path)
            XCTFail("expected an InputError, read \(text.utf8.count) bytes", file: file, line: line)
            return nil
        } catch {
            XCTAssertEqual(error.path, path, file: file, line: line)
            XCTAssertTrue(error.description.contains(path), "description names the file: \(error)", file: file, line: line)
            XCTAssertFalse(error.description.contains("\n"), "description is one line", file: file, line: line)
            return error
        }
    }

    func testReadsUTF8AndRemovesBOM() throws {
        let text = "民乐县科学技术局\n索引号 620722024/2024-00036\n"
        let plain = try folder.file("plain.txt", Array(text.utf8))
        let withBOM = try folder.file("bom.txt", [0xEF, 0xBB, 0xBF] + Array(text.utf8))
        let reader = DocumentReader()
        XCTAssertEqual(try reader.readText(at: plain), text)
        XCTAssertEqual(try reader.readText(at: withBOM), text)
        XCTAssertFalse(try reader.readText(at: withBOM).unicodeScalars.contains("\u{FEFF}"))
    }

    func testInvalidUTF8Throws() throws {
        // "政府信息公开" in GB18030.
        let gb18030: [UInt8] = [0xD5, 0xFE, 0xB8, 0xAE, 0xD0, 0xC5, 0xCF, 0xA2, 0xB9, 0xAB, 0xBF, 0xAA]
        let path = try folder.file("gb18030.txt", Array("abc".utf8) + gb18030)
        let error = expectInputError(path)
        XCTAssertTrue(error?.reason.contains("UTF-8") ?? false, "\(String(describing: error))")
        XCTAssertTrue(error?.reason.contains("offset 3") ?? false, "\(String(describing: error))")

        // A truncated multi-byte sequence at the end, and an encoded surrogate.
        let truncated = try folder.file("truncated.txt", Array("中文".utf8).dropLast())
        XCTAssertNotNil(expectInputError(truncated))
        let surrogate = try folder.file("surrogate.txt", [0x61, 0xED, 0xA0, 0x80])
        XCTAssertNotNil(expectInputError(surrogate))
    }

    func testBinaryFileThrows() throws {
        let path = try folder.file("nul.txt", Array("正文".utf8) + [0x00] + Array("more".utf8))
        let error = expectInputError(path)
        XCTAssertTrue(error?.reason.contains("NUL") ?? false, "\(String(describing: error))")
        // UTF-16 text is full of NUL bytes and is reported as binary.
        let utf16 = try folder.file("utf16.txt", [0xFF, 0xFE, 0x2D, 0x4E, 0x87, 0x65, 0x41, 0x00])
        XCTAssertNotNil(expectInputError(utf16))
    }

    func testEmptyFileThrows() throws {
        let empty = try folder.file("empty.txt", [])
        XCTAssertTrue(expectInputError(empty)?.reason.contains("empty") ?? false)
        let onlyBOM = try folder.file("bom-only.txt", [0xEF, 0xBB, 0xBF])
        XCTAssertTrue(expectInputError(onlyBOM)?.reason.contains("empty") ?? false)
    }

    func testMissingPathThrows() throws {
        let path = folder.url.appendingPathComponent("missing.txt").path
        let error = expectInputError(path)
        XCTAssertTrue(error?.reason.contains("no such file") ?? false, "\(String(describing: error))")
    }

    func testDirectoryThrows() throws {
        let error = expectInputError(folder.url.path)
        XCTAssertTrue(error?.reason.contains("directory") ?? false, "\(String(describing: error))")
    }

    func testUnreadableFileThrows() throws {
        try XCTSkipIf(geteuid() == 0, "permissions are not enforced for root")
        let path = try folder.file("secret.txt", Array("正文".utf8))
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path) }
        let error = expectInputError(path)
        XCTAssertTrue(error?.reason.contains("permission") ?? false, "\(String(describing: error))")
    }

    func testFileOverLimitThrows() throws {
        let path = try folder.file("big.txt", Array(repeating: UInt8(ascii: "a"), count: 101))
        let error = expectInputError(path, reader: DocumentReader(maxFileSize: 100))
        XCTAssertTrue(error?.reason.contains("limit") ?? false, "\(String(describing: error))")
        XCTAssertEqual(try DocumentReader(maxFileSize: 101).readText(at: path).utf8.count, 101)
    }

    func testSparseFileOverDefaultLimitIsRejectedWithoutReading() throws {
        let path = try folder.file("sparse.txt", [])
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 100 << 20)
        try handle.close()

        let start = Date()
        let error = expectInputError(path)
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertTrue(error?.reason.contains("\(100 << 20) bytes") ?? false, "\(String(describing: error))")
        XCTAssertLessThan(elapsed, 0.5, "the size must be checked before reading")
    }

    func testDescriptionIsOneLine() {
        let error = InputError(path: "a\nb.txt", reason: "bad\nthing")
        XCTAssertEqual(error.description, "a\\nb.txt: bad\\nthing")
    }

    func testReadsWholeBenchmarkCorpus() throws {
        guard let corpora = try SharedData.require("corpora") else { return }
        let reader = DocumentReader()
        var files = 0
        var bytes = 0
        let start = Date()
        for name in ["gov-work-reports", "smart-city-policies", "ncpqa-policies", "cn-laws-regulations"] {
            let docs = corpora.appendingPathComponent(name).appendingPathComponent("docs")
            for file in try FileManager.default.contentsOfDirectory(atPath: docs.path) where file.hasSuffix(".txt") {
                let text = try reader.readText(at: docs.appendingPathComponent(file).path)
                files += 1
                bytes += text.utf8.count
            }
        }
        let elapsed = Date().timeIntervalSince(start)
        print("DocumentReader: \(files) files, \(bytes) bytes in \(String(format: "%.3f", elapsed)) s")
        XCTAssertGreaterThan(files, 4000)
    }
}
