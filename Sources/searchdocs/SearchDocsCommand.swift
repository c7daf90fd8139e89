import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SearchDocs

@main
struct SearchDocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "searchdocs",
        abstract: "Full-text search for Chinese documents: exact matches, ranked, highlighted.",
        subcommands: [QueryCommand.self, IndexCommand.self, AnalyzeCommand.self, StatsCommand.self, VerifyCommand.self, EvalCommand.self, SegmentationCommand.self, ShowCommand.self],
        defaultSubcommand: nil
    )

    /// Runs the command line; argument errors are one line on stderr and exit status 2.
    static func main() {
        do {
            // Plain queries skip ArgumentParser's reflection (see QueryRequest.quick); the rest,
            // help and argument errors included, go through it.
            if let request = QueryRequest.quick(Array(CommandLine.arguments.dropFirst())) {
                try request.run()
            } else {
                var command = try parseAsRoot()
                try command.run()
            }
        } catch let code as ExitCode {
            exitProcess(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                exitProcess(0)
            }
            let message = self.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            warn("searchdocs: " + message + " (see --help)")
            exitProcess(2)
        }
    }
}

/// Options every command that touches an index shares.
struct IndexOptionGroup: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The index folder.", valueName: "DIR"))
    var index: String?

    /// The default corpus and index folders, relative to the current directory.
    static let defaultCorpus = "corpus"
    static let defaultIndex = "index"

    var indexDirectory: String { index ?? IndexOptionGroup.defaultIndex }
}

/// Prints one line to standard error.
func warn(_ message: String) {
    Output.err(message + "\n")
}

/// Ends the command with exit status 2 after one clear line.
func fail(_ message: String) -> ExitCode {
    warn("searchdocs: " + message)
    return ExitCode(2)
}
