import Foundation
import XCTest
@testable import SearchDocs
import TestSupport

/// The engine against brute force: for random strings, the documents whose normalized text
/// contains the string (with the letter/digit boundary rule) are exactly the exact-match hits,
/// and every snippet highlights exactly the occurrences of the string.
final class ExactMatchOracleTests: XCTestCase {
    /// A document as the oracle sees it: normalized text as scalars, boundary marks removed.
    struct OracleDoc {
        let path: String
        /// Normalized text as UTF-8 bytes.
        let bytes: [UInt8]
    }

    static let traps = [
        "traps/boundary.txt": "网络建设：15G 带宽和 5GB 存储，MAIL 系统与 AI 平台；推进5G网络和PM2.5监测，２０２４年完成。",
    ]

    func testExactMatchesEqualBruteForceAndHighlightsAreExact() throws {
        guard let built = try TestCorpus.build(["gov-work-reports", "smart-city-policies"], extra: Self.traps) else { return }
        let index = try SearchIndex(directory: built.index.path)
        XCTAssertGreaterThan(index.segments.count, 3, "the oracle needs an index of several segments")
        let docs = built.texts.keys.sorted().map { OracleDoc(path: $0, bytes: Self.utf8(Self.normalized(built.texts[$0]!))) }

        var rng = SplitMix64(seed: UInt64(ProcessInfo.processInfo.environment["ORACLE_SEED"] ?? "") ?? 20261128)
        print("oracle seed \(rng.seed)")
        var queries: [String] = ["5G", "15G", "5GB", "AI", "MAIL", "G", "PM2.5", "2024年", "２０２４年"]
        let originals = built.texts.keys.sorted().map { Array(built.texts[$0]!.unicodeScalars) }
        var present = 0
        while present < 1000 {
            let doc = originals[rng.next(originals.count)]
            guard doc.count > 10 else { continue }
            let len = 1 + rng.next(8)
            var start = rng.next(doc.count - len)
            // A third start on a letter or digit, so Latin and numbers are well covered.
            if rng.next(3) == 0, let k = (start..<min(doc.count - len, start + 400)).first(where: { doc[$0].properties.isAlphabetic && $0 > 0 && doc[$0].value < 0x80 || ("0"..."9").contains(Character(doc[$0])) }) { start = k }
            let s = String(String.UnicodeScalarView(doc[start..<(start + len)]))
            guard Self.usable(s) else { continue }
            queries.append(s)
            present += 1
        }
        // Strings that occur nowhere: the two halves of strings from two documents.
        var absent = 0
        while absent < 260 {
            let a = originals[rng.next(originals.count)], b = originals[rng.next(originals.count)]
            guard a.count > 10, b.count > 10 else { continue }
            let la = 1 + rng.next(4), lb = 1 + rng.next(4)
            let sa = rng.next(a.count - la), sb = rng.next(b.count - lb)
            let s = String(String.UnicodeScalarView(a[sa..<(sa + la)])) + String(String.UnicodeScalarView(b[sb..<(sb + lb)]))
            guard Self.usable(s) else { continue }
            if Self.bruteForce(s, docs).isEmpty { absent += 1 }
            queries.append(s)
        }

        var options = SearchOptions()
        options.limit = Int.max
        options.snippets = false
        var checked = 0, withHits = 0, highlightChecks = 0
        for q in queries {
            let expected = Self.bruteForce(q, docs)
            for form in [q, "\"\(q)\""] {
                let results = try index.search(form, options: options)
                let exact = Set(results.hits.filter { $0.match == .exact }.map(\.path))
                if exact != expected {
                    XCTFail("query \(form): engine \(exact.count) documents, brute force \(expected.count); only engine: \(exact.subtracting(expected).sorted().prefix(3)), only brute force: \(expected.subtracting(exact).sorted().prefix(3))")
                }
                checked += 1
            }
            if !expected.isEmpty { withHits += 1 }
            // Highlights: for a third of the strings that occur, snippets of the top 10.
            if !expected.isEmpty && withHits % 3 == 0 {
                var o = SearchOptions()
                o.limit = 10
                let results = try index.search("\"\(q)\"", options: o)
                for hit in results.hits { highlightChecks += try checkHighlights(hit, query: q) }
            }
        }
        print("oracle: \(queries.count) strings, \(checked) queries, \(withHits) strings found, \(highlightChecks) snippets checked")
        XCTAssertGreaterThanOrEqual(queries.count, 1200)
        XCTAssertGreaterThan(highlightChecks, 300)
    }

