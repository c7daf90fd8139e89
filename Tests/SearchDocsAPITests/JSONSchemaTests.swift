import Foundation
import SearchDocs
import XCTest
import TestSupport

/// The JSON Lines of `searchdocs query --json` and `query --stdin`, parsed with
/// JSONSerialization and checked field by field against schema version 1.
final class JSONSchemaTests: XCTestCase {
    /// A copy of the project's corpus/ indexed into idx/ by the CLI.
    func indexedSeed() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("searchdocs-json-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let corpus = dir.appendingPathComponent("corpus")
        try FileManager.default.copyItem(at: SharedData.packageRoot.appendingPathComponent("corpus"), to: corpus)
        // A second document, so that queries have several hits and `words` matches.
        try "张掖市科技企业孵化器名单\n青龙管业孵化器、鼎信陇源孵化器被认定为市级科技企业孵化器。PM2.5监测站由中国科学院建设。\n"
            .write(to: corpus.appendingPathComponent("list.txt"), atomically: true, encoding: .utf8)
        let r = try Products.run("searchdocs", ["index", "corpus", "--index", "idx"], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        return dir
    }

    // MARK: JSON types

    static func isInteger(_ v: Any?) -> Bool {
        guard let n = v as? NSNumber, !isBoolean(v) else { return false }
        return ["c", "s", "i", "l", "q", "C", "S", "I", "L", "Q"].contains(String(cString: n.objCType))
    }

    static func isNumber(_ v: Any?) -> Bool { v is NSNumber && !isBoolean(v) }

    static func isBoolean(_ v: Any?) -> Bool {
        guard let v else { return false }
        return String(describing: type(of: v)).contains("Boolean")
    }

    func object(_ line: Substring, file: StaticString = #filePath, l: UInt = #line) throws -> [String: Any] {
        let parsed = try JSONSerialization.jsonObject(with: Data(line.utf8))
        return try XCTUnwrap(parsed as? [String: Any], "not an object: \(line)", file: file, line: l)
    }

    /// Checks the fields of a hit; `perLine` hits (`--json`) also have `v` and `total`.
    func checkHit(_ o: [String: Any], perLine: Bool, explain: Bool, rank: Int, file: StaticString = #filePath, line: UInt = #line) {
        var keys: Set<String> = ["rank", "score", "path", "title", "match", "snippets", "org", "date", "id", "versions", "copies"]
        if perLine { keys.formUnion(["v", "total"]) }
        if explain { keys.insert("explain") }
        XCTAssertEqual(Set(o.keys), keys, file: file, line: line)
        if perLine {
            XCTAssertTrue(Self.isInteger(o["v"]), file: file, line: line)
            XCTAssertEqual(o["v"] as? Int, 1, file: file, line: line)
            XCTAssertTrue(Self.isInteger(o["total"]), file: file, line: line)
            XCTAssertGreaterThanOrEqual(o["total"] as? Int ?? -1, rank, file: file, line: line)
        }
        XCTAssertTrue(Self.isInteger(o["rank"]), file: file, line: line)
        XCTAssertEqual(o["rank"] as? Int, rank, file: file, line: line)
        XCTAssertTrue(Self.isNumber(o["score"]), file: file, line: line)
        XCTAssertGreaterThan((o["score"] as? NSNumber)?.doubleValue ?? 0, 0, file: file, line: line)
        XCTAssertFalse((o["path"] as? String ?? "").isEmpty, file: file, line: line)
        XCTAssertFalse((o["title"] as? String ?? "").isEmpty, file: file, line: line)
        XCTAssertTrue(["exact", "words"].contains(o["match"] as? String ?? ""), file: file, line: line)
        for key in ["org", "date", "id"] {
            XCTAssertTrue(o[key] is NSNull || o[key] is String, "\(key) is a string or null", file: file, line: line)
        }
        if let d = o["date"] as? String {
            XCTAssertNotNil(d.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression), "date \(d)", file: file, line: line)
        }
        XCTAssertNotNil(o["versions"] as? [String], file: file, line: line)
        XCTAssertNotNil(o["copies"] as? [String], file: file, line: line)
        let snippets = o["snippets"] as? [Any]
        XCTAssertNotNil(snippets, file: file, line: line)
        XCTAssertFalse(snippets?.isEmpty ?? true, file: file, line: line)
        for s in snippets ?? [] {
            guard let s = s as? [String: Any] else { XCTFail("snippet not an object", file: file, line: line); continue }
            XCTAssertEqual(Set(s.keys), ["text", "highlights"], file: file, line: line)
            guard let text = s["text"] as? String, let highlights = s["highlights"] as? [Any] else {
                XCTFail("snippet fields", file: file, line: line); continue
            }
            XCTAssertFalse(highlights.isEmpty, file: file, line: line)
            let scalars = Array(text.unicodeScalars), bytes = Array(text.utf8)
            var lastEnd = 0
            for h in highlights {
                guard let h = h as? [String: Any] else { XCTFail("highlight not an object", file: file, line: line); continue }
                XCTAssertEqual(Set(h.keys), ["start", "end", "byte_start", "byte_end"], file: file, line: line)
                for k in h.keys { XCTAssertTrue(Self.isInteger(h[k]), k, file: file, line: line) }
                let start = h["start"] as? Int ?? -1, end = h["end"] as? Int ?? -1
                let byteStart = h["byte_start"] as? Int ?? -1, byteEnd = h["byte_end"] as? Int ?? -1
                guard lastEnd <= start, start < end, end <= scalars.count, 0 <= byteStart, byteStart < byteEnd, byteEnd <= bytes.count else {
                    XCTFail("highlight out of order or range: \(h) in \(text)", file: file, line: line); continue
                }
                XCTAssertEqual(String(String.UnicodeScalarView(scalars[start..<end])),
                               String(decoding: bytes[byteStart..<byteEnd], as: UTF8.self), file: file, line: line)
                XCTAssertEqual(String(String.UnicodeScalarView(scalars[0..<start])).utf8.count, byteStart, file: file, line: line)
                lastEnd = end
            }
        }
        if explain {
            let lines = o["explain"] as? [Any] ?? []
            XCTAssertFalse(lines.isEmpty, file: file, line: line)
            XCTAssertTrue(lines.allSatisfy { $0 is String }, file: file, line: line)
        }
    }

