import XCTest
@testable import SearchDocs
import TestSupport

/// Golden tables for the analyzer (ICU 72 word break, NFKC_Casefold, match text).
final class AnalyzerTests: XCTestCase {
    func testSeedSentencesSegmentAsICUDoes() throws {
        let golden: [(String, String)] = [
            ("民乐县科学技术局2024年度上半年工作总结", "民乐/县/科学/技术/局/2024/年度/上半年/工作/总结"),
            ("组织科技特派员开展科技惠农服务指导培训群众1万人次", "组织/科技/特派/员/开展/科技/惠/农/服务/指导/培训/群众/1/万人/次"),
            ("滨河食品集团与中国科学院兰州化物所", "滨/河/食品/集团/与/中国/科/学院/兰州/化物/所"),
            ("青龙管业被认定为张掖市节水灌溉工程技术研究应用创新联合体", "青龙/管/业/被/认定/为/张掖/市/节水/灌溉/工程/技术/研究/应用/创新/联合/体"),
            ("鼎信陇源被认定为市级科技企业孵化器", "鼎/信/陇/源/被/认定/为/市/级/科技/企业/孵化器"),
        ]
        for (text, words) in golden {
            let a = try Analysis.of(text)
            XCTAssertEqual(a.tokens.map(\.term).joined(separator: "/"), words, text)
            // Offsets point at the original characters.
            let scalars = Array(text.unicodeScalars)
            for t in a.tokens {
                XCTAssertEqual(String(String.UnicodeScalarView(scalars[t.start..<t.end])), t.original)
            }
            XCTAssertEqual(a.tokens.map(\.position), Array(0..<a.tokens.count))
        }
    }

    func testKindsAndPunctuation() throws {
        let a = try Analysis.of("2024年，5G网络！")
        XCTAssertEqual(a.tokens.map { "\($0.term):\($0.kind.rawValue)" },
                       ["2024:number", "年:ideographic", ",:punctuation", "5g:letter", "网络:ideographic", "!:punctuation"])
    }

    func testNormalizationFoldsWidthCaseAndInvisibles() {
        XCTAssertEqual(TextNormalizer.matchString(of: "ＰＭ２.５"), TextNormalizer.matchString(of: "PM2.5"))
        XCTAssertEqual(TextNormalizer.matchString(of: "２０２４年"), "\u{1}2024\u{1}年")
        XCTAssertEqual(TextNormalizer.matchString(of: "科技\u{200B}特派员"), "科技特派员")
        XCTAssertEqual(TextNormalizer.matchString(of: "AI"), "\u{1}ai\u{1}")
        XCTAssertEqual(TextNormalizer.matchString(of: "㎡"), "\u{1}m2\u{1}")
    }

    func testWhiteSpaceRules() {
        // Line breaks inside Chinese text are layout; between Latin words they are one space.
        XCTAssertEqual(TextNormalizer.matchString(of: "中国\n  科学院"), "中国科学院")
        XCTAssertEqual(TextNormalizer.matchString(of: "new\n\nyork"), "\u{1}new\u{1} \u{1}york\u{1}")
        XCTAssertEqual(TextNormalizer.matchString(of: "2024 年"), "\u{1}2024\u{1}年")
        XCTAssertEqual(TextNormalizer.matchString(of: "  前后  "), "前后")
    }

    func testOffsetsMapExpansionsToTheWholeOriginalCharacter() {
        var n = TextNormalizer()
        var state = MatchTextState()
        let units = Array("面积5㎡".utf16)
        units.withUnsafeBufferPointer { n.normalize($0, state: &state) }
        n.finish(state: &state)
        // 面 积 ⟨b⟩ 5 m 2 ⟨b⟩: m and 2 both come from ㎡ (UTF-16 offset 3).
        XCTAssertEqual(n.scalars, [0x9762, 0x79EF, 1, 0x35, 0x6D, 0x32, 1])
        XCTAssertEqual(n.originalStart[4], 3)
        XCTAssertEqual(n.originalEnd[5], 4)
    }

    func testChunkedNormalizationEqualsWholeText() throws {
        // Chunk edges must not change match text: compare whole-text and chunked analysis.
        var text = ""
        var rng = SplitMix64(seed: 7)
        let pieces = ["中国科学院", "5G", " ", "\n", "。", "PM2.5", "ＡＢＣ", "abc", "，", "2024年", "  ", "㎡"]
        for _ in 0..<3000 { text += pieces[rng.next(pieces.count)] }
        let whole = TextNormalizer.matchScalars(of: text)
        let analyzer = try DocumentAnalyzer()
        var chunked: [UInt32] = []
        var chunks = 0
        let units = Array(text.utf16)
        units.withUnsafeBufferPointer { buf in
            analyzer.analyze(buf, chunkTarget: 64) { chunk in
                XCTAssertEqual(chunk.matchStart, chunked.count)
                chunked += chunk.normalizer.scalars
                chunks += 1
            }
        }
        XCTAssertGreaterThan(chunks, 20)
        XCTAssertEqual(chunked, whole)
    }
}
