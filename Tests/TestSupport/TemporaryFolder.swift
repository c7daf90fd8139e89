import Foundation

/// A temporary folder for one test, removed by `remove()`.
public struct TemporaryFolder {
    public let url: URL

    /// A new empty folder named `prefix-<uuid>` in the system's temporary folder.
    public init(prefix: String = "searchdocs-tests") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the folder.
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `bytes` to `name` and returns its path.
    public func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = path(name)
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw CocoaError(.fileWriteUnknown)
        }
        return path
    }

    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
