import Foundation
import XCTest

// A copy of Tests/SearchDocsTests/SharedData.swift: this target has no access to that one.

/// Locates the shared data folder (`../shared` from the package root).
enum SharedData {
    /// The package root: this file is `Tests/SearchDocsAPITests/SharedData.swift`.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `../shared` relative to the package root.
    static let directory: URL = packageRoot.appendingPathComponent("../shared").standardizedFileURL

    /// The shared folder, or `nil` after recording a failure when it is missing on CI (`CI=true`).
    /// Elsewhere a missing folder skips the test.
    static func require(_ relativePath: String = "", file: StaticString = #filePath, line: UInt = #line) throws -> URL? {
        let url = relativePath.isEmpty ? directory : directory.appendingPathComponent(relativePath)
        if FileManager.default.fileExists(atPath: url.path) { return url }
        let message = "shared data is missing: \(url.path) (expected ../shared next to the package root)"
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            XCTFail(message, file: file, line: line)
            return nil
        }
        throw XCTSkip(message, file: file, line: line)
    }
}

/// A temporary folder for one test, removed by `remove()`.
struct TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("searchdocs-api-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the folder.
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `bytes` to `name` and returns its path.
    func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = url.appendingPathComponent(name).path
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw CocoaError(.fileWriteUnknown)
        }
        return path
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
