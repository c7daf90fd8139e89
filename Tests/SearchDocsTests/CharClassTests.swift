import CICUShim
import TestSupport
import XCTest
@testable import SearchDocs

/// The generated class table of the Basic Multilingual Plane agrees with ICU.
final class CharClassTests: XCTestCase {
    func testTheGeneratedTableMatchesICUForTheWholeBMP() {
        var differences: [String] = []
        for c in UInt32(0)..<0x10000 {
            let expected = UInt8(truncatingIfNeeded: sd_char_class(c))
            if CharClass.of(c).rawValue != expected {
                differences.append(String(format: "U+%04X: table %d, ICU %d", c, CharClass.of(c).rawValue, expected))
            }
        }
        XCTAssertTrue(differences.isEmpty, "regenerate Sources/CICUShim/CharClassTable.c (Scripts/generate-char-class-table.c): "
            + differences.prefix(10).joined(separator: "; ") + " (\(differences.count) in all)")
    }

    /// The class without the normalization bits.
    private func script(_ c: UInt32) -> CharClass { CharClass.of(c).subtracting([.nfkcBoundary, .nfkcInert]) }

    func testClassesOfSomeCharacters() {
        XCTAssertEqual(script(0x5B75), .cjk)  // 孵
        XCTAssertEqual(script(0x3002), [.cjk, .sentenceEnd])  // 。
        XCTAssertEqual(script(0x41), .alnum)
        XCTAssertEqual(script(0x3000), .whitespace)  // ideographic space
        XCTAssertEqual(script(0x20000), .cjk)  // outside the BMP: through ICU
    }

    func testNormalizationBitsOfSomeCharacters() {
        XCTAssertTrue(CharClass.of(0x5B75).isSuperset(of: [.nfkcBoundary, .nfkcInert]))  // 孵
        XCTAssertTrue(CharClass.of(0x3001).isSuperset(of: [.nfkcBoundary, .nfkcInert]))  // 、
        XCTAssertEqual(CharClass.of(0xFF0C).intersection([.nfkcBoundary, .nfkcInert]), .nfkcBoundary)  // ， becomes ,
        XCTAssertFalse(CharClass.of(0x0301).contains(.nfkcBoundary))  // a combining acute accent
        XCTAssertFalse(CharClass.of(0xFF9E).contains(.nfkcBoundary))  // ﾞ composes with the kana before it
        XCTAssertFalse(CharClass.of(0xD800).contains(.nfkcBoundary))  // a surrogate: never
    }
}

/// sd_nfkc_cf copies unified Han characters without asking ICU when the next one is ASCII or
/// unified Han too; ICU itself must find each of them inert, with a boundary before it.
final class UnifiedHanNormalizationTests: XCTestCase {
    func testICUFindsEveryUnifiedHanCharacterInert() {
        // Each character is followed by 、 (U+3001), which sends it through ICU.
        let han = Array(UInt16(0x3400)...UInt16(0x4DBF)) + Array(UInt16(0x4E00)...UInt16(0x9FFF))
        var src: [UInt16] = []
        for c in han { src.append(c); src.append(0x3001) }
        var dst = [UInt16](repeating: 0, count: src.count * 2)
        var starts = [Int32](repeating: 0, count: dst.count), ends = [Int32](repeating: 0, count: dst.count)
        let n = sd_nfkc_cf(src, Int32(src.count), &dst, Int32(dst.count), &starts, &ends)
        var expected: [UInt16] = [], expectedStarts: [Int32] = [], expectedEnds: [Int32] = []
        for (k, c) in han.enumerated() {
            let f = Unicode.Scalar(sd_fold_traditional(UInt32(c)))!
            for unit in String(f).utf16 {
                expected.append(unit); expectedStarts.append(Int32(2 * k)); expectedEnds.append(Int32(2 * k + 1))
            }
            expected.append(0x3001); expectedStarts.append(Int32(2 * k + 1)); expectedEnds.append(Int32(2 * k + 2))
        }
        XCTAssertEqual(Int(n), expected.count)
        guard Int(n) == expected.count else { return }
        XCTAssertEqual(Array(dst[..<Int(n)]), expected)
        XCTAssertEqual(Array(starts[..<Int(n)]), expectedStarts)
        XCTAssertEqual(Array(ends[..<Int(n)]), expectedEnds)
    }

    func testHanNextToASCIIAndHanTakesTheQuickCopy() {
        // 國 folds to 国; the quick copy and ICU's path give the same units and offsets.
        let src = Array("a國b学習、國".utf16)
        var dst = [UInt16](repeating: 0, count: 32)
        var starts = [Int32](repeating: 0, count: 32), ends = [Int32](repeating: 0, count: 32)
        let n = Int(sd_nfkc_cf(src, Int32(src.count), &dst, 32, &starts, &ends))
        XCTAssertEqual(String(decoding: dst[..<n], as: UTF16.self), "a国b学习、国")
        XCTAssertEqual(Array(starts[..<n]), [0, 1, 2, 3, 4, 5, 6])
        XCTAssertEqual(Array(ends[..<n]), [1, 2, 3, 4, 5, 6, 7])
    }
}

