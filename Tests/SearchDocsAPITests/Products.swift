import Foundation
import TestSupport
import XCTest

/// Runs executables the build made: `searchdocs`, `company-lookup` and the snippets.
enum Products {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the product `name` with `arguments` in `directory`, writing `input` to its standard input.
    static func run(_ name: String, _ arguments: [String], in directory: URL? = nil, input: String? = nil,
                    environment: [String: String] = [:]) throws -> Run {
        let p = Process()
        p.executableURL = BuiltProducts.directory.appendingPathComponent(name)
        p.arguments = arguments
        if let directory { p.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = nil
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe(), inPipe = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = inPipe
        try p.run()
        // Feed standard input from another thread so a large output cannot block the writer.
        let data = Data((input ?? "").utf8)
        let writer = inPipe.fileHandleForWriting
        let feeder = Thread {
            writer.write(data)
            try? writer.close()
        }
        feeder.start()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                   stderr: String(decoding: e, as: UTF8.self))
    }
}
