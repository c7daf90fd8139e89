import Foundation
import XCTest
@testable import SearchDocs
import TestSupport

final class CorpusScannerTests: XCTestCase {
    /// A temporary folder with helpers to fill it; removed when the test ends.
    private struct Folder {
        let base: TemporaryFolder
        var url: URL { base.url }

        func write(_ relative: String, _ text: String = "孵化器") throws {
            let file = url.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file)
        }

        func link(_ relative: String, to target: String) throws {
            try FileManager.default.createSymbolicLink(atPath: url.appendingPathComponent(relative).path, withDestinationPath: target)
        }
    }

    private func makeFolder() throws -> Folder {
        let folder = Folder(base: try TemporaryFolder())
        addTeardownBlock { folder.base.remove() }
        return folder
    }

    func testFilesAreListedSortedWithHiddenAndOtherKindsLeftOut() throws {
        let folder = try makeFolder()
        try folder.write("corpus/b.txt")
        try folder.write("corpus/a/z.html")
        try folder.write("corpus/a/notes.pdf")
        try folder.write("corpus/.searchdocs/dictionary.txt")
        try folder.write("corpus/.hidden.txt")
        var warnings: [String] = []
        let files = try CorpusScanner().scan(root: folder.url.appendingPathComponent("corpus").path) { warnings.append($0) }
        XCTAssertEqual(files.map(\.relativePath), ["a/z.html", "b.txt"])
        XCTAssertEqual(files.map(\.size), [9, 9])
        XCTAssertEqual(warnings, [])
    }

    /// A linked file is indexed under the link's name; a linked folder is not walked, and says so
    /// (a corpus made of links to folders used to index nothing without a word).
    func testLinkedFilesAreFollowedAndLinkedFoldersNamedInAWarning() throws {
        let folder = try makeFolder()
        try folder.write("elsewhere/docs/policy.txt")
        try folder.write("elsewhere/single.txt")
        try folder.write("corpus/own.txt")
        let elsewhere = folder.url.appendingPathComponent("elsewhere").path
        try folder.link("corpus/docs", to: elsewhere + "/docs")
        try folder.link("corpus/linked.txt", to: elsewhere + "/single.txt")
        try folder.link("corpus/gone.txt", to: elsewhere + "/missing.txt")
        try folder.link("corpus/gone-too", to: elsewhere + "/missing")
        try folder.link("corpus/self", to: folder.url.appendingPathComponent("corpus").path)
        var warnings: [String] = []
        let files = try CorpusScanner().scan(root: folder.url.appendingPathComponent("corpus").path) { warnings.append($0) }
        XCTAssertEqual(files.map(\.relativePath), ["linked.txt", "own.txt"])
        XCTAssertEqual(warnings.sorted(), [
            "docs: link to a folder, not followed (index that folder itself, or link its files)",
            "gone.txt: broken link, skipped",
            "self: link to a folder, not followed (index that folder itself, or link its files)",
        ])
    }

    func testAMissingRootIsAnError() throws {
        let folder = try makeFolder()
        XCTAssertThrowsError(try CorpusScanner().scan(root: folder.url.appendingPathComponent("none").path) { _ in })
    }
}
