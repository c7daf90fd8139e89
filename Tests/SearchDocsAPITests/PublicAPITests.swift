import Foundation
import SearchDocs
import XCTest
import TestSupport

/// The public API as another package sees it (no `@testable`): open, search with options, add,
/// replace, delete, commit, search again; counts; highlights; typed errors.
final class PublicAPITests: XCTestCase {
    /// Checks that every highlight's range, scalar offsets and byte offsets pick the same text.
    func assertHighlights(_ results: SearchResults, are expected: String, file: StaticString = #filePath, line: UInt = #line) {
        for hit in results.hits {
            XCTAssertFalse(hit.snippets.isEmpty, "\(hit.path) has no snippet", file: file, line: line)
            for snippet in hit.snippets {
                XCTAssertFalse(snippet.highlights.isEmpty, file: file, line: line)
                let scalars = Array(snippet.text.unicodeScalars)
                let bytes = Array(snippet.text.utf8)
                for h in snippet.highlights {
                    XCTAssertEqual(String(snippet.text[h.range]), expected, file: file, line: line)
                    XCTAssertEqual(String(String.UnicodeScalarView(scalars[h.start..<h.end])), expected, file: file, line: line)
                    XCTAssertEqual(String(decoding: bytes[h.byteStart..<h.byteEnd], as: UTF8.self), expected, file: file, line: line)
                }
            }
        }
    }

    func testOpenSearchAddReplaceDeleteCommitAndSearchAgain() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        let dir = tmp.path("index")
        XCTAssertFalse(SearchIndex.exists(at: dir))

        let writer = try IndexWriter(directory: dir)
        try writer.addDocument(path: "a.txt", text: "科技企业孵化器认定通知\n鼎信陇源被认定为市级科技企业孵化器。")
        try writer.addDocument(path: "b.txt", text: "众创空间建设情况\n全市共有众创空间12家，孵化器5家。")
        try writer.addDocument(path: "d.txt", text: "临时文件")
        try writer.addDocument(path: "d.txt", text: "临时文件，第二版")
        XCTAssertEqual(writer.documentCount, 3)
        XCTAssertFalse(SearchIndex.exists(at: dir), "nothing is visible before the first commit")
        try writer.commit()

        let first = try SearchIndex(directory: dir)
        XCTAssertEqual(first.directory, dir)
        XCTAssertEqual(first.documentCount, 3)
        XCTAssertEqual(first.corpus, "")
        XCTAssertEqual(try first.count("临时文件"), 1, "adding the same id twice before a commit keeps one document")
        XCTAssertEqual(try first.count("第二版"), 1)

        let results = try first.search("孵化器")
        XCTAssertEqual(results.total, 2)
        XCTAssertEqual(results.hits.map(\.path), ["a.txt", "b.txt"], "the hit with the term in its title first")
        XCTAssertEqual(results.hits.map(\.rank), [1, 2])
        XCTAssertEqual(results.hits[0].title, "科技企业孵化器认定通知")
        XCTAssertEqual(results.hits[0].titleMatches, 1)
        XCTAssertEqual(results.hits[1].titleMatches, 0)
        XCTAssertTrue(results.hits.allSatisfy { $0.match == .exact && $0.score > 0 && $0.explanation.isEmpty })
        assertHighlights(results, are: "孵化器")

        // Options: limit and offset, snippets off, explain, literal.
        let page = try first.search("孵化器", options: SearchOptions(limit: 1, offset: 1))
        XCTAssertEqual(page.total, 2)
        XCTAssertEqual(page.hits.map(\.path), ["b.txt"])
        XCTAssertEqual(page.hits.map(\.rank), [2])
        XCTAssertEqual(try first.search("孵化器", options: SearchOptions(limit: 0)).hits.count, 0)
        let bare = try first.search("孵化器", options: SearchOptions(snippets: false))
        XCTAssertEqual(bare.hits.map(\.path), results.hits.map(\.path))
        XCTAssertTrue(bare.hits.allSatisfy { $0.snippets.isEmpty })
        let explained = try first.search("孵化器", options: SearchOptions(explain: true))
        XCTAssertTrue(explained.hits.allSatisfy { !$0.explanation.isEmpty })
        var one = SearchOptions()
        one.snippetsPerHit = 1
        XCTAssertTrue(try first.search("孵化器", options: one).hits.allSatisfy { $0.snippets.count == 1 })
        XCTAssertEqual(try first.count("孵化器 OR 众创空间"), 2)
        XCTAssertEqual(try first.count("孵化器 -众创空间"), 1)
        XCTAssertEqual(try first.count("title:孵化器"), 1)
        // Taken literally, the operators are text: no document has the whole, so it is matched by words.
        let literal = try first.search("孵化器 OR 众创空间", options: SearchOptions(literal: true))
        XCTAssertTrue(literal.hits.allSatisfy { $0.match == .words })
        XCTAssertEqual(try first.count("\"孵化器 OR 众创空间\""), 0)

