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

    /// The postings accumulator against a dictionary of every term's documents and positions,
    /// with long documents spilling their positions (every few occurrences here, at random chunk
    /// ends) and without: both decode to exactly what was added.
    func testPostingsAccumulatorWithSpillsAgainstOracle() {
        var rng = SplitMix64(seed: 0x5B11)
        let termCount = 60
        for spillAt in [Int.max, 1, 7, 50] {
            var acc = PostingsAccumulator(spillAt: spillAt)
            for t in 0..<termCount { acc.addTerm(withPositions: t % 3 != 0) }
            // Per term: the documents it occurs in, each with its positions.
            var oracle = [[(doc: Int32, positions: [Int32])]](repeating: [], count: termCount)
            var doc: Int32 = 0
            for _ in 0..<300 {
                doc += Int32(1 + rng.next(3))
                let length = rng.next(4) == 0 ? 400 + rng.next(2000) : rng.next(40)
                var seen: [Int: [Int32]] = [:]
                for pos in 0..<length {
                    // Skewed: a few terms occur often, so long documents have long position lists.
                    let t = rng.next(2) == 0 ? rng.next(4) : rng.next(termCount)
                    acc.add(Int32(t), doc: doc, pos: Int32(pos))
                    seen[t, default: []].append(Int32(pos))
                    if rng.next(16) == 0 { acc.spillIfLarge() }
                }
                acc.endDocument(doc)
                for (t, ps) in seen { oracle[t].append((doc, ps)) }
            }
            var lists = DecodedPostings()
            for t in 0..<termCount {
                acc.decode(t, into: &lists)
                let expected = oracle[t]
                XCTAssertEqual(lists.docCount, expected.count, "term \(t), spill at \(spillAt)")
                XCTAssertEqual(Int(acc.df(t)), expected.count)
                var previous: Int32 = -1, gapAt = 0
                for (k, e) in expected.enumerated() where k < lists.docCount {
                    XCTAssertEqual(Int32(lists.docGaps[k]), e.doc - previous - 1, "term \(t) document \(e.doc)")
                    previous = e.doc
                    XCTAssertEqual(Int(lists.tfs[k]), e.positions.count, "term \(t) document \(e.doc)")
                    guard t % 3 != 0 else { continue }
                    var decoded = [Int32(lists.firsts[k])]
                    for _ in 1..<e.positions.count {
                        decoded.append(decoded.last! + Int32(lists.positionGaps[gapAt]))
                        gapAt += 1
                    }
                    XCTAssertEqual(decoded, e.positions, "term \(t) document \(e.doc), spill at \(spillAt)")
                }
            }
        }
    }
}