    /// Checks one hit's snippets; returns how many were checked.
    private func checkHighlights(_ hit: SearchHit, query: String) throws -> Int {
        let needle = Self.normalized(query)
        XCTAssertFalse(hit.snippets.isEmpty, "\(query): no snippet for \(hit.path)")
        for s in hit.snippets {
            XCTAssertFalse(s.highlights.isEmpty, "\(query): snippet without highlight in \(hit.path): \(s.text)")
            for h in s.highlights {
                let covered = String(s.text[h.range])
                XCTAssertEqual(TextNormalizer.matchString(of: covered), TextNormalizer.matchString(of: query),
                               "\(query): highlight «\(covered)» in \(hit.path)")
                // Offsets agree with the range.
                XCTAssertEqual(s.text.unicodeScalars.distance(from: s.text.startIndex, to: h.range.lowerBound), h.start)
                XCTAssertEqual(s.text.utf8.distance(from: s.text.startIndex, to: h.range.lowerBound), h.byteStart)
                XCTAssertEqual(s.text.utf8.distance(from: s.text.startIndex, to: h.range.upperBound), h.byteEnd)
            }
            // Every occurrence in the snippet's text is highlighted (leftmost, non-overlapping).
            let occurrences = Self.occurrences(of: needle, in: Self.normalized(s.text))
            XCTAssertEqual(occurrences, s.highlights.count, "\(query): \(occurrences) occurrences, \(s.highlights.count) highlights in «\(s.text)»")
        }
        return hit.snippets.count
    }

    /// A string the query language takes as one plain part.
    static func usable(_ s: String) -> Bool {
        !s.unicodeScalars.contains { CharClass.of($0.value).contains(.whitespace) || ($0.value < 0x80 && "\"()-:\\".unicodeScalars.contains($0)) }
            && s != "OR" && s != "NOT" && !normalized(s).isEmpty
    }

    /// The normalized text: match text without boundary marks.
    static func normalized(_ text: String) -> [UInt32] {
        TextNormalizer.matchScalars(of: text).filter { $0 != MatchText.boundary }
    }

    /// Documents whose normalized text contains `query` where the boundary rule allows.
    static func bruteForce(_ query: String, _ docs: [OracleDoc]) -> Set<String> {
        let needle = utf8(normalized(query))
        return Set(docs.filter { containsWithBoundaries(needle, $0.bytes) }.map(\.path))
    }

    static func utf8(_ scalars: [UInt32]) -> [UInt8] {
        var out: [UInt8] = []
        for c in scalars { out.append(contentsOf: String(Unicode.Scalar(c)!).utf8) }
        return out
    }

    /// UTF-8 byte search (memchr and memcmp) with the boundary rule checked on the neighbouring characters.
    static func containsWithBoundaries(_ needle: [UInt8], _ hay: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return false }
        let first = String(decoding: needle, as: UTF8.self).unicodeScalars
        let startsAlnum = CharClass.of(first.first!.value).contains(.alnum)
        let endsAlnum = CharClass.of(first.last!.value).contains(.alnum)
        return hay.withUnsafeBytes { h in
            needle.withUnsafeBytes { n in
                var from = 0
                while from + n.count <= h.count {
                    guard let p = memchr(h.baseAddress! + from, Int32(n[0]), h.count - from - n.count + 1) else { return false }
                    let at = h.baseAddress!.distance(to: UnsafeRawPointer(p))
                    if memcmp(p, n.baseAddress!, n.count) != 0 { from = at + 1; continue }
                    let before = scalar(endingAt: at, in: h), after = scalar(startingAt: at + n.count, in: h)
                    let okStart = !(startsAlnum && before.map { CharClass.of($0).contains(.alnum) } == true)
                    let okEnd = !(endsAlnum && after.map { CharClass.of($0).contains(.alnum) } == true)
                    if okStart && okEnd { return true }
                    from = at + 1
                }
                return false
            }
        }
    }

    private static func scalar(endingAt end: Int, in h: UnsafeRawBufferPointer) -> UInt32? {
        guard end > 0 else { return nil }
        var s = end - 1
        while s > 0 && h[s] & 0xC0 == 0x80 { s -= 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: h[s..<end]), as: UTF8.self).unicodeScalars.first?.value
    }

    private static func scalar(startingAt start: Int, in h: UnsafeRawBufferPointer) -> UInt32? {
        guard start < h.count else { return nil }
        var e = start + 1
        while e < h.count && h[e] & 0xC0 == 0x80 { e += 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: h[start..<e]), as: UTF8.self).unicodeScalars.first?.value
    }

    /// Leftmost non-overlapping occurrences of `needle` in `hay` that respect the boundary rule:
    /// a needle that starts (ends) with a letter or digit needs a non-letter/digit before (after) it.
    static func occurrences(of needle: [UInt32], in hay: [UInt32]) -> Int {
        guard !needle.isEmpty, needle.count <= hay.count else { return 0 }
        let alnum = { (c: UInt32) in CharClass.of(c).contains(.alnum) }
        let startsAlnum = alnum(needle[0]), endsAlnum = alnum(needle[needle.count - 1])
        var count = 0
        var i = 0
        while i + needle.count <= hay.count {
            if hay[i] == needle[0] && hay[i..<(i + needle.count)].elementsEqual(needle)
                && !(startsAlnum && i > 0 && alnum(hay[i - 1]))
                && !(endsAlnum && i + needle.count < hay.count && alnum(hay[i + needle.count])) {
                count += 1
                i += needle.count
            } else {
                i += 1
            }
        }
        return count
    }
}