/// sd_nfkc_cf normalizes segment by segment and copies what ICU would leave alone without asking
/// it; its output must be what ICU gives for the whole text in one call (then folded).
final class NormalizationOracleTests: XCTestCase {
    private func check(_ text: [UInt16], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let cap = text.count * 4 + 16
        var dst = [UInt16](repeating: 0, count: cap), expected = [UInt16](repeating: 0, count: cap)
        var starts = [Int32](repeating: 0, count: cap), ends = [Int32](repeating: 0, count: cap)
        let n = Int(sd_nfkc_cf(text, Int32(text.count), &dst, Int32(cap), &starts, &ends))
        let m = Int(sd_nfkc_cf_whole(text, Int32(text.count), &expected, Int32(cap)))
        XCTAssertGreaterThanOrEqual(n, 0, what, file: file, line: line)
        guard n >= 0, m >= 0 else { return }
        XCTAssertEqual(Array(dst[..<n]), Array(expected[..<m]), what, file: file, line: line)
        // Each unit comes from an original range that never goes backwards.
        for k in 0..<n where k > 0 {
            if starts[k] < starts[k - 1] || ends[k] < starts[k] { XCTFail("\(what): map out of order at \(k)", file: file, line: line); return }
        }
    }

    func testRandomMixesOfTrickyCharacters() {
        // Han (simplified and traditional), CJK and full-width punctuation, full-width letters and
        // digits, half-width katakana with the voiced marks that compose with them, combining
        // marks, Hangul jamo, ligatures, ideographic space, characters outside the BMP, ASCII.
        let pool: [UInt32] = [0x5B75, 0x570B, 0x5B78, 0x7FD2, 0x3001, 0x3002, 0xFF0C, 0xFF1A, 0x201C, 0x201D, 0x3000,
                              0xFF21, 0xFF41, 0xFF10, 0xFF19, 0xFF05, 0xFF5E, 0xFF76, 0xFF9E, 0xFF9F, 0x304B, 0x3099,
                              0x0301, 0x0065, 0x00C9, 0x1100, 0x1161, 0x11A8, 0xFB01, 0x2460, 0x3371, 0x20000, 0x1D400,
                              0x0041, 0x0020, 0x0031, 0x002E, 0x00DF, 0x0130, 0x2126, 0xF900, 0x2F00]
        var rng = SplitMix64(seed: 0x5EED_F01D)
        for round in 0..<2000 {
            var s = String.UnicodeScalarView()
            for _ in 0..<rng.next(40) + 1 { s.append(Unicode.Scalar(pool[rng.next(pool.count)])!) }
            check(Array(String(s).utf16), "random mix \(round) (seed \(rng.seed))")
        }
    }

    func testRealDocuments() throws {
        var checked = 0
        for corpus in ["gov-work-reports", "smart-city-policies", "ncpqa-policies", "cn-laws-regulations", "cmrc2018-wiki"] {
            guard let docs = try SharedData.documents(of: corpus) else { return }
            for d in docs.prefix(60) {
                guard let text = try? String(contentsOf: d, encoding: .utf8) else { continue }
                check(Array(text.utf16), d.lastPathComponent)
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 100)
    }
}

/// The match text of a text normalized in chunks, with the state carried over, never outgrows the
/// bound the normalizer writes into (a violated bound stops the process), and equals the match
/// text of the whole text.
final class MatchTextBoundTests: XCTestCase {
    func testChunkedNormalizationOfDenseMixes() {
        // No combining characters: a chunk boundary before one would change its normalization.
        let pool = ["a", "1", "Z", " ", "\t", "\n", "国", "，", "。", "Ａ", "é", "𠀀", "-", "　"]
        var rng = SplitMix64(seed: 0xB0_0D)
        for round in 0..<2000 {
            var text = ""
            for _ in 0..<rng.next(120) + 1 { text += pool[rng.next(pool.count)] }
            let units = Array(text.utf16)
            var nz = TextNormalizer(), state = MatchTextState()
            var chunked: [UInt32] = []
            var at = 0
            while at < units.count {
                var end = min(units.count, at + rng.next(12) + 1)
                if end < units.count && units[end] & 0xFC00 == 0xDC00 { end += 1 }  // not inside a surrogate pair
                units[at..<end].withUnsafeBufferPointer { nz.normalize($0, state: &state) }
                chunked += nz.scalars
                at = end
            }
            let before = nz.scalars.count
            nz.finish(state: &state)
            chunked += nz.scalars[before...]
            XCTAssertEqual(chunked, TextNormalizer.matchScalars(of: text), "round \(round): \(text.debugDescription)")
        }
    }
}
