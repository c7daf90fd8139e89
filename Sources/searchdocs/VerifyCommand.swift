import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SearchDocs

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Check every index file's checksums and the manifest against the files.")

    @OptionGroup var options: IndexOptionGroup

    func run() throws {
        let problems: [String]
        do { problems = try IndexVerifier.verify(directory: options.indexDirectory) } catch { throw fail("\(error)") }
        if problems.isEmpty {
            print("index is sound")
            return
        }
        for p in problems { warn("searchdocs: " + p) }
        throw ExitCode(2)
    }
}
