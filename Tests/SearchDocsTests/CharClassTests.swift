import CICUShim
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

    func testClassesOfSomeCharacters() {
        XCTAssertEqual(CharClass.of(0x5B75), .cjk)  // 孵
        XCTAssertEqual(CharClass.of(0x3002), [.cjk, .sentenceEnd])  // 。
        XCTAssertEqual(CharClass.of(0x41), .alnum)
        XCTAssertEqual(CharClass.of(0x3000), .whitespace)  // ideographic space
        XCTAssertEqual(CharClass.of(0x20000), .cjk)  // outside the BMP: through ICU
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
