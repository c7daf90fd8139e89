import Foundation
import XCTest
@testable import SearchDocs
import TestSupport

/// Rice and gamma codes read back as written, those longer than a read window (the readers'
/// slow paths) included, and a truncated stream throws instead of reading past its end.
final class RiceCodeTests: XCTestCase {
    func testRandomCodesRoundTrip() throws {
        var rng = SplitMix64(seed: 0x51CE)
        var codes: [(v: UInt32, k: Int)] = []
        for _ in 0..<5_000 {
            let k = rng.next(12)
            // Mostly values near 2^k, some with quotients far beyond a 64-bit window.
            let v = rng.next(10) == 0 ? UInt32(rng.next(5_000) + 100) << UInt32(k) : UInt32(rng.next(4 << k))
            codes.append((v, k))
        }
        var w = BitWriter(capacity: 16)
        for (v, k) in codes {
            w.reserve(bits: Int(v >> UInt32(k)) + 1 + k)
            w.rice(v, k)
        }
        w.gamma(1); w.gamma(77); w.gamma(UInt64(UInt32.max))
        w.alignToByte()
        let bytes = Array(w.bytes)
        try bytes.withUnsafeBytes { b in
            var r = BitReader(b.baseAddress!, count: b.count)
            var i = 0
            while i < codes.count {
                if i + 1 < codes.count && i % 3 == 0 {
                    let (a, c) = try r.rice(codes[i].k, codes[i + 1].k)
                    XCTAssertEqual(a, codes[i].v, "code \(i)")
                    XCTAssertEqual(c, codes[i + 1].v, "code \(i + 1)")
                    i += 2
                } else {
                    XCTAssertEqual(try r.rice(codes[i].k), codes[i].v, "code \(i)")
                    i += 1
                }
            }
            XCTAssertEqual(try r.gamma(), 1)
            XCTAssertEqual(try r.gamma(), 77)
            XCTAssertEqual(try r.gamma(), UInt64(UInt32.max))
        }
    }

    func testALongUnaryCodeCutShortThrows() throws {
        var w = BitWriter(capacity: 16)
        w.reserve(bits: 1_001)
        w.rice(1_000, 0)
        w.alignToByte()
        let bytes = Array(w.bytes.prefix(60))  // the one bit is at bit 1,000, in byte 125
        try bytes.withUnsafeBytes { b in
            var r = BitReader(b.baseAddress!, count: b.count)
            XCTAssertThrowsError(try r.rice(0))
            var bit = 0
            XCTAssertThrowsError(try BitReader.unary(b.baseAddress!, count: b.count, bit: &bit))
        }
    }

    /// Positions whose gaps Rice parameters chosen for the list do not fit (one gap far longer
    /// than the others) come back through the position iterator's slow path.
    func testAnOutlyingPositionGapReadsBack() throws {
        let folder = try TemporaryFolder(prefix: "rice")
        defer { folder.remove() }
        let writer = try IndexWriter(directory: folder.path("index"))
        let text = String(repeating: "甲乙", count: 100) + String(repeating: "丙", count: 60_000) + "甲乙"
        try writer.addDocument(path: "gaps", text: text)
        try writer.commit()
        let index = try SearchIndex(directory: folder.path("index"))
        let segment = try XCTUnwrap(index.segments.first)
        let positions = try ExactMatcher.positions(of: Array("甲乙".unicodeScalars.map(\.value)), doc: 0,
                                                   in: DocFactsView(segment: segment, cache: nil))
        XCTAssertEqual(positions, Array(stride(from: Int32(0), to: 200, by: 2)) + [60_200])
    }

    /// The window at every bit of short streams and of the last bytes of longer ones: the stream's
    /// bits from there on, zeros past its end (never a byte past it read).
    func testWindowsNearTheEndReadZerosPastIt() {
        var rng = SplitMix64(seed: 5)
        for count in 1...24 {
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next(256)) }
            bytes.withUnsafeBytes { raw in
                for bit in 0...(count * 8) {
                    var expected: UInt64 = 0
                    for k in 0..<8 where bit / 8 + k < count {
                        expected |= UInt64(bytes[bit / 8 + k]) << UInt64(8 * k)
                    }
                    expected >>= UInt64(bit % 8)
                    XCTAssertEqual(BitReader.window(raw.baseAddress!, count: count, bit: bit), expected, "\(count) bytes, bit \(bit)")
                }
            }
        }
    }
}
