import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SearchDocs

struct SegmentationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segmentation",
        abstract: "Score the analyzer's word segmentation against gold text (SIGHAN bakeoff style).",
        discussion: "Prints word precision, recall and F1 of ICU alone and, with --dict, with a user dictionary.")

    @Option(name: .long, help: ArgumentHelp("Gold segmentation: one sentence per line, words separated by spaces.", valueName: "FILE"))
    var gold: String

    @Option(name: .long, help: ArgumentHelp("A word list to use as a user dictionary as well.", valueName: "FILE"))
    var dict: String?

    func run() throws {
        do {
            let text = try DocumentReader(maxFileSize: 256 << 20).readText(at: gold)
            var out = "analyzer                 precision  recall  F1\n"
            func row(_ name: String, _ s: SegmentationScore) -> String {
                padded(name, 23) + "  " + fixed(s.precision, 4, width: 9) + "  " + fixed(s.recall, 4, width: 6) + "  " + fixed(s.f1, 4, width: 6) + "\n"
            }
            out += row("ICU", try SegmentationScore.measure(gold: text))
            if let d = dict {
                out += row("ICU + dictionary", try SegmentationScore.measure(gold: text, dictionary: try UserDictionary(contentsOf: d)))
            }
            Output.out(out)
        } catch {
            throw fail("\(error)")
        }
    }
}
