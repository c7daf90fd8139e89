import Foundation
import XCTest

@testable import SearchDocs
import TestSupport

final class QueryParserTests: XCTestCase {
    private let parser = QueryParser()

    private func t(_ text: String) -> QueryNode { .text(text, quoted: false) }
    private func phrase(_ text: String) -> QueryNode { .text(text, quoted: true) }
    private func field(_ name: String, _ value: String, quoted: Bool = false) -> QueryNode {
        .field(name: name, value: value, quoted: quoted)
    }

    // MARK: - Accepted queries

    func testAcceptedQueries() throws {
        let cases: [(input: String, expected: QueryNode, line: UInt)] = [
            // Parts and whitespace.
            ("中国", t("中国"), #line),
            ("中国 科学院", .and([t("中国"), t("科学院")]), #line),
            ("中国\u{3000}科学院", .and([t("中国"), t("科学院")]), #line),
            ("  中国\t科学院\n", .and([t("中国"), t("科学院")]), #line),
            ("中国\u{00A0}科学院", .and([t("中国"), t("科学院")]), #line),
            // Quotes: only ASCII U+0022 is syntax.
            ("\"中国 科学院\"", phrase("中国 科学院"), #line),
            ("a \"b  c\" d", .and([t("a"), phrase("b  c"), t("d")]), #line),
            ("＂中国＂", t("＂中国＂"), #line),
            ("“中国 科学院”", .and([t("“中国"), t("科学院”")]), #line),
            ("‘a’", t("‘a’"), #line),
            ("\"中国\"科学院", .and([phrase("中国"), t("科学院")]), #line),
            ("\"a (b) OR -c\"", phrase("a (b) OR -c"), #line),
            // A quote inside a word is text.
            ("abc\"def\"", t("abc\"def\""), #line),
            ("abc\"def", t("abc\"def"), #line),
            ("HBO在1992年于新加坡\"SCV\" 正式启播", .and([t("HBO在1992年于新加坡\"SCV\""), t("正式启播")]), #line),
            ("江西“抗疫担保贷\"产品", t("江西“抗疫担保贷\"产品"), #line),
            // OR.
            ("a OR b", .or([t("a"), t("b")]), #line),
            ("a OR b OR c", .or([t("a"), t("b"), t("c")]), #line),
            ("a b OR c d", .and([t("a"), .or([t("b"), t("c")]), t("d")]), #line),
            ("中国 OR 美国", .or([t("中国"), t("美国")]), #line),
            ("a\u{3000}OR\u{3000}b", .or([t("a"), t("b")]), #line),
            ("a or b", .and([t("a"), t("or"), t("b")]), #line),
            ("a Or b", .and([t("a"), t("Or"), t("b")]), #line),
            ("ORACLE", t("ORACLE"), #line),
            ("\"a\" OR \"b c\"", .or([phrase("a"), phrase("b c")]), #line),
            // Grouping.
            ("(a OR b) c", .and([.or([t("a"), t("b")]), t("c")]), #line),
            ("(a OR b) OR c", .or([t("a"), t("b"), t("c")]), #line),
            ("a OR (b OR c)", .or([t("a"), t("b"), t("c")]), #line),
            ("(a b) c", .and([t("a"), t("b"), t("c")]), #line),
            ("(a b) OR c", .or([.and([t("a"), t("b")]), t("c")]), #line),
            ("((a))", t("a"), #line),
            ("(a)(b)", .and([t("a"), t("b")]), #line),
            ("(\"a b\")", phrase("a b"), #line),
            ("(a OR b)(c OR d)", .and([.or([t("a"), t("b")]), .or([t("c"), t("d")])]), #line),
            // Parentheses inside a word are text.
            ("f(x)", t("f(x)"), #line),
            ("(2020)", t("2020"), #line),
            ("(f(x) OR g)", .or([t("f(x)"), t("g")]), #line),
            ("香港 (合辑)主要表达了什么？", .and([t("香港"), t("合辑"), t("主要表达了什么？")]), #line),
            ("rotor city(旋翼之都) ？", .and([t("rotor"), t("city(旋翼之都)"), t("？")]), #line),
            ("村(社区)防控", t("村(社区)防控"), #line),
            ("a)", t("a)"), #line),
            ("1) 第一", .and([t("1)"), t("第一")]), #line),
            ("（中国）", t("（中国）"), #line),
            // Exclusion.
            ("a -b", .and([t("a"), .not(t("b"))]), #line),
            ("-a b", .and([.not(t("a")), t("b")]), #line),
            ("a NOT b", .and([t("a"), .not(t("b"))]), #line),
            ("a -(b OR c)", .and([t("a"), .not(.or([t("b"), t("c")]))]), #line),
            ("a -(b c)", .and([t("a"), .not(.and([t("b"), t("c")]))]), #line),
            ("a -\"b c\"", .and([t("a"), .not(phrase("b c"))]), #line),
            ("a -title:x", .and([t("a"), .not(field("title", "x"))]), #line),
            ("a (-b)", .and([t("a"), .not(t("b"))]), #line),
            // A group ANDed into a sequence is transparent: this is `a -b -c`.
            ("a (-b -c)", .and([t("a"), .not(t("b")), .not(t("c"))]), #line),
            ("a OR b -c", .and([.or([t("a"), t("b")]), .not(t("c"))]), #line),
            ("a -(-b c)", .and([t("a"), .not(.and([.not(t("b")), t("c")]))]), #line),
            ("-OR a", .and([.not(t("OR")), t("a")]), #line),
            ("a not b", .and([t("a"), t("not"), t("b")]), #line),
            // Hyphens that are text.
            ("2020-2021", t("2020-2021"), #line),
            ("COVID-19", t("COVID-19"), #line),
            ("a - b", .and([t("a"), t("-"), t("b")]), #line),
            ("a-", t("a-"), #line),
            ("－a b", .and([t("－a"), t("b")]), #line),
            // Fields.
            ("title:新冠", field("title", "新冠"), #line),
            ("title:\"新冠 疫情\"", field("title", "新冠 疫情", quoted: true), #line),
            ("title:\"a b\"c", .and([field("title", "a b", quoted: true), t("c")]), #line),
            ("org:卫健委 date:2020-01-01", .and([field("org", "卫健委"), field("date", "2020-01-01")]), #line),
            ("id:42", field("id", "42"), #line),
            ("title:a:b", field("title", "a:b"), #line),
            ("title:OR", field("title", "OR"), #line),
            ("(title:x OR org:y)", .or([field("title", "x"), field("org", "y")]), #line),
            ("(title:f(x))", field("title", "f(x)"), #line),
            ("Title:x", t("Title:x"), #line),
            ("author:x", t("author:x"), #line),
            ("title：新冠", t("title：新冠"), #line),
            ("http://example.org", t("http://example.org"), #line),
            ("12:30", t("12:30"), #line),
            (":title", t(":title"), #line),
        ]
        for (input, expected, line) in cases {
            do {
                let parsed = try parser.parse(input)
                XCTAssertEqual(parsed, expected, "parse(\(input.debugDescription))", line: line)
            } catch {
                XCTFail("parse(\(input.debugDescription)) threw \(error)", line: line)
            }
        }
    }

    func testCustomKnownFields() throws {
        let parser = QueryParser(knownFields: ["author"])
        XCTAssertEqual(
            try parser.parse("author:鲁迅 title:x"),
            .and([field("author", "鲁迅"), t("title:x")]))
    }

    func testLiteralNeverInterpretsSyntax() {
        for input in ["a OR b", "-a", "\"unbalanced", "(", "", "title:", "  空格  "] {
            XCTAssertEqual(parser.literal(input), .text(input, quoted: false))
        }
    }

    // MARK: - Rejected queries

    func testRejectedQueries() {
        let emptyQuery = "empty query"
        let quote = "unbalanced quote"
        let paren = "unbalanced parenthesis"
        let dangling = "OR needs a query part on both sides"
        let onlyExcluded = "a query needs at least one part that is not excluded"
        let cases: [(input: String, message: String, column: Int, line: UInt)] = [
            ("", emptyQuery, 0, #line),
            ("   ", emptyQuery, 0, #line),
            ("\u{3000}\t\n", emptyQuery, 0, #line),
            // Quotes.
            ("中国 \"科学院", quote, 3, #line),
            ("\"a\" \"b", quote, 4, #line),
            ("\"", quote, 0, #line),
            ("a \"b\" \"c d", quote, 6, #line),
            ("\"\"", "empty quoted phrase", 0, #line),
            ("a \" \"", "empty quoted phrase", 2, #line),
            // Parentheses.
            ("(a OR b", paren, 0, #line),
            ("a (b (c)", paren, 2, #line),
            ("(a))", paren, 3, #line),
            (") a", paren, 0, #line),
            ("a OR b )", paren, 7, #line),
            ("a OR (b", paren, 5, #line),
            ("()", "empty group", 0, #line),
            ("a ( )", "empty group", 2, #line),
            ("a OR ()", "empty group", 5, #line),
            // Dangling OR.
            ("OR a", dangling, 0, #line),
            ("a OR", dangling, 2, #line),
            ("a OR ", dangling, 2, #line),
            ("OR", dangling, 0, #line),
            ("a OR OR b", dangling, 2, #line),
            ("(OR a)", dangling, 1, #line),
            ("(a OR)", dangling, 3, #line),
            ("a (b) OR", dangling, 6, #line),
            // NOT and - with nothing after them.
            ("a -", "- needs a query part after it", 2, #line),
            ("a - ", "- needs a query part after it", 2, #line),
            ("-", "- needs a query part after it", 0, #line),
            ("a NOT", "NOT needs a query part after it", 2, #line),
            ("(a -)", "- needs a query part after it", 3, #line),
            ("(a - )", "- needs a query part after it", 3, #line),
            ("(a NOT)", "NOT needs a query part after it", 3, #line),
            ("a NOT OR b", "NOT needs a query part after it", 2, #line),
            // Fields.
            ("title:", "field title: needs a value", 5, #line),
            ("title: 新冠", "field title: needs a value", 5, #line),
            ("a title:\"\"", "field title: needs a value", 8, #line),
            ("(title:)", "field title: needs a value", 6, #line),
            ("title:\"a", quote, 6, #line),
            ("title:(a b)", "a field value cannot be a group; put it in quotes", 6, #line),
            // Only excluded parts.
            ("-a", onlyExcluded, 0, #line),
            ("NOT a", onlyExcluded, 0, #line),
            ("-a -b", onlyExcluded, 0, #line),
            ("(-a) (-b)", onlyExcluded, 1, #line),
            ("-(a OR b)", onlyExcluded, 0, #line),
            ("(-b -c)", onlyExcluded, 1, #line),
            ("a OR -b", "each side of OR needs a part that is not excluded", 5, #line),
            ("NOT a OR b", "each side of OR needs a part that is not excluded", 0, #line),
            ("a -(-b)", "a part cannot be excluded twice", 4, #line),
            ("a --b", "a part cannot be excluded twice", 3, #line),
            (String(repeating: "(", count: 200) + "a" + String(repeating: ")", count: 200),
             "query nested too deeply (more than 100 levels)", 100, #line),
        ]
        for (input, message, column, line) in cases {
            do {
                let parsed = try parser.parse(input)
                XCTFail("parse(\(input.debugDescription)) = \(parsed), expected an error", line: line)
            } catch {
                XCTAssertEqual(error.message, message, "parse(\(input.debugDescription))", line: line)
                XCTAssertEqual(error.column, column, "parse(\(input.debugDescription))", line: line)
                XCTAssertEqual(error.query, input, line: line)
            }
        }
    }

    // MARK: - Caret diagrams

    func testCaretDiagrams() {
        let cases: [(input: String, diagram: String, line: UInt)] = [
            // 中 and 国 are 2 columns each, the space 1: the quote is at display column 5.
            ("中国 \"科学院", "中国 \"科学院\n     ^", #line),
            ("a \"b", "a \"b\n  ^", #line),
            // Full-width brackets are wide too.
            ("（中国） OR", "（中国） OR\n         ^", #line),
            // U+3000 ideographic space is fullwidth.
            ("中\u{3000}OR", "中\u{3000}OR\n    ^", #line),
            // A lone combining mark takes no column; é (e + U+0301) takes one.
            ("\u{301}a OR", "\u{301}a OR\n  ^", #line),
            ("cafe\u{301} OR", "cafe\u{301} OR\n     ^", #line),
            // Emoji are wide, including text-default ones with U+FE0F.
            ("😀 OR", "😀 OR\n   ^", #line),
            ("❤\u{FE0F} OR", "❤\u{FE0F} OR\n   ^", #line),
            ("🇨🇳 OR", "🇨🇳 OR\n   ^", #line),
            // Half-width katakana are narrow.
            ("ｶﾀ OR", "ｶﾀ OR\n   ^", #line),
            // Control characters are shown as one space.
            ("a\tOR", "a OR\n  ^", #line),
            ("a\nOR", "a OR\n  ^", #line),
            ("", "\n^", #line),
        ]
        for (input, diagram, line) in cases {
            do {
                _ = try parser.parse(input)
                XCTFail("parse(\(input.debugDescription)) should fail", line: line)
            } catch {
                XCTAssertEqual(error.caretDiagram(), diagram, "parse(\(input.debugDescription))", line: line)
            }
        }
    }

    func testDescription() {
        do {
            _ = try parser.parse("中国 \"科学院")
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual(
                error.description,
                "query syntax error at character 3: unbalanced quote\n中国 \"科学院\n     ^")
        }
    }

    // MARK: - Fuzzing

    func testRandomQueriesNeverCrash() {
        // A fixed seed keeps runs reproducible; set QUERY_FUZZ_SEED to explore other inputs.
        let seed = ProcessInfo.processInfo.environment["QUERY_FUZZ_SEED"].flatMap { UInt64($0) }
            ?? 20_240_601
        print("QueryParser fuzz seed: \(seed) (rerun with QUERY_FUZZ_SEED=\(seed))")
        var random = SplitMix64(seed: seed)
        let fragments: [String] = [
            "中", "国", "科学", "院", "疫情", "防控", "a", "b", "Z", "x1", "0", "2020", "19",
            " ", " ", " ", "\u{3000}", "\t", "\n",
            "\"", "\"", "-", "-", "(", "(", ")", ")", "OR", "OR", "NOT", "title:", "org:", "date:", "url:",
            ":", "：", "（", "）", "＂", "“", "”", "，", "。", "？", "－", "\u{301}", "😀", "❤\u{FE0F}",
        ]
        var accepted = 0
        var rejected = 0
        for _ in 0..<10_000 {
            var input = ""
            for _ in 0..<random.next(16) {
                input += fragments[random.next(fragments.count)]
            }
            do {
                let node = try parser.parse(input)
                accepted += 1
                assertCanonical(node, root: true, input: input)
            } catch {
                rejected += 1
                let count = input.count
                XCTAssertTrue(
                    error.column >= 0 && (error.column < count || (count == 0 && error.column == 0)),
                    "column \(error.column) out of range for \(input.debugDescription): \(error.message)")
                let lines = error.caretDiagram().split(separator: "\n", omittingEmptySubsequences: false)
                XCTAssertEqual(lines.count, 2, "diagram of \(input.debugDescription)")
                XCTAssertTrue(error.description.hasPrefix("query syntax error at character \(error.column): "))
            }
        }
        print("QueryParser fuzz: \(accepted) accepted, \(rejected) rejected")
    }

    /// Checks the shape promised by `QueryNode`: no empty text, no one-element or nested
    /// same-kind `and`/`or`, no double exclusion, no OR with an excluded side.
    private func assertCanonical(_ node: QueryNode, root: Bool, input: String) {
        switch node {
        case .text(let text, _):
            XCTAssertFalse(text.isEmpty, "empty text in \(input.debugDescription)")
        case .field(_, let value, _):
            XCTAssertFalse(value.isEmpty, "empty field value in \(input.debugDescription)")
        case .and(let children):
            XCTAssertGreaterThanOrEqual(children.count, 2, input.debugDescription)
            XCTAssertTrue(children.contains { if case .not = $0 { false } else { true } }, input.debugDescription)
            for child in children {
                if case .and = child { XCTFail("and inside and: \(input.debugDescription)") }
                assertCanonical(child, root: false, input: input)
            }
        case .or(let children):
            XCTAssertGreaterThanOrEqual(children.count, 2, input.debugDescription)
            for child in children {
                if case .or = child { XCTFail("or inside or: \(input.debugDescription)") }
                if case .not = child { XCTFail("excluded OR side: \(input.debugDescription)") }
                assertCanonical(child, root: false, input: input)
            }
        case .not(let child):
            XCTAssertFalse(root, "excluded root: \(input.debugDescription)")
            if case .not = child { XCTFail("double exclusion: \(input.debugDescription)") }
            assertCanonical(child, root: false, input: input)
        }
    }

    // MARK: - Real questions

    func testRealQuestions() throws {
        let files = ["eval/ncpqa/queries.dev.tsv", "eval/cmrc2018/queries.dev.tsv"]
        var urls: [String: URL] = [:]
        for file in files {
            guard let url = try SharedData.require(file) else { return }
            urls[file] = url
        }
        for file in files {
            let contents = try String(contentsOf: urls[file]!, encoding: .utf8)
            var questions = 0
            var pureText = 0
            var withSyntax = 0
            var rejected: [String: Int] = [:]
            for line in contents.split(separator: "\n") {
                guard let tab = line.firstIndex(of: "\t") else { continue }
                let question = String(line[line.index(after: tab)...])
                questions += 1
                XCTAssertEqual(parser.literal(question), .text(question, quoted: false))
                do {
                    let node = try parser.parse(question)
                    if isPureText(node) { pureText += 1 } else { withSyntax += 1 }
                } catch {
                    rejected[error.message, default: 0] += 1
                    XCTAssertTrue(error.column >= 0 && error.column < question.count, question)
                }
            }
            XCTAssertGreaterThan(questions, 0, file)
            let reasons = rejected.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
            print(
                "\(file): \(questions) questions; parse accepts \(pureText) as pure text, "
                    + "\(withSyntax) with query syntax, rejects \(rejected.values.reduce(0, +))"
                    + (reasons.isEmpty ? "" : " (\(reasons.joined(separator: ", ")))"))
        }
    }

    /// Whether `node` is unquoted text, or an AND of unquoted text only.
    private func isPureText(_ node: QueryNode) -> Bool {
        switch node {
        case .text(_, let quoted): return !quoted
        case .and(let children): return children.allSatisfy(isPureText)
        default: return false
        }
    }
}
