import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SearchDocs

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Show documents, terms, segments and size on disk.")

    @OptionGroup var options: IndexOptionGroup

    func run() throws {
        let s: IndexStatistics
        do { s = try SearchIndex(directory: options.indexDirectory).statistics() } catch { throw fail("\(error)") }
        func mb(_ b: Int) -> String { fixed(Double(b) / 1_048_576, 2) + " MB" }
        var out = "corpus       \(s.corpus)\n"
        out += "documents    \(s.documents)\n"
        out += "segments     \(s.segments) (generation \(s.generation))\n"
        let source = s.dictionarySource.map { "from \($0), given with --dict" } ?? "from the corpus folder's .searchdocs/dictionary.txt"
        out += "dictionary   " + (s.dictionaryTerms == 0 && s.dictionarySource == nil ? "none\n" : "\(s.dictionaryTerms) terms \(source)\n")
        out += "terms        \(s.gramTerms) characters and character pairs, \(s.wordTerms) words\n"
        out += "size on disk \(mb(s.bytesOnDisk))\n"
        for c in s.components { out += "  \(c.name): \(mb(c.bytes))\n" }
        Output.out(out)
    }
}
