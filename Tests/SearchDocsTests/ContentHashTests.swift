import XCTest
@testable import SearchDocs
import TestSupport

/// The hash that tells whether a file's text changed, and recognises renamed files: 64 bits that
/// all depend on the text.
final class ContentHashTests: XCTestCase {
    func testEveryChangedByteChangesTheHash() {
        var rng = SplitMix64(seed: 0xC0_4E_7E_47)
        let base = (0..<200).map { _ in UInt8(0x41 + rng.next(26)) }
        let h = ContentHash.of(String(decoding: base, as: UTF8.self))
        for i in base.indices {
            var changed = base
            changed[i] = changed[i] == 0x41 ? 0x42 : changed[i] - 1
            XCTAssertNotEqual(ContentHash.of(String(decoding: changed, as: UTF8.self)), h, "byte \(i), seed \(rng.seed)")
        }
        XCTAssertNotEqual(ContentHash.of(""), ContentHash.of(" "))
        XCTAssertEqual(ContentHash.of("滨河食品集团"), ContentHash.of("滨河食品" + "集团"))
    }

    func testTheHashIsNotLinearLikeACRC() {
        // A CRC (and so a pair of CRC-32s with different seeds, which carries only 32 bits) is
        // affine: for texts A, B, C of one length, crc(A) ^ crc(B) ^ crc(C) == crc(A ^ B ^ C), so
        // edits can be made to collide. The content hash must not be.
        var rng = SplitMix64(seed: 0xAF_F1_4E)
        func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
        var linear = 0
        for _ in 0..<1_000 {
            let n = 1 + rng.next(300)
            let a = (0..<n).map { _ in UInt8(rng.next(128)) }
            let b = (0..<n).map { _ in UInt8(rng.next(128)) }
            let c = (0..<n).map { _ in UInt8(rng.next(128)) }
            let x = (0..<n).map { a[$0] ^ b[$0] ^ c[$0] }
            let ha = ContentHash.of(text(a)), hb = ContentHash.of(text(b)), hc = ContentHash.of(text(c))
            if ha ^ hb ^ hc == ContentHash.of(text(x)) { linear += 1 }
            // The property holds for CRC-32 itself, as the test expects.
            let crcs = [a, b, c, x].map { crc32($0) }
            XCTAssertEqual(crcs[0] ^ crcs[1] ^ crcs[2], crcs[3])
        }
        XCTAssertEqual(linear, 0)
    }
}
