import Foundation
import Synchronization
import XCTest
@testable import SearchDocs
import TestSupport

/// The word breaker remembers how ICU split short Han runs and gives ICU only the rest of a
/// text. Oracle: a breaker that never remembers (ICU over the whole text) must give exactly the
/// same segments and statuses, on the shared corpora and on random texts built to put every kind
/// of neighbour next to remembered runs.
final class WordBreakerMemoryTests: XCTestCase {
    /// The first segment where the last segmentations of the two breakers (`n` and `m` segments)
    /// differ in start, end or status; nil when they are the same.
    private static func firstDifference(_ plain: WordBreaker, _ n: Int, _ remembering: WordBreaker, _ m: Int) -> Int? {
        var k = 0
        while k < min(n, m), plain.starts[k] == remembering.starts[k], plain.ends[k] == remembering.ends[k],
              plain.statuses[k] == remembering.statuses[k] { k += 1 }
        return k == n && k == m ? nil : k
    }

    /// Segments `text` with both breakers and compares; returns the segment count.
    private func compare(_ text: [UInt16], _ remembering: WordBreaker, _ plain: WordBreaker,
                         _ what: @autoclosure () -> String) -> Int {
        text.withUnsafeBufferPointer { buf -> Int in
            let n = plain.segment(buf)
            let m = remembering.segment(buf)
            if let first = WordBreakerMemoryTests.firstDifference(plain, n, remembering, m) {
                let at = first < n ? Int(plain.starts[first]) : text.count
                let context = String(decoding: text[max(0, at - 10)..<min(text.count, at + 10)], as: UTF16.self)
                XCTFail("\(what()): segments differ from ICU's at unit \(at) (…\(context)…): \(m) against \(n) segments")
            }
            return n
        }
    }

    func testRememberedRunsGiveICUsSegmentsOnTheSharedCorpora() throws {
        let corpora = ["cn-laws-regulations", "gov-work-reports", "ncpqa-policies", "smart-city-policies", "cmrc2018-wiki"]
        let remembering = try WordBreaker(rememberAfter: 0)
        let plain = try WordBreaker(rememberAfter: -1)
        var normalizer = TextNormalizer()
        var documents = 0, segments = 0
        for corpus in corpora {
            guard let files = try SharedData.documents(of: corpus) else { return }
            // Every third document of each corpus: repeated runs across documents, in a few seconds.
            for (k, url) in files.enumerated() where k % 3 == 0 {
                let units = Array(try String(contentsOf: url, encoding: .utf8).utf16)
                documents += 1
                units.withUnsafeBufferPointer { all in
                    var start = 0
                    while start < all.count {
                        // The analyser's chunks, folded as when indexing.
                        let end = ChunkCutter.cut(all, from: start)
                        normalizer.fold(UnsafeBufferPointer(rebasing: all[start..<end]))
                        segments += compare(normalizer.folded, remembering, plain, "\(corpus)/\(url.lastPathComponent)")
                        start = end
                    }
                }
            }
        }
        print("word breaker memory: \(documents) documents, \(segments) segments, \(remembering.recalledRuns) runs recalled")
        XCTAssertGreaterThan(documents, 1800)
        XCTAssertGreaterThan(remembering.recalledRuns, 100_000, "the memory was hardly used")
        XCTAssertEqual(plain.recalledRuns, 0)
    }

