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
