import ArgumentParser
import XCTest
@testable import searchdocs

/// `searchdocs query` reads plain argument lists without ArgumentParser (``QueryRequest/quick(_:)``):
/// every list it accepts must give the request ArgumentParser makes, and every other list must
/// be left to ArgumentParser.
final class QuickQueryTests: XCTestCase {
    private func described(_ r: QueryRequest) -> String {
        "\(r.index ?? "-")|\(r.text)|\(r.limit)|\(r.offset)|\(r.json)|\(r.stdin)|\(r.explain)|\(r.color)|"
            + "\(r.highlightMarkers ?? "-")|\(r.org ?? "-")|\(r.since ?? "-")|\(r.until ?? "-")|\(r.sort)|\(r.facet)|\(r.allVersions)"
    }

    func testQuickParseAgreesWithArgumentParser() throws {
        let accepted: [[String]] = [
            ["孵化器"], ["科技", "特派员"], ["--json", "孵化器"], ["孵化器", "--limit", "3"], ["--limit", "0", "税"],
            ["--offset", "5", "--limit", "2", "法"], ["--index", "idx", "--explain", "5G"], ["--all-versions", "税"],
            ["--", "-税"], ["科技", "--", "-特派员", "--json"], ["\"科技特派员\"", "OR", "孵化器"], ["title:孵化器"],
        ]
        for args in accepted {
            let quick = try XCTUnwrap(QueryRequest.quick(["query"] + args), "\(args)")
            let full = try QueryCommand.parse(args)
            XCTAssertEqual(described(quick), described(full.request), "\(args)")
        }
        let leftToArgumentParser: [[String]] = [
            ["--limit=2", "税"], ["--limit", "-1", "税"], ["--limit", "x", "税"], ["--limit", "2", "--limit", "3", "税"],
            ["--color", "always", "税"], ["-h"], ["--help"], ["-税"], ["--stdin"], [], ["  "], ["--index"],
            ["--org", "民乐县科技局", "税"], ["--facet", "org", "税"], ["--sort", "date", "税"], ["--json", "--json", "税"],
        ]
        for args in leftToArgumentParser {
            XCTAssertNil(QueryRequest.quick(["query"] + args), "\(args)")
        }
        XCTAssertNil(QueryRequest.quick(["index", "税"]))
    }
}
