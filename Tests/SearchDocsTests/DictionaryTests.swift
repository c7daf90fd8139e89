import Foundation
import Synchronization
import XCTest
@testable import SearchDocs
import TestSupport

/// The user dictionary: terms indexed whole, stored with the index, and a change re-segments
/// exactly the documents that contain an added or removed term.
final class DictionaryTests: XCTestCase {
    /// A temporary folder holding `corpus/` (with its `.searchdocs/` folder) and where its index goes.
    private struct Fixture {
        let tmp: TemporaryFolder
        var corpus: URL { tmp.url.appendingPathComponent("corpus") }
        var dir: String { tmp.url.appendingPathComponent("index").path }
    }

    /// A fixture whose corpus holds `files` (name → text); removed when the test ends.
    private func fixture(_ files: [String: String]) throws -> Fixture {
        let f = Fixture(tmp: try TemporaryFolder())
        addTeardownBlock { f.tmp.remove() }
        try FileManager.default.createDirectory(at: f.corpus.appendingPathComponent(".searchdocs"), withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: f.corpus.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return f
    }

    func testTermsAreKeptWholeAsLongestMatchOverICU() throws {
        let dict = UserDictionary(terms: ["青龙管业", "科技特派员", "# comment", "", "滨河食品集团", "ＡＢ"])
        XCTAssertEqual(dict.terms, ["青龙管业", "科技特派员", "滨河食品集团", "ab"])
        let a = try Analysis.of("组织科技特派员，青龙管业与滨河食品集团", dictionary: dict)
        XCTAssertEqual(a.tokens.map(\.term), ["组织", "科技特派员", ",", "青龙管业", "与", "滨河食品集团"])
        XCTAssertEqual(a.tokens[1].kind, .ideographic)
        // Without it ICU splits them.
        XCTAssertEqual(try Analysis.of("青龙管业").tokens.map(\.term), ["青龙", "管", "业"])
    }

    func testDictionaryChangeResegmentsExactlyTheAffectedDocuments() throws {
        var texts: [String: String] = [:]
        for i in 0..<20 { texts["d\(i).txt"] = "第\(i)号文件：推进科技创新和产业发展。" }
        texts["d3.txt"] = "青龙管业被认定为创新联合体。"
        texts["d7.txt"] = "组织青龙管业等企业参加对接会。"
        texts["d9.txt"] = "鼎信陇源被认定为市级科技企业孵化器。"
        let f = try fixture(texts)
        let corpus = f.corpus, dir = f.dir
        let first = try IndexWriter(directory: dir, corpus: corpus.path).sync()
        XCTAssertEqual(first.analyzed, 20)
        XCTAssertNil(try SearchIndex(directory: dir).dictionary)

        let dictFile = corpus.appendingPathComponent(IndexWriter.corpusDictionary)
        try "青龙管业\n".write(to: dictFile, atomically: true, encoding: .utf8)
        let added = try IndexWriter(directory: dir).sync()
        XCTAssertEqual(added.resegmented, 2)
        XCTAssertEqual(added.analyzed, 2)
        XCTAssertEqual(added.unchanged, 20)
        let index = try SearchIndex(directory: dir)
        XCTAssertEqual(index.dictionary?.terms, ["青龙管业"])
        // The term is a word of the index now.
        let seg = index.segments.first { (try? $0.reader.wordPostings(Array("青龙管业".utf8))) != nil }
        XCTAssertNotNil(seg)

        try "青龙管业\n鼎信陇源\n".write(to: dictFile, atomically: true, encoding: .utf8)
        XCTAssertEqual(try IndexWriter(directory: dir).sync().resegmented, 1)
        try FileManager.default.removeItem(at: dictFile)
        XCTAssertEqual(try IndexWriter(directory: dir).sync().resegmented, 3)
        XCTAssertNil(try SearchIndex(directory: dir).dictionary)
        // Nothing changed: nothing re-segmented.
        XCTAssertEqual(try IndexWriter(directory: dir).sync().analyzed, 0)
        XCTAssertEqual(try SearchIndex(directory: dir).search("青龙管业").total, 2)
    }

    func testARenamedDocumentKeepsItsNewPathWhenResegmented() throws {
        let f = try fixture(["a.txt": "青龙管业被认定为创新联合体。", "b.txt": "其他文件的内容。"])
        let corpus = f.corpus, dir = f.dir
        _ = try IndexWriter(directory: dir, corpus: corpus.path).sync()
        try FileManager.default.moveItem(at: corpus.appendingPathComponent("a.txt"), to: corpus.appendingPathComponent("renamed.txt"))
        XCTAssertEqual(try IndexWriter(directory: dir).sync().renamed, 1)

        try "青龙管业\n".write(to: corpus.appendingPathComponent(IndexWriter.corpusDictionary), atomically: true, encoding: .utf8)
        let report = try IndexWriter(directory: dir).sync()
        XCTAssertEqual(report.resegmented, 1)
        XCTAssertEqual(report.removed, 0)
        XCTAssertEqual(try SearchIndex(directory: dir).search("青龙管业").hits.map(\.path), ["renamed.txt"])
        let again = try IndexWriter(directory: dir).sync()
        XCTAssertEqual(again.added + again.changed + again.removed + again.renamed, 0)
    }

    /// A dictionary given with `--dict` is remembered: a later run given none (cron's
    /// `searchdocs index`) keeps using it, re-reading the file, instead of dropping its terms and
    /// re-segmenting; if the file is gone the index keeps its terms and says so; forgetting it
    /// goes back to the corpus folder's own.
    func testAGivenDictionaryIsRememberedByLaterRuns() throws {
        let f = try fixture(["a.txt": "青龙管业被认定为创新联合体。", "b.txt": "鼎信陇源被认定为市级科技企业孵化器。",
                             "c.txt": "其他文件的内容。", IndexWriter.corpusDictionary: "鼎信陇源\n"])
        let corpus = f.corpus, dir = f.dir, tmp = f.tmp
        let names = tmp.url.appendingPathComponent("names.txt")
        try "青龙管业\n".write(to: names, atomically: true, encoding: .utf8)
        func sync(dict: String? = nil, forget: Bool = false) throws -> (SyncReport, [String]) {
            var options = IndexOptions()
            options.dictionaryPath = dict
            options.forgetsDictionaryPath = forget
            let warnings = Mutex([String]())
            let report = try IndexWriter(directory: dir, options: options).sync(warn: { line in warnings.withLock { $0.append(line) } })
            return (report, warnings.withLock { $0 })
        }
        var options = IndexOptions()
        options.dictionaryPath = names.path
        _ = try IndexWriter(directory: dir, corpus: corpus.path, options: options).sync()
        XCTAssertEqual(try SearchIndex(directory: dir).dictionary?.terms, ["青龙管业"])

        // Given none: the remembered file, not the corpus folder's own.
        var (report, warnings) = try sync()
        XCTAssertEqual(report.resegmented, 0)
        XCTAssertEqual(report.analyzed, 0)
        XCTAssertEqual(warnings, [])
        XCTAssertEqual(try SearchIndex(directory: dir).dictionary?.terms, ["青龙管业"])

        // The remembered file is read again: a term added to it re-segments its document.
        try "青龙管业\n孵化器\n".write(to: names, atomically: true, encoding: .utf8)
        (report, _) = try sync()
        XCTAssertEqual(report.resegmented, 1)
        XCTAssertEqual(try SearchIndex(directory: dir).dictionary?.terms, ["青龙管业", "孵化器"])

        // Gone: the index keeps its terms, with a warning naming the file.
        try FileManager.default.removeItem(at: names)
        (report, warnings) = try sync()
        XCTAssertEqual(report.resegmented, 0)
        XCTAssertEqual(warnings.count, 1)
        XCTAssertTrue(warnings[0].hasPrefix(names.standardizedFileURL.path + ": "), warnings[0])
        XCTAssertEqual(try SearchIndex(directory: dir).dictionary?.terms, ["青龙管业", "孵化器"])

        // Forgotten: the corpus folder's own dictionary, from then on.
        (report, warnings) = try sync(forget: true)
        XCTAssertEqual(warnings, [])
        XCTAssertEqual(report.resegmented, 2)
        XCTAssertEqual(try SearchIndex(directory: dir).dictionary?.terms, ["鼎信陇源"])
        (report, _) = try sync()
        XCTAssertEqual(report.resegmented, 0)
        XCTAssertEqual(try SearchIndex(directory: dir).search("青龙管业").total, 1)
        XCTAssertEqual(try SearchIndex(directory: dir).search("孵化器").total, 1)

        // A rebuild keeps the remembered file too.
        try "青龙管业\n".write(to: names, atomically: true, encoding: .utf8)
        _ = try sync(dict: names.path)
        options = IndexOptions()
        _ = try IndexWriter(directory: dir, rebuild: true, options: options).sync()
        XCTAssertEqual(try SearchIndex(directory: dir).dictionary?.terms, ["青龙管业"])

        // A missing file given with --dict is an error naming it, and changes nothing.
        XCTAssertThrowsError(try sync(dict: tmp.url.appendingPathComponent("none.txt").path)) { error in
            XCTAssertTrue("\(error)".contains("none.txt"), "\(error)")
        }
        XCTAssertEqual(try SearchIndex(directory: dir).dictionary?.terms, ["青龙管业"])
    }
}
