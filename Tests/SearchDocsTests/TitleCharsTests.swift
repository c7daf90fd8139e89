import XCTest
@testable import SearchDocs
import TestSupport

/// The character set kept with a document's facts (`DocFacts.titleChars`) only lets a title check
/// skip titles that cannot hold a character: every character of a match-text title has its bit.
final class TitleCharsTests: XCTestCase {
    func testEveryCharacterOfATitleHasItsBit() {
        var rng = SplitMix64(seed: 20261130)
        // Han (common and rare), kana, full-width forms, ASCII, punctuation, characters outside the BMP.
        let ranges: [ClosedRange<UInt32>] = [0x4E00...0x9FFF, 0x3400...0x4DBF, 0x3040...0x30FF, 0xFF01...0xFF5E,
                                             0x21...0x7E, 0x3000...0x303F, 0x20000...0x2A6DF, 0x1F300...0x1F5FF]
        var withClearBit = 0
        for _ in 0..<2000 {
            var title = String.UnicodeScalarView()
            for _ in 0..<(1 + rng.next(40)) {
                let r = ranges[rng.next(ranges.count)]
                if let u = Unicode.Scalar(r.lowerBound + UInt32(rng.next(Int(r.upperBound - r.lowerBound) + 1))) { title.append(u) }
            }
            let match = TextNormalizer.matchString(of: String(title))
            let bytes = Array(match.utf8)
            let bits = bytes.withUnsafeBytes { DocFacts.titleChars(of: $0) }
            for c in match.unicodeScalars {
                var utf8: UInt32 = 0
                for (k, b) in String(c).utf8.enumerated() { utf8 |= UInt32(b) << (8 * UInt32(k)) }
                XCTAssertNotEqual(bits & DocFacts.titleBit(utf8: utf8), 0, "\(c) in \(match)")
            }
            if bits != UInt64.max { withClearBit += 1 }
        }
        // The set is worth keeping: short titles leave most bits clear.
        XCTAssertGreaterThan(withClearBit, 1000)
    }
}