    func testBreakersSharingAMemoryOnTwoThreadsGiveICUsSegments() throws {
        var texts: [[UInt16]] = []
        for corpus in ["cn-laws-regulations", "gov-work-reports", "smart-city-policies"] {
            guard let files = try SharedData.documents(of: corpus) else { return }
            for (k, url) in files.enumerated() where k % 4 == 1 {
                texts.append(TextNormalizer.folded(of: try String(contentsOf: url, encoding: .utf8)))
            }
        }
        let documents = texts
        let memory = try XCTUnwrap(RunMemory())
        let threads = 2
        // Each thread uses its own pair of breakers.
        nonisolated(unsafe) let breakers = try (0..<threads).map { _ in
            (try WordBreaker(rememberAfter: 0, memory: memory), try WordBreaker(rememberAfter: -1))
        }
        let differing = Mutex([String]())
        // Documents handed out in turn, as an index build does.
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            let (remembering, plain) = breakers[t]
            for i in stride(from: t, to: documents.count, by: threads) {
                documents[i].withUnsafeBufferPointer { buf in
                    var start = 0
                    while start < buf.count {
                        let end = ChunkCutter.cut(buf, from: start)
                        let chunk = UnsafeBufferPointer(rebasing: buf[start..<end])
                        let n = plain.segment(chunk), m = remembering.segment(chunk)
                        if WordBreakerMemoryTests.firstDifference(plain, n, remembering, m) != nil {
                            differing.withLock { $0.append("text \(i) at unit \(start)") }
                        }
                        start = end
                    }
                }
            }
        }
        XCTAssertEqual(differing.withLock { $0 }, [])
        let recalled = breakers.map { $0.0.recalledRuns }
        print("two threads sharing a run memory: \(texts.count) documents, runs recalled \(recalled)")
        for r in recalled { XCTAssertGreaterThan(r, 10_000, "a thread hardly used the shared memory") }
    }

    func testRememberedRunsGiveICUsSegmentsOnRandomTexts() throws {
        var rng = SplitMix64(seed: 0x5EED_B4EA_4E55)
        let han: [UInt16] = Array("中国人民共和政府工作报告科技特派员学生大年月日".utf16) + [0x3400, 0x4DB5, 0x9FEF]
        // Neighbours of every kind: ones that always break next to Han (ASCII, CJK and general
        // punctuation) and ones that may not (marks, joiners, format characters, kana, 々 〇,
        // Hangul, Han outside the remembered ranges), line and paragraph separators, CR LF.
        let others: [UInt16] = Array("12aZ _.,'@:;\r\n、。《》“”·".utf16)
            + [0x0301, 0x200D, 0x200B, 0x00AD, 0x30AB, 0x30FC, 0x3042, 0x3005, 0x3007, 0xAC00, 0x1100,
               0xFF0C, 0x2028, 0x2029, 0x3000, 0xFE0F, 0x20E3, 0x9FFF, 0xF900, 0x4DBF]
        // A pool of runs, so that many repeat; some longer than the remembered 32 units.
        let pool: [[UInt16]] = (0..<48).map { _ in (0..<(1 + rng.next(36))).map { _ in han[rng.next(han.count)] } }
        let remembering = try WordBreaker(rememberAfter: 0)
        let plain = try WordBreaker(rememberAfter: -1)
        for round in 0..<20_000 {
            var text: [UInt16] = []
            let length = 1 + rng.next(300)
            while text.count < length {
                switch rng.next(10) {
                case 0..<5: text += pool[rng.next(pool.count)]
                case 5: text += [0xD840, 0xDC00 + UInt16(rng.next(64))]  // a Han character outside the BMP
                default: text.append(others[rng.next(others.count)])
                }
            }
            _ = compare(text, remembering, plain, "random text \(round) (seed \(rng.seed))")
        }
        XCTAssertGreaterThan(remembering.recalledRuns, 5_000, "the memory was hardly used")
    }

    func testABreakerRemembersOnlyAfterItsThreshold() throws {
        // Folded as when indexing: the ideographic space and full-width comma become ASCII.
        let text = TextNormalizer.folded(of: "第一条　为了规范政府信息公开工作，制定本条例。第一条")
        let breaker = try WordBreaker(rememberAfter: Int64(text.count) + 1)
        let plain = try WordBreaker(rememberAfter: -1)
        _ = compare(text, breaker, plain, "first text")
        XCTAssertEqual(breaker.recalledRuns, 0)
        _ = compare(text, breaker, plain, "second text")  // threshold passed, nothing remembered yet
        XCTAssertEqual(breaker.recalledRuns, 0)
        _ = compare(text, breaker, plain, "third text")  // remembered now; within a text, runs are looked up first
        XCTAssertEqual(breaker.recalledRuns, 0)
        _ = compare(text, breaker, plain, "fourth text")
        XCTAssertEqual(breaker.recalledRuns, 4)  // 第一条 twice, 为了规范政府信息公开工作, 制定本条例
    }
}
