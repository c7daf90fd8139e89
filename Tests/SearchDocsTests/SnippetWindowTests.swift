import XCTest
@testable import SearchDocs
import TestSupport

/// Snippets normalize only the text around the hits of exact parts (``SnippetBuilder/windowed(_:needles:hints:)``):
/// on random texts with everything normalization changes (traditional characters, full-width
/// forms, letters and digits, white space, combining marks, characters outside the BMP), the
/// occurrences found that way are those found by normalizing the whole text. And a question
/// whose words are nowhere near its best passage highlights its character pairs there.
final class SnippetWindowTests: XCTestCase {
    private static let pieces: [String] = [
        "科技特派员", "科技特派員", "服务", "服務", "企业", "孵化器", "的", "和", "在", "兰州", "集团",
        "2024", "PM2.5", "ＰＭ２.５", "２０２４", "GDP", "abc", " ", "  ", "\n", "，", "。", "、", "：",
        "e\u{301}", "Ａ", "𠀀", "\u{F900}", "（一）", "㈠", "第一条", "人民政府", "规定",
    ]

    func testWindowedOccurrencesEqualWholeNormalization() {
        var rng = SplitMix64(seed: 0x5EED_2026)
        var windowedCases = 0, cases = 0
        for _ in 0..<400 {
            // A text of 1–3 blocks, each ending at a sentence end as the index cuts them.
            var blockTexts: [String] = []
            for _ in 0..<(1 + rng.next(3)) {
                var t = ""
                for _ in 0..<(20 + rng.next(400)) { t += Self.pieces[rng.next(Self.pieces.count)] }
                blockTexts.append(t + "。")
            }
            // Normalized block by block, the state carried over, as the index stores them.
            var blocks = SnippetBuilder.Blocks()
            var scalars: [UInt32] = []
            var state = MatchTextState()
            var nz = TextNormalizer()
            for (k, t) in blockTexts.enumerated() {
                if k == 0 { blocks.state = state }
                blocks.unitStarts.append(blocks.units.count)
                blocks.matchStarts.append(scalars.count)
                let u = Array(t.utf16)
                blocks.units += u
                u.withUnsafeBufferPointer { nz.normalize($0, state: &state) }
                if k == blockTexts.count - 1 { nz.finish(state: &state) }
                scalars += nz.scalars
            }
            blocks.unitStarts.append(blocks.units.count)
            blocks.matchStarts.append(scalars.count)
            blocks.atDocumentEnd = true
            // Needles taken from the match text (so they occur), and the positions of all their
            // occurrences (what the index gives as hints).
            var needles: [[UInt32]] = []
            for _ in 0..<(1 + rng.next(3)) {
                let n = 2 + rng.next(4)
                guard scalars.count > n else { continue }
                let at = rng.next(scalars.count - n)
                needles.append(Array(scalars[at..<(at + n)]))
            }
            var hints: [Int32] = []
            for needle in needles {
                var i = 0
                while i + needle.count <= scalars.count {
                    if scalars[i..<(i + needle.count)].elementsEqual(needle) { hints.append(Int32(i)) }
                    i += 1
                }
            }
            hints.sort()
            var whole = TextNormalizer()
            var s = blocks.state
            blocks.units.withUnsafeBufferPointer { whole.normalize($0, state: &s) }
            whole.finish(state: &s)
            let expected = SnippetBuilder.occurrences(of: needles, in: whole)
            cases += 1
            if let got = SnippetBuilder.windowed(blocks, needles: needles, hints: hints) {
                windowedCases += 1
                XCTAssertEqual(got, expected, "needles \(needles) in \(blockTexts)")
            }
        }
        // The windows must be what most cases use, or this test checks little.
        XCTAssertGreaterThan(windowedCases, cases / 3, "\(windowedCases) of \(cases) cases windowed")
    }

