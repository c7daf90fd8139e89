import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SearchDocs

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze", abstract: "Show the tokens the analyzer makes of a text.")

    @Argument(help: "The text.")
    var text: [String]

    @Flag(name: .long, help: "Print one JSON object per token.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("A user dictionary (default: the index's, else corpus/.searchdocs/dictionary.txt when present).", valueName: "FILE"))
    var dict: String?

    @OptionGroup var options: IndexOptionGroup

    func run() throws {
        let analysis: Analysis
        do {
            var dictionary: UserDictionary?
            if let d = dict {
                dictionary = try UserDictionary(contentsOf: d)
            } else if SearchIndex.exists(at: options.indexDirectory) {
                dictionary = try SearchIndex(directory: options.indexDirectory).dictionary
            } else if FileManager.default.fileExists(atPath: IndexOptionGroup.defaultCorpus + "/" + IndexWriter.corpusDictionary) {
                dictionary = try UserDictionary(contentsOf: IndexOptionGroup.defaultCorpus + "/" + IndexWriter.corpusDictionary)
            }
            analysis = try Analysis.of(text.joined(separator: " "), dictionary: dictionary)
        } catch { throw fail("\(error)") }
        var out = ""
        if json {
            for t in analysis.tokens {
                out += "{\"term\":\(quoted(t.term)),\"kind\":\"\(t.kind.rawValue)\",\"position\":\(t.position),\"start\":\(t.start),\"end\":\(t.end)}\n"
            }
        } else {
            out += "position  term  kind  start-end\n"
            for t in analysis.tokens {
                out += "\(t.position)  \(t.term)  \(t.kind.rawValue)  \(t.start)-\(t.end)\n"
            }
            out += "match text: \(analysis.matchText)\n"
        }
        Output.out(out)
    }

    private func quoted(_ s: String) -> String {
        "\"" + s.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
    }
}
