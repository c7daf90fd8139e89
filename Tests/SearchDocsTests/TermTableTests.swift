import XCTest
@testable import SearchDocs
import TestSupport

/// The indexer's gram table against a dictionary: ids dense in first-seen order, the same id for
/// the same key, through growth, through ids too large for a slot (spilled), and for keys that
/// no slot can hold.
final class TermTableTests: XCTestCase {
    func testGramTableAgainstDictionary() {
        for idBits in [22, 3] {
            var rng = SplitMix64(seed: 0x6A2B + UInt64(idBits))
            var table = GramTable(capacity: 4, idBits: idBits)
            var oracle: [UInt64: Int32] = [:]
            for step in 0..<40_000 {
                let key: UInt64
                switch rng.next(6) {
                case 0: key = UInt64(rng.next(0x80))                                   // ASCII character
                case 1: key = UInt64(0x4E00 + rng.next(300))                           // Han character
                case 2: key = UInt64(0x10000 + rng.next(0x100))                        // beyond the BMP
                case 3: key = UInt64(0x4E00 + rng.next(40)) << 32 | UInt64(0x4E00 + rng.next(40))
                case 4: key = UInt64(rng.next(0x110000)) << 32 | UInt64(rng.next(0x110000))
                default: key = step % 997 == 0 ? UInt64(0x20_0000) << 32 | UInt64(step) : UInt64(0x10FFFF) << 32 | 0x10FFFF
                }
                var isNew = false
                let id = table.id(for: key, isNew: &isNew)
                if let known = oracle[key] {
                    XCTAssertFalse(isNew, "key \(key)")
                    XCTAssertEqual(id, known, "key \(key)")
                } else {
                    XCTAssertTrue(isNew, "key \(key)")
                    XCTAssertEqual(id, Int32(oracle.count), "key \(key)")
                    oracle[key] = id
                }
            }
            XCTAssertEqual(table.count, oracle.count)
            for (k, id) in oracle { XCTAssertEqual(table.keys[Int(id)], k) }
            if idBits < 22 { XCTAssertGreaterThan(oracle.count, 1 << idBits, "the test reaches spilled ids") }
        }
    }
}
