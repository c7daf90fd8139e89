import ArgumentParser
import Foundation
import SearchDocs

/// Which documents mention these companies? For each name (one per line), the number of
/// documents that contain it exactly and the best few with a snippet.
///
/// Uses only the public API of SearchDocs: `SearchIndex`, a quoted `QueryNode` (so a name is never
/// split into words or read as operators), `SearchOptions` and `SnippetFormatter`.
@main
struct CompanyLookup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "company-lookup",
        abstract: "Count the documents that mention each name exactly and show the best ones.",
        discussion: """
        Names are read one per line from FILE or standard input; blank lines are skipped and
        surrounding white space is ignored. For each name the output is one line NAME<TAB>COUNT
        (COUNT: documents containing the name exactly), then for each of the top documents
        a line '  RANK. TITLE (PATH)' and a line with a snippet, the name marked ⟦ ⟧.
        """)

    @Option(name: .long, help: ArgumentHelp("The index folder.", valueName: "DIR"))
    var index: String

    @Argument(help: ArgumentHelp("A file of names, one per line (default: standard input).", valueName: "FILE"))
    var file: String?

    @Option(name: .long, help: "How many documents to show per name.")
    var top = 3

    func validate() throws {
        guard top >= 0 else { throw ValidationError("--top must not be negative") }
    }

    func run() throws {
        let searchIndex: SearchIndex
        do {
            searchIndex = try SearchIndex(directory: index)
        } catch {
            throw Self.failure("\(error)")
        }
        let options = SearchOptions(limit: top, snippetsPerHit: 1)
        let formatter = SnippetFormatter(style: HighlightStyle.defaultMarkers)

        func lookUp(_ line: Substring) throws {
            let name = line.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { return }
            let results = try searchIndex.search(.text(name, quoted: true), options: options)
            var out = "\(name)\t\(results.total)\n"
            for hit in results.hits {
                out += "  \(hit.rank). \(hit.title) (\(hit.path))\n"
                if let snippet = hit.snippets.first { out += "     \(formatter.format(snippet))\n" }
            }
            FileHandle.standardOutput.write(Data(out.utf8))
        }

        do {
            if let file {
                let text: String
                do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
                    throw Self.failure("\(file): cannot read as UTF-8 text")
                }
                for line in text.split(whereSeparator: \.isNewline) { try lookUp(line) }
            } else {
                while let line = readLine(strippingNewline: true) { try lookUp(Substring(line)) }
            }
        } catch let code as ExitCode {
            throw code
        } catch {
            throw Self.failure("\(error)")
        }
    }

    /// One line on standard error, exit status 2.
    static func failure(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("company-lookup: \(message)\n".utf8))
        return ExitCode(2)
    }
}
