import XCTest
@testable import SearchDocs

/// The indexing loop's UTF-8 ↔ UTF-16 conversions give what the standard library gives.
final class TranscodeTests: XCTestCase {
    private let samples = ["", "a", "民乐县科学技术局 2024 年上半年工作总结", "Ünïcödé ½ ﬁ", "𠀀𪚥 emoji 😀 end", "\u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}"]

    func testUTF16AndTheMarkedRangeAgreeWithTheStandardLibrary() {
        for s in samples {
            let u8 = Array(s.utf8)
            for a in 0...u8.count {
                for b in a...u8.count {
                    let (units, marked) = Transcode.utf16(of: s, marking: a..<b)
                    XCTAssertEqual(units, Array(s.utf16))
                    let boundary = { (i: Int) in i == u8.count || u8[i] & 0xC0 != 0x80 }
                    if boundary(a) && boundary(b) {
                        let ia = s.utf8.index(s.startIndex, offsetBy: a), ib = s.utf8.index(s.startIndex, offsetBy: b)
                        XCTAssertEqual(marked, ia.utf16Offset(in: s)..<ib.utf16Offset(in: s), "\(s) \(a)..<\(b)")
                    } else {
                        XCTAssertNil(marked)
                    }
                }
            }
        }
    }

    func testUTF8AgreesWithTheStandardLibraryLoneSurrogatesIncluded() {
        var cases = samples.map { Array($0.utf16) }
        cases.append([0xD800])
        cases.append([0x41, 0xDC00, 0x42])
        cases.append([0xD83D, 0x41, 0xD83D, 0xDE00, 0xD83D])
        for units in cases {
            var out: [UInt8] = [7]
            units.withUnsafeBufferPointer { Transcode.appendUTF8(of: $0, to: &out) }
            XCTAssertEqual(out, [7] + Array(String(decoding: units, as: UTF16.self).utf8))
        }
    }
}