        // Query trees: a quoted text is found exactly, whatever it holds.
        XCTAssertEqual(try first.count(.text("鼎信陇源", quoted: true)), 1)
        // White space between Chinese characters is layout, in documents and queries alike.
        XCTAssertEqual(try first.count(.text("鼎信 陇源", quoted: true)), 1)
        XCTAssertEqual(try first.count(.text("鼎信陇源被认定为省级", quoted: true)), 0)
        XCTAssertEqual(try first.search(.or([.text("众创空间", quoted: true), .text("鼎信陇源", quoted: true)])).total, 2)
        let parsed = try QueryParser(knownFields: SearchIndex.fieldNames).parse("孵化器 -众创空间")
        XCTAssertEqual(parsed, .and([.text("孵化器", quoted: false), .not(.text("众创空间", quoted: false))]))
        XCTAssertEqual(try first.search(parsed).hits.map(\.path), ["a.txt"])

        // Replace a committed document, add from a file (with and without an id), delete.
        try writer.addDocument(path: "a.txt", text: "科技企业认定通知\n鼎信陇源被认定为市级科技企业。")
        let file = try tmp.file("c.txt", Array("张掖市孵化器名单\n青龙管业孵化器。".utf8))
        try writer.addDocument(fileAt: file, id: "lists/c.txt")
        try writer.addDocument(fileAt: file)
        XCTAssertTrue(writer.deleteDocument(path: "b.txt"))
        XCTAssertFalse(writer.deleteDocument(path: "no-such-document.txt"))
        XCTAssertEqual(writer.documentCount, 4)
        XCTAssertEqual(try first.search("孵化器"), results, "uncommitted changes are invisible")
        try writer.commit()
        XCTAssertEqual(try first.search("孵化器"), results, "an open index keeps its snapshot")
        XCTAssertEqual(first.documentCount, 3)

        let second = try SearchIndex(directory: dir)
        XCTAssertGreaterThan(second.generation, first.generation)
        XCTAssertEqual(second.documentCount, 4)
        let again = try second.search("孵化器")
        XCTAssertEqual(again.total, 2)
        XCTAssertEqual(Set(again.hits.map(\.path)), ["lists/c.txt", file])
        XCTAssertEqual(again.hits[0].title, "张掖市孵化器名单")
        assertHighlights(again, are: "孵化器")
        XCTAssertEqual(try second.count("鼎信陇源"), 1)
        XCTAssertEqual(try second.count("众创空间"), 0)
        XCTAssertEqual(second.statistics().documents, 4)
        XCTAssertEqual(second.statistics().generation, second.generation)

