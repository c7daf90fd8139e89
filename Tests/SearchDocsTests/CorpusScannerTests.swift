import Foundation
import XCTest
@testable import SearchDocs
import TestSupport

final class CorpusScannerTests: XCTestCase {
    private var folder: TemporaryFolder!

    override func setUpWithError() throws {
        folder = try TemporaryFolder()
    }

    override func tearDown() {
        folder?.remove()
        folder = nil
    }

    private func write(_ relative: String, _ text: String = "孵化器") throws {
        let url = folder.url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    private func link(_ relative: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: folder.url.appendingPathComponent(relative).path, withDestinationPath: target)
    }

    func testFilesAreListedSortedWithHiddenAndOtherKindsLeftOut() throws {
        try write("corpus/b.txt")
        try write("corpus/a/z.html")
        try write("corpus/a/notes.pdf")
        try write("corpus/.searchdocs/dictionary.txt")
        try write("corpus/.hidden.txt")
        var warnings: [String] = []
        let files = try CorpusScanner().scan(root: folder.url.appendingPathComponent("corpus").path) { warnings.append($0) }
        XCTAssertEqual(files.map(\.relativePath), ["a/z.html", "b.txt"])
        XCTAssertEqual(files.map(\.size), [9, 9])
        XCTAssertEqual(warnings, [])
    }

    /// A linked file is indexed under the link's name; a linked folder is not walked, and says so
    /// (a corpus made of links to folders used to index nothing without a word).
    func testLinkedFilesAreFollowedAndLinkedFoldersNamedInAWarning() throws {
        try write("elsewhere/docs/policy.txt")
        try write("elsewhere/single.txt")
        try write("corpus/own.txt")
        let elsewhere = folder.url.appendingPathComponent("elsewhere").path
        try link("corpus/docs", to: elsewhere + "/docs")
        try link("corpus/linked.txt", to: elsewhere + "/single.txt")
        try link("corpus/gone.txt", to: elsewhere + "/missing.txt")
        try link("corpus/gone-too", to: elsewhere + "/missing")
        try link("corpus/self", to: folder.url.appendingPathComponent("corpus").path)
        var warnings: [String] = []
        let files = try CorpusScanner().scan(root: folder.url.appendingPathComponent("corpus").path) { warnings.append($0) }
        XCTAssertEqual(files.map(\.relativePath), ["linked.txt", "own.txt"])
        XCTAssertEqual(warnings.sorted(), [
            "docs: link to a folder, not followed (index that folder itself, or link its files)",
            "gone.txt: broken link, skipped",
            "self: link to a folder, not followed (index that folder itself, or link its files)",
        ])
    }

    func testAMissingRootIsAnError() {
        XCTAssertThrowsError(try CorpusScanner().scan(root: folder.url.appendingPathComponent("none").path) { _ in })
    }
}
