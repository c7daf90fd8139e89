import Foundation
import TestSupport
import XCTest

/// Runs the built `searchdocs` command end to end and compares exact output.
final class CLITests: XCTestCase {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs searchdocs with `args` in `directory`, `input` (a few lines) on its standard input.
    func run(_ args: [String], in directory: URL, environment: [String: String] = [:], input: String? = nil) throws -> Run {
        let p = Process()
        p.executableURL = BuiltProducts.directory.appendingPathComponent("searchdocs")
        p.arguments = args
        p.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = nil
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        let stdin = Pipe()
        if input != nil { p.standardInput = stdin }
        try p.run()
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// A temporary folder holding a copy of the project's corpus/ (the seed).
    func seedFolder() throws -> URL {
        let dir = try temporaryFolder(self, "cli")
        try FileManager.default.copyItem(at: SharedData.packageRoot.appendingPathComponent("corpus"), to: dir.appendingPathComponent("corpus"))
        return dir
    }

    static let seedTitle = "民乐县科学技术局2024年度上半年工作总结及下半年工作计划"
    static let seedPath = "000_cc14a950d0b6b316.txt"

    func testQueryBuildsTheDefaultIndexOnFirstUseAndPrintsHighlightedHits() throws {
        let dir = try seedFolder()
        let first = try run(["query", "孵化器"], in: dir)
        XCTAssertEqual(first.status, 0)
        XCTAssertEqual(first.stderr, "searchdocs: building the index of corpus/ in index/ (first use)\n")
        XCTAssertEqual(first.stdout, """
            1. \(Self.seedTitle)  (民乐县科技局, 2024-07-24)
               \(Self.seedPath)  score 0.452
               鼎信陇源被认定为市级科技企业⟦孵化器⟧,青龙管业被认定为张掖市节水灌溉工程技术研究应用创新联合体 四是强化创新主体培育。
               指导仓宇包装、和邦同城等企业申报第一批高新技术企业。组织科技企业⟦孵化器⟧、众创空间、高新技术企业填报统计年报,精准掌握企业科技投入及贡献数据。 五是加强科技成果转化。
            1 document matches

            """)
        // Second use: the index is reused, no notice.
        let second = try run(["query", "孵化器"], in: dir)
        XCTAssertEqual(second.stderr, "")
        XCTAssertEqual(second.stdout, first.stdout)
    }

    func testJSONLines() throws {
        let dir = try seedFolder()
        let r = try run(["query", "孵化器", "--json"], in: dir)
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.stdout, """
            {"v":1,"rank":1,"score":0.452072,"path":"\(Self.seedPath)","title":"\(Self.seedTitle)","match":"exact","total":1,"org":"民乐县科技局","date":"2024-07-24","id":"620722024/2024-00036","versions":[],"copies":[],"snippets":[{"text":"鼎信陇源被认定为市级科技企业孵化器,青龙管业被认定为张掖市节水灌溉工程技术研究应用创新联合体 四是强化创新主体培育。","highlights":[{"start":14,"end":17,"byte_start":42,"byte_end":51}]},{"text":"指导仓宇包装、和邦同城等企业申报第一批高新技术企业。组织科技企业孵化器、众创空间、高新技术企业填报统计年报,精准掌握企业科技投入及贡献数据。 五是加强科技成果转化。","highlights":[{"start":32,"end":35,"byte_start":96,"byte_end":105}]}]}

            """)
        // Every line is JSON with the schema's fields.
        for line in r.stdout.split(separator: "\n") {
            let o = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            for key in ["v", "rank", "score", "path", "title", "match", "total", "snippets"] { XCTAssertNotNil(o[key], key) }
        }
    }

    func testSeedNamesAreFoundAndHighlighted() throws {
        let dir = try seedFolder()
        for name in ["科技特派员", "中国科学院", "青龙管业", "滨河食品集团", "揭榜挂帅"] {
            let r = try run(["query", name, "--highlight-markers", "<<,>>"], in: dir)
            XCTAssertEqual(r.status, 0, name)
            XCTAssertTrue(r.stdout.contains("<<\(name)>>"), "\(name) not highlighted: \(r.stdout)")
            XCTAssertTrue(r.stdout.hasPrefix("1. \(Self.seedTitle)  (民乐县科技局, 2024-07-24)\n"), name)
        }
        let none = try run(["query", "\"不存在的词\""], in: dir)
        XCTAssertEqual(none.status, 1)
        XCTAssertEqual(none.stdout, "no document matches\n")
    }

    func testColorAlwaysUsesANSIAndNeverUsesMarkers() throws {
        let dir = try seedFolder()
        let color = try run(["query", "孵化器", "--color", "always"], in: dir)
        XCTAssertTrue(color.stdout.contains("\u{1B}[1;31m孵化器\u{1B}[0m"))
        let never = try run(["query", "孵化器", "--color", "never"], in: dir, environment: ["NO_COLOR": "1"])
        XCTAssertFalse(never.stdout.contains("\u{1B}["))
    }

