import Foundation
import XCTest
@testable import SearchDocs
import TestSupport

/// Re-analysing stored documents (a dictionary change, merges) on two threads — one reading and
/// analysing, one adding to the segment — writes the same segment as on one thread, and a
/// document that cannot be read stops it with an error instead of a hang.
final class ReanalysisTests: XCTestCase {
    /// Texts of random words and punctuation, some of several analysis chunks, most with 科技特派员.
    private func corpus(in folder: TemporaryFolder) throws -> String {
        let corpus = folder.path("corpus")
        try FileManager.default.createDirectory(atPath: corpus + "/.searchdocs", withIntermediateDirectories: true)
        let words = ["科技", "特派员", "孵化器", "青龙管业", "节水灌溉", "工程", "技术", "研究", "应用", "乡村振兴",
                     "张掖市", "2024年", "PM2.5", "５Ｇ", "服务", "企业", "的", "和", "在", "开展"]
        let marks = ["，", "。", "；", "、", "\n", " "]
        var rng = SplitMix64(seed: 7)
        for i in 0..<48 {
            let length = i % 8 == 0 ? 2_000 + rng.next(6_000) : 20 + rng.next(400)
            var text = "第\(i)号文件\n"
            for k in 0..<length {
                if i % 5 != 4 && k == length / 2 { text += "科技特派员" }
                text += words[rng.next(words.count)]
                if rng.next(4) == 0 { text += marks[rng.next(marks.count)] }
            }
            try text.write(toFile: corpus + "/d\(i).txt", atomically: true, encoding: .utf8)
            // The same time in every copy of the corpus: it is stored in the document's record.
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_700_000_000)],
                                                  ofItemAtPath: corpus + "/d\(i).txt")
        }
        return corpus
    }

    /// The index of the corpus (built on one thread, so that both indexes hold the same segment),
    /// then the dictionary gains 科技特派员 and the documents holding it are re-segmented, with
    /// `threads` threads.
    private func resegmented(threads: Int, in folder: TemporaryFolder) throws -> (index: String, resegmented: Int) {
        let corpus = try corpus(in: folder)
        var options = IndexOptions()
        options.threads = 1
        let index = folder.path("index")
        _ = try IndexWriter(directory: index, corpus: corpus, options: options).sync()
        options.threads = threads
        try "科技特派员\n".write(toFile: corpus + "/" + IndexWriter.corpusDictionary, atomically: true, encoding: .utf8)
        let report = try IndexWriter(directory: index, options: options).sync()
        return (index, report.resegmented)
    }

    func testTwoThreadsWriteTheSameSegmentAsOne() throws {
        let one = try TemporaryFolder(prefix: "reanalysis-1"), two = try TemporaryFolder(prefix: "reanalysis-2")
        defer { one.remove(); two.remove() }
        let a = try resegmented(threads: 1, in: one), b = try resegmented(threads: 2, in: two)
        XCTAssertGreaterThan(a.resegmented, 30)
        XCTAssertEqual(a.resegmented, b.resegmented)
        // The segment the re-segmentation wrote (the last one), byte for byte.
        func newest(_ index: String) throws -> [UInt8] {
            let name = try XCTUnwrap(Manifest.read(directory: index).segments.last?.file)
            return try [UInt8](Data(contentsOf: URL(fileURLWithPath: index + "/" + name)))
        }
        let segmentA = try newest(a.index), segmentB = try newest(b.index)
        XCTAssertGreaterThan(segmentA.count, 10_000)
        XCTAssertTrue(segmentA == segmentB, "the re-analysed segments differ")
        let ia = try SearchIndex(directory: a.index), ib = try SearchIndex(directory: b.index)
        for q in ["科技特派员", "青龙管业", "\"节水灌溉工程\"", "PM2.5", "组织科技特派员开展科技服务"] {
            let ra = try ia.search(q), rb = try ib.search(q)
            XCTAssertEqual(ra.total, rb.total, q)
            XCTAssertEqual(ra.hits.map(\.path), rb.hits.map(\.path), q)
            XCTAssertEqual(ra.hits.map(\.snippets), rb.hits.map(\.snippets), q)
        }
    }

    func testADamagedDocumentStopsTheReanalysisWithAnError() throws {
        for threads in [1, 2] {
            let folder = try TemporaryFolder(prefix: "reanalysis-damage")
            defer { folder.remove() }
            let corpus = try corpus(in: folder)
            var options = IndexOptions()
            options.threads = threads
            let index = folder.path("index")
            _ = try IndexWriter(directory: index, corpus: corpus, options: options).sync()
            // Damage the stored text of every segment, near the end of its text blocks.
            for s in try Manifest.read(directory: index).segments {
                let path = index + "/" + s.file
                var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
                let layout = SegmentLayoutForTests(bytes)
                let (offset, length) = layout.section(.blockData)
                bytes[offset + length - 40] ^= 0x5A
                try Data(bytes).write(to: URL(fileURLWithPath: path))
            }
            try "科技特派员\n".write(toFile: corpus + "/" + IndexWriter.corpusDictionary, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try IndexWriter(directory: index, options: options).sync(), "\(threads) threads") { error in
                guard case IndexError.corrupt = error else { return XCTFail("\(error)") }
            }
            // The index is still the one committed before.
            XCTAssertNil(try SearchIndex(directory: index).dictionary)
        }
    }
}

/// Where a segment's sections are, read from its trailer (see ``SegmentFormat``).
private struct SegmentLayoutForTests {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func section(_ s: SegmentFormat.Section) -> (offset: Int, length: Int) {
        let at = bytes.count - SegmentFormat.trailerSize + s.rawValue * 24
        return (Int(u64(at)), Int(u64(at + 8)))
    }

    private func u64(_ at: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) }
    }
}
