import ArgumentParser
import Foundation
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
                name.padding(toLength: 23, withPad: " ", startingAt: 0) + String(format: "  %9.4f  %6.4f  %6.4f\n", s.precision, s.recall, s.f1)
            }
            out += row("ICU", try SegmentationScore.measure(gold: text))
            if let d = dict {
                out += row("ICU + dictionary", try SegmentationScore.measure(gold: text, dictionary: try UserDictionary(contentsOf: d)))
            }
            FileHandle.standardOutput.write(Data(out.utf8))
        } catch {
            throw fail("\(error)")
        }
    }
}