    func testAnalyze() throws {
        let dir = try seedFolder()
        let r = try run(["analyze", "青龙管业被认定为5G企业"], in: dir)
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.stdout, """
            position  term  kind  start-end
            0  青龙管业  ideographic  0-4
            1  被  ideographic  4-5
            2  认定  ideographic  5-7
            3  为  ideographic  7-8
            4  5g  letter  8-10
            5  企业  ideographic  10-12
            match text: 青龙管业被认定为|5g|企业

            """)
    }

    func testMalformedQueryNamesTheColumnWithACaret() throws {
        let dir = try seedFolder()
        _ = try run(["index"], in: dir)
        let r = try run(["query", "中国 \"科学院"], in: dir)
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(r.stderr, """
            searchdocs: query syntax error at character 3: unbalanced quote
            中国 "科学院
                 ^

            """)
    }

    func testMissingIndexAndBadArgumentsExitTwoWithOneLine() throws {
        let dir = try seedFolder()
        let missing = try run(["query", "孵化器", "--index", "no-such-index"], in: dir)
        XCTAssertEqual(missing.status, 2)
        XCTAssertEqual(missing.stderr, "searchdocs: no index at no-such-index (build one with: searchdocs index CORPUS --index no-such-index)\n")
        let bad = try run(["query", "孵化器", "--limit", "many"], in: dir)
        XCTAssertEqual(bad.status, 2)
        XCTAssertEqual(bad.stderr.split(separator: "\n").count, 1)
        let help = try run(["query", "--help"], in: dir)
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("USAGE: searchdocs query"))
    }

    func testIndexAndStats() throws {
        let dir = try seedFolder()
        let r = try run(["index", "corpus", "--index", "idx"], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("+1 added, ~0 changed, -0 removed, 0 unchanged ("), r.stdout)
        // Again: nothing to do. Then a new file, a rename and a deletion.
        let again = try run(["index", "--index", "idx"], in: dir)
        XCTAssertTrue(again.stdout.hasPrefix("+0 added, ~0 changed, -0 removed, 1 unchanged ("), again.stdout)
        let corpus = dir.appendingPathComponent("corpus")
        try "新的公开信息：科技特派员工作总结。".write(to: corpus.appendingPathComponent("new.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.moveItem(at: corpus.appendingPathComponent(Self.seedPath), to: corpus.appendingPathComponent("renamed.txt"))
        let changed = try run(["index", "--index", "idx"], in: dir)
        XCTAssertTrue(changed.stdout.hasPrefix("+1 added, ~0 changed, -0 removed, 1 renamed, 0 unchanged ("), changed.stdout)
        let q = try run(["query", "科技特派员", "--index", "idx", "--json"], in: dir)
        XCTAssertEqual(q.stdout.split(separator: "\n").count, 2)
        XCTAssertTrue(q.stdout.contains("\"path\":\"renamed.txt\""), q.stdout)
        let v = try run(["verify", "--index", "idx"], in: dir)
        XCTAssertEqual(v.status, 0)
        XCTAssertEqual(v.stdout, "index is sound\n")
        let s = try run(["stats", "--index", "idx"], in: dir)
        XCTAssertEqual(s.status, 0)
        XCTAssertTrue(s.stdout.contains("documents    2\n"), s.stdout)
        XCTAssertTrue(s.stdout.contains(" terms from the corpus folder's .searchdocs/dictionary.txt\n"), s.stdout)
        // Another folder into the same index needs --rebuild.
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("other"), withIntermediateDirectories: true)
        let other = try run(["index", "other", "--index", "idx"], in: dir)
        XCTAssertEqual(other.status, 2)
        XCTAssertTrue(other.stderr.contains("--rebuild"), other.stderr)
    }

    /// `--dict FILE` is remembered: a later `searchdocs index` (from cron) keeps the dictionary
    /// instead of dropping its terms; `--forget-dict` goes back to the corpus folder's own.
    func testAGivenDictionaryIsRememberedUntilForgotten() throws {
        let dir = try seedFolder()
        try "青龙管业\n".write(to: dir.appendingPathComponent("names.txt"), atomically: true, encoding: .utf8)
        let first = try run(["index", "corpus", "--index", "idx", "--dict", "names.txt"], in: dir)
        XCTAssertEqual(first.status, 0, first.stderr)
        let names = dir.appendingPathComponent("names.txt").standardizedFileURL.path
        var stats = try run(["stats", "--index", "idx"], in: dir)
        XCTAssertTrue(stats.stdout.contains("dictionary   1 terms from \(names), given with --dict\n"), stats.stdout)
        let again = try run(["index", "--index", "idx"], in: dir)
        XCTAssertTrue(again.stdout.hasPrefix("+0 added, ~0 changed, -0 removed, 1 unchanged ("), again.stdout)
        XCTAssertFalse(again.stdout.contains("re-segmented"), again.stdout)
        let both = try run(["index", "--index", "idx", "--dict", "names.txt", "--forget-dict"], in: dir)
        XCTAssertNotEqual(both.status, 0)
        XCTAssertTrue(both.stderr.contains("--forget-dict"), both.stderr)
        let forgot = try run(["index", "--index", "idx", "--forget-dict"], in: dir)
        XCTAssertEqual(forgot.status, 0, forgot.stderr)
        XCTAssertTrue(forgot.stdout.contains("1 re-segmented for the dictionary"), forgot.stdout)
        stats = try run(["stats", "--index", "idx"], in: dir)
        XCTAssertTrue(stats.stdout.contains(" terms from the corpus folder's .searchdocs/dictionary.txt\n"), stats.stdout)
    }

    /// A page saved under two names is one hit; the other name is listed under it, and
    /// `--all-versions` lists both. (The seed and a copy of it would be versions: same 索引号.)
    func testACopyIsListedUnderItsOriginal() throws {
        let dir = try seedFolder()
        let corpus = dir.appendingPathComponent("corpus")
        for name in ["a-notice.txt", "b-notice-saved-again.txt"] {
            try "关于科技企业孵化器认定的通知\n\n推进科技企业孵化器建设。".write(to: corpus.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        XCTAssertEqual(try run(["index", "corpus", "--index", "idx"], in: dir).status, 0)
        let q = try run(["query", "孵化器", "--index", "idx"], in: dir)
        XCTAssertTrue(q.stdout.contains("   a-notice.txt  score "), q.stdout)
        XCTAssertTrue(q.stdout.contains("   same text: b-notice-saved-again.txt\n"), q.stdout)
        XCTAssertTrue(q.stdout.hasSuffix("3 documents match; showing 1–2\n"), q.stdout)
        let past = try run(["query", "孵化器", "--index", "idx", "--offset", "50"], in: dir)
        XCTAssertEqual(past.stdout, "3 documents match; none to show from 51 on\n")
        XCTAssertEqual(past.status, 0)
        let json = try run(["query", "孵化器", "--index", "idx", "--json"], in: dir)
        XCTAssertTrue(json.stdout.contains("\"copies\":[\"b-notice-saved-again.txt\"]"), json.stdout)
        let all = try run(["query", "孵化器", "--index", "idx", "--all-versions", "--json"], in: dir)
        XCTAssertEqual(all.stdout.split(separator: "\n").count, 3)
        // --stdin shows the same hits, and honours --all-versions the same way.
        let lines = try run(["query", "--stdin", "--index", "idx"], in: dir, input: "孵化器\n")
        XCTAssertTrue(lines.stdout.contains("\"copies\":[\"b-notice-saved-again.txt\"]"), lines.stdout)
        let allLines = try run(["query", "--stdin", "--index", "idx", "--all-versions"], in: dir, input: "孵化器\n")
        XCTAssertFalse(allLines.stdout.contains("\"copies\":[\""), allLines.stdout)
        XCTAssertTrue(allLines.stdout.contains("\"path\":\"b-notice-saved-again.txt\""), allLines.stdout)
    }

    /// `--stdin` answers every line with the filters, order and facets of the command line, as a
    /// single query does: the same hits in the same order, and the facets counted per line.
    func testStdinTakesFiltersOrderAndFacetsFromTheCommandLine() throws {
        let dir = try seedFolder()
        let corpus = dir.appendingPathComponent("corpus")
        let notices = [("a.txt", "民乐县农业农村局", "2023/5/6"), ("b.txt", "民乐县科技局", "2022/1/9"), ("c.txt", "民乐县科技局", "2024/3/5")]
        for (name, org, date) in notices {
            try "关于科技企业孵化器的通知\n【发布机构：\(org)】【发布日期：\(date)】\n推进科技企业孵化器建设，\(name)。"
                .write(to: corpus.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        XCTAssertEqual(try run(["index", "corpus", "--index", "idx"], in: dir).status, 0)
        let options = ["--org", "民乐县科技局", "--since", "2022-06", "--sort", "date", "--facet", "year"]
        let single = try run(["query", "孵化器", "--index", "idx", "--json"] + options, in: dir)
        XCTAssertEqual(single.status, 0, single.stderr)
        func paths(_ text: String) -> [String] {
            let parts = text.split(separator: "\"", omittingEmptySubsequences: false)
            return parts.indices.compactMap { i in i + 2 < parts.count && parts[i] == "path" ? String(parts[i + 2]) : nil }
        }
        XCTAssertEqual(paths(single.stdout), [Self.seedPath, "c.txt"], single.stdout)  // newest first
        let lines = try run(["query", "--stdin", "--index", "idx"] + options, in: dir, input: "孵化器\n推进\n")
        XCTAssertEqual(lines.status, 0, lines.stderr)
        let answers = lines.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(answers.count, 2)
        XCTAssertEqual(paths(answers[0]), [Self.seedPath, "c.txt"], answers[0])
        XCTAssertTrue(answers[0].contains("\"total\":2,"), answers[0])
        XCTAssertTrue(answers[0].hasSuffix(",\"facets\":{\"year\":[[\"2024\",2]]}}"), answers[0])
        XCTAssertEqual(paths(answers[1]), [Self.seedPath, "c.txt"], answers[1])
        // Without facets asked, no facets field.
        let plain = try run(["query", "--stdin", "--index", "idx"], in: dir, input: "孵化器\n")
        XCTAssertFalse(plain.stdout.contains("\"facets\""), plain.stdout)
    }
}