        // Delete everything: the index is empty but sound.
        for path in ["a.txt", "d.txt", "lists/c.txt", file] { XCTAssertTrue(writer.deleteDocument(path: path)) }
        try writer.commit()
        let empty = try SearchIndex(directory: dir)
        XCTAssertEqual(empty.documentCount, 0)
        XCTAssertEqual(try empty.search("孵化器"), SearchResults(total: 0, hits: []))
        XCTAssertEqual(try IndexVerifier.verify(directory: dir), [])
    }

    func testIndexOfACorpusFolderAndSync() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        let corpus = tmp.url.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        try "孵化器名单\n青龙管业孵化器。".write(to: corpus.appendingPathComponent("1.txt"), atomically: true, encoding: .utf8)
        try "# 众创空间\n众创空间12家。".write(to: corpus.appendingPathComponent("2.md"), atomically: true, encoding: .utf8)
        let dir = tmp.path("index")
        let report = try IndexBuilder.build(corpus: corpus.path, directory: dir)
        XCTAssertEqual(report.added, 2)
        let index = try SearchIndex(directory: dir)
        XCTAssertEqual(index.documentCount, 2)
        XCTAssertEqual(try index.search("众创空间").hits.first?.title, "众创空间")

        // A library document survives a sync of the folder.
        do {
            let writer = try IndexWriter(directory: dir)
            try writer.addDocument(path: "extra/3.txt", text: "孵化器补充名单")
            try writer.commit()
            try FileManager.default.removeItem(at: corpus.appendingPathComponent("1.txt"))
            let sync = try writer.sync()
            XCTAssertEqual(sync.removed, 1)
            XCTAssertEqual(sync.unchanged, 1)
        }
        let after = try SearchIndex(directory: dir)
        XCTAssertEqual(try after.search("孵化器").hits.map(\.path), ["extra/3.txt"])
    }

    func testTypedErrors() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        let dir = tmp.path("index")

        XCTAssertThrowsError(try SearchIndex(directory: dir)) { error in
            XCTAssertEqual(error as? IndexError, .missing(directory: dir))
        }

        let writer = try IndexWriter(directory: dir)
        try writer.addDocument(path: "a.txt", text: "中国科学院孵化器")
        try writer.commit()

        // One writer at a time.
        XCTAssertThrowsError(try IndexWriter(directory: dir)) { error in
            guard case .locked? = error as? IndexError else { return XCTFail("\(error)") }
        }

        // Input problems name the file.
        let missing = tmp.path("missing.txt")
        XCTAssertThrowsError(try writer.addDocument(fileAt: missing)) { error in
            XCTAssertEqual((error as? InputError)?.path, missing)
        }
        let binary = try tmp.file("binary.txt", [0x41, 0x00, 0x42])
        XCTAssertThrowsError(try writer.addDocument(fileAt: binary, id: "binary")) { error in
            XCTAssertEqual((error as? InputError)?.path, binary)
            XCTAssertEqual((error as? InputError)?.reason, "binary file (contains NUL bytes)")
        }
        let invalid = try tmp.file("latin1.txt", [0x63, 0x61, 0x66, 0xE9])
        XCTAssertThrowsError(try writer.addDocument(fileAt: invalid)) { error in
            XCTAssertEqual((error as? InputError)?.path, invalid)
        }

        // Query syntax errors carry the column.
        let index = try SearchIndex(directory: dir)
        XCTAssertThrowsError(try index.search("中国 \"科学院")) { error in
            guard let e = error as? QuerySyntaxError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.message, "unbalanced quote")
            XCTAssertEqual(e.column, 3)
            XCTAssertEqual(e.query, "中国 \"科学院")
            XCTAssertEqual(e.caretDiagram(), "中国 \"科学院\n     ^")
        }
        XCTAssertThrowsError(try index.count("孵化器 OR")) { error in
            XCTAssertEqual((error as? QuerySyntaxError)?.column, 4)
        }
        // A tree with a field the index does not have.
        let authorQuery = try QueryParser(knownFields: ["author"]).parse("author:科学院")
        XCTAssertThrowsError(try index.search(authorQuery)) { error in
            guard case .unsupportedField("author")? = error as? SearchError else { return XCTFail("\(error)") }
        }

        // Damaged files are named.
        let segment = try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: dir).first { $0.hasSuffix(".sds") })
        let segmentPath = dir + "/" + segment
        var bytes = try Data(contentsOf: URL(fileURLWithPath: segmentPath))
        bytes[bytes.count - 256 + 3] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: segmentPath))
        XCTAssertThrowsError(try SearchIndex(directory: dir)) { error in
            guard case .corrupt(let file, _)? = error as? IndexError else { return XCTFail("\(error)") }
            XCTAssertEqual(file, segment)
        }
        let manifestPath = dir + "/MANIFEST"
        let manifest = try String(contentsOfFile: manifestPath, encoding: .utf8)
        try manifest.replacingOccurrences(of: "generation ", with: "generation 9").write(toFile: manifestPath, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try SearchIndex(directory: dir)) { error in
            XCTAssertEqual(error as? IndexError, .corrupt(file: "MANIFEST", detail: "checksum mismatch"))
        }
        let format = try XCTUnwrap(manifest.split(separator: "\n").first { $0.hasPrefix("format ") }).dropFirst(7)
        try manifest.replacingOccurrences(of: "format \(format)", with: "format 99").write(toFile: manifestPath, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try SearchIndex(directory: dir)) { error in
            XCTAssertEqual(error as? IndexError, .formatVersion(found: 99, supported: Int(format)!))
        }
    }
}
