import XCTest
@testable import SearchDocs

/// The manifest's text round-trips, a line of a later build is skipped, and damage is caught by
/// the checksum.
final class ManifestTests: XCTestCase {
    func testRoundTripUnknownLinesAndDamage() throws {
        var m = Manifest(generation: 7, corpus: "/data/公开 corpus", segments: [
            .init(file: "seg-7-1a2b-1.sds", docCount: 812, changes: "seg-7-1a2b-1.sds.g9.del"),
            .init(file: "seg-9-77ff-1.sds", docCount: 3, changes: nil),
        ])
        m.started = 1_732_780_000_123_456_789
        m.dictionary = "dictionary-7.txt"
        m.dictionaryChecksum = 0x5E6F_7A8B
        m.dictionarySource = "/home/a b/names.txt"
        XCTAssertEqual(try Manifest.parse(m.serialized()), m)

        // A line this build does not know, under a checksum that holds: skipped.
        var text = String(decoding: m.serialized(), as: UTF8.self)
        text = String(text[..<text.range(of: "checksum ")!.lowerBound])
        text += "something-later a value\n"
        let body = Array(text.utf8)
        let withLine = body + Array("checksum \(String(crc32(body), radix: 16))\n".utf8)
        XCTAssertEqual(try Manifest.parse(withLine), m)

        // Any changed byte breaks the checksum.
        var damaged = m.serialized()
        damaged[30] ^= 0x01
        XCTAssertThrowsError(try Manifest.parse(damaged)) { error in
            XCTAssertTrue("\(error)".contains("checksum"), "\(error)")
        }
    }
}
