import Foundation
import XCTest
@testable import SearchDocs
import TestSupport

/// Traditional/simplified and full-width/half-width forms match each other; snippets keep the
/// original characters; folding never rewrites characters in use in simplified text.
final class FoldingTests: XCTestCase {
    func testFoldingTheSharedCorporaChangesOnlyRareTraditionalCharacters() throws {
        guard let corpora = try SharedData.require("corpora") else { return }
        let fm = FileManager.default
        var documents = 0, changedDocuments = 0
        var docsWith: [UInt32: Int] = [:]
        for corpus in try fm.contentsOfDirectory(atPath: corpora.path).sorted() {
            let dir = corpora.appendingPathComponent(corpus).appendingPathComponent("docs")
            guard let names = try? fm.contentsOfDirectory(atPath: dir.path) else { continue }
            for name in names {
                let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
                documents += 1
                var changed = Set<UInt32>()
                for s in text.unicodeScalars where ScriptFolding.fold(s.value) != s.value { changed.insert(s.value) }
                if !changed.isEmpty { changedDocuments += 1 }
                for c in changed { docsWith[c, default: 0] += 1 }
            }
        }
        print("folding changes \(changedDocuments) of \(documents) documents, \(docsWith.count) distinct characters")
        XCTAssertGreaterThan(documents, 5000)
        // ICU's transliterator changes 1,634 of these documents; the table only genuinely
        // traditional characters, which simplified text hardly uses.
        XCTAssertLessThanOrEqual(changedDocuments, 20)
        for (c, n) in docsWith { XCTAssertLessThanOrEqual(n, 5, "\(Unicode.Scalar(c)!) folded in \(n) documents") }
        // Characters in use in simplified text stay as they are.
        for c in "著俱藉显着具乐部慰借后面发干里余系" .unicodeScalars { XCTAssertEqual(ScriptFolding.fold(c.value), c.value, "\(c)") }
        for (t, s) in zip("員與國學計題們".unicodeScalars, "员与国学计题们".unicodeScalars) { XCTAssertEqual(ScriptFolding.fold(t.value), s.value) }
    }

    func testTraditionalAndFullWidthQueriesFindTheSameDocuments() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        let corpus = tmp.url.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        let docs = [
            "simplified.txt": "组织科技特派员开展服务，PM2.5 监测，2024年完成。",
            "traditional.txt": "組織科技特派員開展服務，ＰＭ２.５ 監測，２０２４年完成。",
            "other.txt": "无关的文字。",
        ]
        for (name, text) in docs { try text.write(to: corpus.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let indexDir = tmp.url.appendingPathComponent("index")
        try IndexBuilder.build(corpus: corpus.path, directory: indexDir.path)
        let index = try SearchIndex(directory: indexDir.path)
        var o = SearchOptions()
        o.limit = 10
        for (a, b) in [("科技特派員", "科技特派员"), ("ＰＭ２.５", "PM2.5"), ("２０２４年", "2024年"), ("監測", "监测")] {
            let ra = try index.search(a, options: o), rb = try index.search(b, options: o)
            XCTAssertEqual(Set(ra.hits.map(\.path)), ["simplified.txt", "traditional.txt"], a)
            XCTAssertEqual(Set(ra.hits.map(\.path)), Set(rb.hits.map(\.path)), "\(a) / \(b)")
            XCTAssertTrue(ra.hits.allSatisfy { $0.match == .exact })
        }
        // Snippets show and highlight the original characters.
        let r = try index.search("科技特派员", options: o)
        let trad = try XCTUnwrap(r.hits.first { $0.path == "traditional.txt" })
        let s = try XCTUnwrap(trad.snippets.first)
        XCTAssertEqual(s.highlights.map { String(s.text[$0.range]) }, ["科技特派員"])
        let pm = try index.search("PM2.5", options: o).hits.first { $0.path == "traditional.txt" }!
        XCTAssertEqual(pm.snippets.first.map { s in s.highlights.map { String(s.text[$0.range]) } }, ["ＰＭ２.５"])
    }
}
