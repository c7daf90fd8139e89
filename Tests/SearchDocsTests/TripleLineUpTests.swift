import Foundation
import XCTest
@testable import SearchDocs
import TestSupport

/// The question ranker's triples against brute force: in random texts over three characters,
/// `lineUp` of the pairs ab and bc finds each document with abc and how often abc occurs there.
final class TripleLineUpTests: XCTestCase {
    func testLineUpCountsEachOccurrenceOfTheTriple() throws {
        var rng = SplitMix64(seed: 11)
        let alphabet: [Character] = ["甲", "乙", "丙"]
        var docs: [String: String] = [:]
        for i in 0..<40 {
            let length = 2 + rng.next(300)
            docs["doc\(i)"] = String((0..<length).map { _ in alphabet[rng.next(3)] })
        }
        XCTAssertEqual(try lineUpAgainstBruteForce(docs, alphabet: alphabet), 27 * 40)
    }

    /// Characters of very different frequencies: a rare pair's few documents are lined up with a
    /// common pair's many, whose positions in between are passed over unread (many of them, across
    /// windows), and some pairs are in one document only.
    func testLineUpOfARarePairWithACommonOne() throws {
        var rng = SplitMix64(seed: 12)
        let alphabet: [Character] = ["甲", "乙", "丙", "丁"]
        var docs: [String: String] = [:]
        for i in 0..<200 {
            let length = 2 + rng.next(400)
            docs["doc\(i)"] = String((0..<length).map { _ -> Character in
                let r = rng.next(1000)
                return r < 450 ? "甲" : r < 900 ? "乙" : r < 998 ? "丙" : "丁"
            })
        }
        XCTAssertEqual(try lineUpAgainstBruteForce(docs, alphabet: alphabet), 64 * 200)
    }

    /// Checks `lineUp` for every triple over `alphabet` in every document; returns how many
    /// (triple, document) pairs were checked.
    private func lineUpAgainstBruteForce(_ docs: [String: String], alphabet: [Character]) throws -> Int {
        let folder = try TemporaryFolder(prefix: "triple-line-up")
        defer { folder.remove() }
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
                func decode(_ slice: PostingsSlice) throws -> [QuestionRanker.PairPosting] {
                    var out: [QuestionRanker.PairPosting] = []
                    var cursor = PostingsCursor(slice)
                    while try cursor.next() { out.append(.init(doc: cursor.doc, tf: cursor.tf, positions: cursor.positionsAt())) }
                    return out
                }
                var found: [Int32: Int32] = [:]
                // A pair in no document of the segment: the triple is in none either.
                if let first = try view.gramPostings(key(a, b)), let second = try view.gramPostings(key(b, c)) {
                    let firsts = try decode(first), seconds = try decode(second)
                    try firsts.withUnsafeBufferPointer { f in
                        try seconds.withUnsafeBufferPointer { s in
                            try QuestionRanker.lineUp(f, first, s, second) { d, n in
                                XCTAssertNil(found[d], "each document once")
                                found[d] = n
                            }
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
        return checked
    }
}
