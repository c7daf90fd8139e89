import ArgumentParser
import Foundation
import SearchDocs

@main
struct SearchDocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "searchdocs",
        abstract: "Full-text search for Chinese documents: exact matches, ranked, highlighted.",
        subcommands: [QueryCommand.self, IndexCommand.self, AnalyzeCommand.self, StatsCommand.self],
        defaultSubcommand: nil
    )
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
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Ends the command with exit status 2 after one clear line.
func fail(_ message: String) -> ExitCode {
    warn("searchdocs: " + message)
    return ExitCode(2)
}
