import Foundation
import XCTest
import TestSupport

/// The Swift code shown in README.md and in the DocC articles is code the build compiles: every
/// ```swift block of those pages is a piece of a file in Snippets/ (built by `swift build` as
/// SwiftPM snippets), and the snippets run.
final class DocumentationExampleTests: XCTestCase {
    static let root = SharedData.packageRoot

    /// The ```swift blocks of a Markdown file, optionally only those after `heading`, up to the
    /// next heading of the same or a higher level.
    static func swiftBlocks(in relativePath: String, section heading: String? = nil) throws -> [String] {
        var lines = try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let heading {
            guard let start = lines.firstIndex(of: heading) else { throw XCTSkip("no section \(heading) in \(relativePath)") }
            let level = heading.prefix { $0 == "#" }.count
            let rest = lines[(start + 1)...]
            let end = rest.firstIndex { l in
                let hashes = l.prefix { $0 == "#" }.count
                return hashes > 0 && hashes <= level && l.dropFirst(hashes).hasPrefix(" ")
            } ?? lines.endIndex
            lines = Array(lines[start..<end])
        }
        var blocks: [String] = []
        var current: [String]?
        for l in lines {
            if current == nil, l == "```swift" {
                current = []
            } else if current != nil, l == "```" {
                blocks.append(current!.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(l)
            }
        }
        return blocks
    }

    static func snippetSources() throws -> [String: String] {
        let dir = root.appendingPathComponent("Snippets")
        var out: [String: String] = [:]
        for f in try FileManager.default.contentsOfDirectory(atPath: dir.path) where f.hasSuffix(".swift") {
            out[f] = try String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8)
        }
        return out
    }

    func testReadmeExampleIsTheCompiledSnippet() throws {
        let blocks = try Self.swiftBlocks(in: "README.md", section: "## Use it from Swift")
        let example = try XCTUnwrap(Self.snippetSources()["SearchExample.swift"])
        XCTAssertEqual(blocks.count, 1, "one Swift example in the section")
        for block in blocks {
            XCTAssertTrue(example.contains(block + "\n"), "README's example differs from Snippets/SearchExample.swift:\n\(block)")
        }
    }

    func testArticleCodeIsCompiledSnippetCode() throws {
        let sources = try Self.snippetSources()
        let articles = ["GettingStarted.md", "SearchDocs.md"]
        var checked = 0
        for article in articles {
            for block in try Self.swiftBlocks(in: "Sources/SearchDocs/SearchDocs.docc/" + article) {
                XCTAssertTrue(sources.values.contains { $0.contains(block + "\n") }, "\(article): this code is in no snippet:\n\(block)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 4)
    }

    func testSnippetsRun() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        let example = try Products.run("SearchExample", [], environment: ["TMPDIR": tmp.url.path])
        XCTAssertEqual(example.status, 0, example.stderr)
        XCTAssertEqual(example.stdout, """
            1 documents match
            1 科技企业孵化器认定通知 notice-1.txt
            科技企业⟦孵化器⟧认定通知 鼎信陇源被认定为市级科技企业⟦孵化器⟧。

            """)
        let started = try Products.run("GettingStarted", [], environment: ["TMPDIR": tmp.url.path])
        XCTAssertEqual(started.status, 0, started.stderr)
        let lines = started.stdout.split(separator: "\n").map(String.init)
        for expected in ["3 documents match", "鼎信陇源 is mentioned in 1 document(s)", "孵化器: 1 now, 2 in the first snapshot",
                         "unbalanced quote at character 4", "孵化器 1", "众创空间 2", "鼎信陇源 0"] {
            XCTAssertTrue(lines.contains(expected), "missing \(expected) in:\n\(started.stdout)")
        }
    }
}
