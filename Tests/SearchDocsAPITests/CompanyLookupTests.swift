import Foundation
import SearchDocs
import XCTest
import TestSupport

/// `company-lookup` on names found in the shared corpora: each count equals a brute-force count
/// of the documents whose text contains the name.
final class CompanyLookupTests: XCTestCase {
    static let corpora = ["ncpqa-policies", "smart-city-policies"]

    /// Organization names: 中国… or 国家… up to the first 有限公司, 公司, 集团 or 研究院, Han only.
    static let namePattern = "(?:中国|国家)\\p{Han}{1,10}?(?:有限公司|公司|集团|研究院)"

    /// The text as exact matching sees it, for names made only of Han characters: NFKC, lower
    /// case, without white space, control and default-ignorable characters (white space that
    /// touches a Han character is not text to the index; invisible characters are ignored).
    static func comparable(_ text: String) -> String {
        let folded = text.precomposedStringWithCompatibilityMapping.lowercased()
        var out = String.UnicodeScalarView()
        for s in folded.unicodeScalars {
            let p = s.properties
            if p.isWhitespace || p.generalCategory == .control || p.isDefaultIgnorableCodePoint { continue }
            out.append(s)
        }
        return String(out)
    }

    func testCountsEqualABruteForceCount() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        let fm = FileManager.default
        let corpus = tmp.url.appendingPathComponent("corpus")
        var texts: [String] = []
        for name in Self.corpora {
            guard let docs = try SharedData.require("corpora/\(name)/docs") else { return }
            let dest = corpus.appendingPathComponent(name)
            try fm.createDirectory(at: dest, withIntermediateDirectories: true)
            for f in try fm.contentsOfDirectory(atPath: docs.path).sorted() where f.hasSuffix(".txt") {
                let src = docs.appendingPathComponent(f)
                try fm.createSymbolicLink(at: dest.appendingPathComponent(f), withDestinationURL: src)
                texts.append(try String(contentsOf: src, encoding: .utf8))
            }
        }
        let dir = tmp.path("index")
        try IndexBuilder.build(corpus: corpus.path, directory: dir)
        XCTAssertEqual(try SearchIndex(directory: dir).documentCount, texts.count)

        // The names: every match of the pattern, most frequent first, then by code points; the
        // first 20, and two that occur nowhere.
        let regex = try NSRegularExpression(pattern: Self.namePattern)
        var found = Set<String>()
        for text in texts {
            let ns = text as NSString
            for m in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
                found.insert(ns.substring(with: m.range))
            }
        }
        let comparableTexts = texts.map(Self.comparable)
        func bruteForce(_ name: String) -> Int {
            let needle = Self.comparable(name)
            return comparableTexts.reduce(0) { $0 + ($1.contains(needle) ? 1 : 0) }
        }
        var counted = found.map { ($0, bruteForce($0)) }
        counted.sort { $0.1 != $1.1 ? $0.1 > $1.1 : Array($0.0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.0.unicodeScalars.map(\.value)) }
        var names = counted.prefix(20).map(\.0)
        XCTAssertEqual(names.count, 20, "the corpora hold fewer names than expected: \(names)")
        names += ["中国不存在研究院", "国家虚构集团"]
        let expected = Dictionary(uniqueKeysWithValues: names.map { ($0, bruteForce($0)) })
        XCTAssertGreaterThan(expected.values.max() ?? 0, 2)

        // From a file, and the same from standard input (with blank lines and spaces around names).
        let list = try tmp.file("names.txt", Array(names.joined(separator: "\n").utf8))
        let fromFile = try Products.run("company-lookup", ["--index", dir, list])
        XCTAssertEqual(fromFile.status, 0, fromFile.stderr)
        XCTAssertEqual(fromFile.stderr, "")
        let fromStdin = try Products.run("company-lookup", ["--index", dir],
                                         input: "\n" + names.map { "  \($0) \r\n" }.joined() + "\n")
        XCTAssertEqual(fromStdin.status, 0, fromStdin.stderr)
        XCTAssertEqual(fromStdin.stdout, fromFile.stdout)

        // NAME<TAB>COUNT, then per shown document a line "  RANK. TITLE (PATH)" and a snippet line.
        var counts: [String: Int] = [:]
        var order: [String] = []
        var shown: [String: [String]] = [:]
        var current: String?
        for line in fromFile.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            if line.hasPrefix(" ") {
                guard let name = current else { XCTFail("a hit line before any name: \(line)"); continue }
                shown[name, default: []].append(String(line))
            } else {
                let cols = line.split(separator: "\t")
                XCTAssertEqual(cols.count, 2, String(line))
                let name = String(cols[0])
                counts[name] = Int(cols[1])
                order.append(name)
                current = name
            }
        }
        XCTAssertEqual(order, names)
        for name in names {
            XCTAssertEqual(counts[name], expected[name], name)
            let lines = shown[name] ?? []
            let hits = min(3, expected[name] ?? 0)
            XCTAssertEqual(lines.count, 2 * hits, "\(name): \(lines)")
            for (i, pair) in stride(from: 0, to: lines.count - 1, by: 2).enumerated() {
                XCTAssertTrue(lines[pair].hasPrefix("  \(i + 1). "), lines[pair])
                XCTAssertTrue(lines[pair].hasSuffix(".txt)"), lines[pair])
                XCTAssertTrue(lines[pair + 1].hasPrefix("     "), lines[pair + 1])
                XCTAssertTrue(lines[pair + 1].contains("⟦") && lines[pair + 1].contains("⟧"), lines[pair + 1])
            }
        }
    }

    func testMissingIndexIsOneLineAndStatusTwo() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        let r = try Products.run("company-lookup", ["--index", tmp.path("none")], input: "国家电网有限公司\n")
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(r.stderr, "company-lookup: no index at \(tmp.path("none")): run searchdocs index\n")
    }
}
