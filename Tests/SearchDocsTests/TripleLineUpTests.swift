import Foundation
import XCTest
@testable import SearchDocs
import TestSupport

/// The question ranker's triples against brute force: in random texts over three characters,
/// `lineUp` of the pairs ab and bc finds each document with abc and how often abc occurs there.
final class TripleLineUpTests: XCTestCase {
    func testLineUpCountsEachOccurrenceOfTheTriple() throws {
        let folder = try TemporaryFolder(prefix: "triple-line-up")
        defer { folder.remove() }
        var rng = SplitMix64(seed: 11)
        let alphabet: [Character] = ["甲", "乙", "丙"]
        var docs: [String: String] = [:]
        for i in 0..<40 {
            let length = 2 + rng.next(300)
            docs["doc\(i)"] = String((0..<length).map { _ in alphabet[rng.next(3)] })
        }
        let index = try TestCorpus.small(docs, in: folder)
        func key(_ a: Character, _ b: Character) -> UInt64 {
            UInt64(a.unicodeScalars.first!.value) << 32 | UInt64(b.unicodeScalars.first!.value)
        }
        var checked = 0
        for seg in index.segments {
            let view = DocFactsView(segment: seg, cache: nil)
            var paths: [Int32: String] = [:]
            for d in 0..<Int32(seg.reader.docCount) {
                paths[d] = try view.withPath(d) { String(decoding: $0, as: UTF8.self) }
            }
            for a in alphabet { for b in alphabet { for c in alphabet {
                guard let first = try view.gramPostings(key(a, b)), let second = try view.gramPostings(key(b, c)) else { continue }
                func decode(_ slice: PostingsSlice) throws -> [QuestionRanker.PairPosting] {
                    var out: [QuestionRanker.PairPosting] = []
                    var cursor = PostingsCursor(slice)
                    while try cursor.next() { out.append(.init(doc: cursor.doc, tf: cursor.tf, positions: cursor.positionsAt())) }
                    return out
                }
                let firsts = try decode(first), seconds = try decode(second)
                var found: [Int32: Int32] = [:]
                try firsts.withUnsafeBufferPointer { f in
                    try seconds.withUnsafeBufferPointer { s in
                        try QuestionRanker.lineUp(f, first, s, second) { d, n in
                            XCTAssertNil(found[d], "each document once")
                            found[d] = n
                        }
                    }
                }
                for (d, path) in paths {
                    let text = Array(docs[path]!)
                    var occurrences: Int32 = 0
                    for p in 0..<max(0, text.count - 2) where text[p] == a && text[p + 1] == b && text[p + 2] == c { occurrences += 1 }
                    XCTAssertEqual(found[d], occurrences == 0 ? nil : occurrences, "\(a)\(b)\(c) in \(path)")
                    checked += 1
                }
            } } }
        }
        XCTAssertEqual(checked, 27 * 40)
    }
}