    func testWindowsGiveUpWhenNoCleanEdgeIsNearAHit() {
        // Chinese at both ends, a long stretch of Latin text with one hit in its middle: the
        // nearest edges between two CJK characters are some 700 units away. The stretch gives
        // up (the block is normalized whole) instead of walking that far for the hit, which on
        // Latin text with many hits cost more than normalizing.
        let chinese = String(repeating: "政府信息公开工作年度报告。", count: 15)
        let latin = String(repeating: "the cat and the dog ", count: 35)
        let text = chinese + latin + "annual report " + latin + chinese
        var blocks = SnippetBuilder.Blocks()
        blocks.units = Array(text.utf16)
        blocks.unitStarts = [0, blocks.units.count]
        var state = MatchTextState()
        var nz = TextNormalizer()
        blocks.units.withUnsafeBufferPointer { nz.normalize($0, state: &state) }
        nz.finish(state: &state)
        blocks.matchStarts = [0, nz.scalars.count]
        blocks.atDocumentEnd = true
        let needle = TextNormalizer.matchScalars(of: "report")
        var hints: [Int32] = []
        for i in 0...(nz.scalars.count - needle.count) where nz.scalars[i..<(i + needle.count)].elementsEqual(needle) {
            hints.append(Int32(i))
        }
        XCTAssertEqual(hints.count, 1)
        XCTAssertNil(SnippetBuilder.windowed(blocks, needles: [needle], hints: hints))
        XCTAssertEqual(SnippetBuilder.occurrences(of: [needle], in: nz).count, 1)
    }

    func testQuestionWithoutItsWordsHighlightsPairsAtThePassage() throws {
        let folder = try TemporaryFolder(prefix: "snippet-pairs")
        defer { folder.remove() }
        let index = try TestCorpus.small([
            "decree": "第一条 为了加强管理，制定本条例。第二条 本条例自1993年1月1日起施行。",
            "other": "第一条 本办法自2001年起施行。",
        ], in: folder)
        // 993年 is in no document exactly (1993 is one run of digits), so it is ranked by its
        // words and pairs; its word 993 occurs nowhere.
        let results = try index.search("993年")
        let hit = try XCTUnwrap(results.hits.first { $0.path == "decree" })
        XCTAssertEqual(hit.match, .words)
        let snippet = try XCTUnwrap(hit.snippets.first, "no snippet")
        XCTAssertEqual(snippet.highlights.map { String(snippet.text[$0.range]) }, ["993"], snippet.text)
    }

    func testSingleCharacterSnippetsJoinTheNextBlockWhenOneHoldsTooFew() throws {
        let folder = try TemporaryFolder(prefix: "snippet-blocks")
        defer { folder.remove() }
        // About 4,800 characters in sentences: two text blocks or more. 鑫 (in no filler
        // sentence) once in the first block and once in the second.
        var sentences = Array(repeating: "这是一个用来填充文本的普通句子。", count: 300)
        sentences[20] = "第一处出现鑫字的句子。"
        sentences[200] = "第二处出现鑫字的句子。"
        let index = try TestCorpus.small(["long": sentences.joined()], in: folder)
        let segment = try XCTUnwrap(index.segments.first)
        XCTAssertGreaterThanOrEqual(try segment.reader.doc(0).blockCount, 2)
        let starts = try (0..<Int(try segment.reader.doc(0).blockCount)).map { try segment.reader.blockMatchStart($0) }
        XCTAssertGreaterThan(starts[1], 20 * 16, "the first 鑫 is not in the first block")
        XCTAssertLessThanOrEqual(starts[1], 200 * 16, "the second 鑫 is not after the first block")
        XCTAssertTrue(starts.count < 3 || starts[2] > 200 * 16, "the second 鑫 is not in the second block")
        let hit = try XCTUnwrap(index.search("鑫").hits.first)
        XCTAssertEqual(hit.snippets.count, 2)
        for snippet in hit.snippets {
            XCTAssertEqual(snippet.highlights.map { String(snippet.text[$0.range]) }, ["鑫"], snippet.text)
            XCTAssertTrue(snippet.text.contains("处出现鑫字"), snippet.text)
        }
    }
}