    // MARK: tests

    func testQueryJSONLinesFollowSchemaVersion1() throws {
        let dir = try indexedSeed()
        for explain in [false, true] {
            for query in ["孵化器", "孵化器 中国科学院", "PM2.5", "title:孵化器", "孵化器在哪里认定"] {
                let r = try Products.run("searchdocs", ["query", query, "--index", "idx", "--json"] + (explain ? ["--explain"] : []), in: dir)
                XCTAssertEqual(r.status, 0, "\(query): \(r.stderr)")
                let lines = r.stdout.split(separator: "\n")
                XCTAssertFalse(lines.isEmpty, query)
                var totals = Set<Int>()
                for (i, line) in lines.enumerated() {
                    let o = try object(line)
                    checkHit(o, perLine: true, explain: explain, rank: i + 1)
                    totals.insert(o["total"] as? Int ?? -1)
                }
                XCTAssertEqual(totals, [lines.count], query)
            }
        }
        // A query that matches nothing prints nothing and exits 1.
        let none = try Products.run("searchdocs", ["query", "\"不存在的词\"", "--index", "idx", "--json"], in: dir)
        XCTAssertEqual(none.status, 1)
        XCTAssertEqual(none.stdout, "")
    }

    func testQueryStdinWritesOneLinePerQuery() throws {
        let dir = try indexedSeed()
        let queries = ["孵化器", "中国 \"科学院", "", "\"不存在的词\"", "孵化器 OR 科技特派员", "title:孵化器", "(孵化器", "孵化器在哪里认定", "PM2.5"]
        let r = try Products.run("searchdocs", ["query", "--stdin", "--index", "idx", "--limit", "1"], in: dir,
                                 input: queries.joined(separator: "\n") + "\n")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr, "")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertEqual(lines.count, queries.count)
        var errors: [String: Int] = [:]
        for (query, line) in zip(queries, lines) {
            let o = try object(line)
            XCTAssertTrue(Self.isInteger(o["v"]))
            XCTAssertEqual(o["v"] as? Int, 1)
            XCTAssertEqual(o["query"] as? String, query)
            if o["error"] != nil {
                XCTAssertEqual(Set(o.keys), ["v", "query", "error", "column"], query)
                XCTAssertFalse((o["error"] as? String ?? "").isEmpty)
                XCTAssertTrue(Self.isInteger(o["column"]))
                errors[query] = o["column"] as? Int
                continue
            }
            XCTAssertEqual(Set(o.keys), ["v", "query", "total", "hits"], query)
            XCTAssertTrue(Self.isInteger(o["total"]))
            let total = o["total"] as? Int ?? -1
            let hits = try XCTUnwrap(o["hits"] as? [Any], query)
            XCTAssertEqual(hits.count, min(total, 1), query)
            for (i, hit) in hits.enumerated() {
                checkHit(try XCTUnwrap(hit as? [String: Any]), perLine: false, explain: false, rank: i + 1)
            }
        }
        XCTAssertEqual(errors, ["中国 \"科学院": 3, "": 0, "(孵化器": 0])

