#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TestSupport
import XCTest
@testable import SearchDocs

/// Runs the built `searchdocs` binary as a child process.
enum SearchDocsProcess {
    /// The built binary (beside the test bundle).
    static var executable: URL { BuiltProducts.directory.appendingPathComponent("searchdocs") }

    struct Result {
        var status: Int32
        /// True when the process was ended by a signal (`status` is then the signal number).
        var signaled: Bool
        var stdout: String
        var stderr: String
    }

    /// A started child: its output goes to temporary files, so a killed child leaves no pipe behind.
    final class Child {
        let process = Process()
        private let out: URL
        private let err: URL

        init(_ args: [String], in directory: URL, environment: [String: String] = [:]) throws {
            let tmp = FileManager.default.temporaryDirectory
            out = tmp.appendingPathComponent("searchdocs-out-\(UUID().uuidString)")
            err = tmp.appendingPathComponent("searchdocs-err-\(UUID().uuidString)")
            guard FileManager.default.createFile(atPath: out.path, contents: nil),
                  FileManager.default.createFile(atPath: err.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
            process.executableURL = SearchDocsProcess.executable
            process.arguments = args
            process.currentDirectoryURL = directory
            var env = ProcessInfo.processInfo.environment
            env["NO_COLOR"] = nil
            env["SEARCHDOCS_CRASH_AT"] = nil
            for (k, v) in environment { env[k] = v }
            process.environment = env
            process.standardOutput = try FileHandle(forWritingTo: out)
            process.standardError = try FileHandle(forWritingTo: err)
            try process.run()
        }

        var pid: Int32 { process.processIdentifier }

        /// Sends SIGKILL if the child still runs.
        func kill() {
            if process.isRunning { _ = Glibc.kill(process.processIdentifier, SIGKILL) }
        }

        /// Waits for the child and returns what it did.
        func wait() -> Result {
            process.waitUntilExit()
            let o = (try? Data(contentsOf: out)) ?? Data(), e = (try? Data(contentsOf: err)) ?? Data()
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
            return Result(status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
                          stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
        }
    }

    /// Runs searchdocs with `args` in `directory` to the end.
    static func run(_ args: [String], in directory: URL, environment: [String: String] = [:]) throws -> Result {
        try Child(args, in: directory, environment: environment).wait()
    }
}

/// A temporary folder removed at the end of the test.
func temporaryFolder(_ test: XCTestCase, _ prefix: String) throws -> URL {
    let folder = try TemporaryFolder(prefix: "searchdocs-\(prefix)")
    test.addTeardownBlock { folder.remove() }
    return folder.url
}

/// One query's ranked answer: (path, score) in rank order.
typealias RankedAnswer = [(path: String, score: Double)]

extension SearchIndex {
    /// The top `limit` hits of a query, without snippets.
    func ranked(_ query: String, limit: Int = 20) throws -> RankedAnswer {
        var o = SearchOptions()
        o.limit = limit
        o.snippets = false
        return try search(query, options: o).hits.map { ($0.path, $0.score) }
    }

    /// Live documents of the snapshot: path → content hash. Fails the test on a path that is live twice.
    func liveDocuments(file: StaticString = #filePath, line: UInt = #line) throws -> [String: UInt64] {
        var out: [String: UInt64] = [:]
        for seg in segments {
            for d in 0..<seg.reader.docCount where !seg.isDeleted(Int32(d)) {
                let r = try seg.doc(d)
                XCTAssertNil(out[r.path], "\(r.path) is live twice in generation \(generation)", file: file, line: line)
                out[r.path] = r.contentHash
            }
        }
        return out
    }
}

/// Whether two ranked answers (the top `limit`) agree: same length, scores within 1e-4, and
/// documents with equal scores the same as sets (except a tie cut by the limit). Returns a
/// description of the first difference, or nil.
func difference(_ a: RankedAnswer, _ b: RankedAnswer, limit: Int = 20) -> String? {
    guard a.count == b.count else { return "\(a.count) hits vs \(b.count)" }
    var i = 0
    while i < a.count {
        var j = i + 1
        while j < a.count && abs(a[j].score - a[i].score) < 1e-4 { j += 1 }
        for k in i..<j where abs(a[k].score - b[k].score) >= 1e-4 {
            return "rank \(k + 1): \(a[k].path) \(a[k].score) vs \(b[k].path) \(b[k].score)"
        }
        let cut = j == a.count && a.count == limit
        if !cut && Set(a[i..<j].map(\.path)) != Set(b[i..<j].map(\.path)) {
            return "ranks \(i + 1)–\(j): \(a[i..<j].map(\.path)) vs \(b[i..<j].map(\.path))"
        }
        i = j
    }
    return nil
}
