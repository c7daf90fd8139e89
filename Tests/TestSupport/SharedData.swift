import Foundation
import XCTest

/// Locates the package root and the shared data folder (`../shared` from the package root) for
/// every test target.
public enum SharedData {
    /// The package root: this file is `Tests/TestSupport/SharedData.swift`.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `../shared` relative to the package root.
    public static let directory: URL = packageRoot.appendingPathComponent("../shared").standardizedFileURL

    /// The shared folder, or `nil` after recording a failure when it is missing on CI (`CI=true`).
    /// Elsewhere a missing folder skips the test.
    public static func require(_ relativePath: String = "", file: StaticString = #filePath, line: UInt = #line) throws -> URL? {
        let url = relativePath.isEmpty ? directory : directory.appendingPathComponent(relativePath)
        if FileManager.default.fileExists(atPath: url.path) { return url }
        let message = "shared data is missing: \(url.path) (expected ../shared next to the package root)"
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            XCTFail(message, file: file, line: line)
            return nil
        }
        throw XCTSkip(message, file: file, line: line)
    }

    /// The `.txt` documents of a shared corpus, sorted by name (`nil` as for ``require(_:file:line:)``).
    public static func documents(of corpus: String, file: StaticString = #filePath, line: UInt = #line) throws -> [URL]? {
        guard let docs = try require("corpora/\(corpus)/docs", file: file, line: line) else { return nil }
        return try FileManager.default.contentsOfDirectory(atPath: docs.path).filter { $0.hasSuffix(".txt") }.sorted()
            .map { docs.appendingPathComponent($0) }
    }
}

/// The folder holding the built products: the test bundle's folder.
public enum BuiltProducts {
    public static var directory: URL {
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL
    }
}