        // The hits of --stdin are the hits of --json without v and total.
        let json = try Products.run("searchdocs", ["query", "孵化器", "--index", "idx", "--json", "--explain"], in: dir)
        let stdin = try Products.run("searchdocs", ["query", "--stdin", "--index", "idx", "--explain"], in: dir, input: "孵化器")
        let answer = try object(Substring(stdin.stdout.trimmingCharacters(in: .newlines)))
        let hits = try XCTUnwrap(answer["hits"] as? [[String: Any]])
        let perLine = try json.stdout.split(separator: "\n").map { try object($0) }
        XCTAssertEqual(hits.count, perLine.count)
        XCTAssertEqual(answer["total"] as? Int, perLine.count)
        for (hit, var line) in zip(hits, perLine) {
            checkHit(hit, perLine: false, explain: true, rank: hit["rank"] as? Int ?? 0)
            line["v"] = nil
            line["total"] = nil
            XCTAssertEqual(NSDictionary(dictionary: hit), NSDictionary(dictionary: line))
        }

        // Query text and --stdin together is an argument error.
        let both = try Products.run("searchdocs", ["query", "孵化器", "--stdin", "--index", "idx"], in: dir)
        XCTAssertEqual(both.status, 2)
    }

    /// The library builds the same lines.
    func testLibraryBuildsTheLines() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        let writer = try IndexWriter(directory: tmp.path("index"))
        try writer.addDocument(path: "a.txt", text: "孵化器\n\"引号\"与反斜杠\\和换行")
        try writer.commit()
        let index = try SearchIndex(directory: tmp.path("index"))
        XCTAssertEqual(try JSONLines.answerLine(for: "中国 \"科学院", in: index),
                       #"{"v":1,"query":"中国 \"科学院","error":"unbalanced quote","column":3}"#)
        XCTAssertEqual(try JSONLines.answerLine(for: "\"没有\"", in: index), #"{"v":1,"query":"\"没有\"","total":0,"hits":[]}"#)
        let line = try JSONLines.answerLine(for: "反斜杠", in: index, options: SearchOptions(snippets: false))
        let o = try object(Substring(line))
        XCTAssertEqual(o["total"] as? Int, 1)
        let hit = try XCTUnwrap((o["hits"] as? [[String: Any]])?.first)
        XCTAssertEqual(hit["path"] as? String, "a.txt")
        XCTAssertEqual(hit["title"] as? String, "孵化器")
        XCTAssertEqual((hit["snippets"] as? [Any])?.count, 0)
        XCTAssertFalse(line.contains("\n"))
        XCTAssertEqual(JSONLines.schemaVersion, 1)
    }
}
