import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SearchDocs

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print one document's metadata and full text, with a query's matches highlighted.")

    @OptionGroup var options: IndexOptionGroup

    @Argument(help: "The document's path, relative to the corpus folder.")
    var path: String

    @Option(name: .long, help: "Highlight this query's matches.")
    var query: String?

    @Option(name: .long, help: "Colour highlights: auto, always or never.")
    var color: ColorChoice = .auto

    func run() throws {
        do {
            let index = try SearchIndex(directory: options.indexDirectory)
            guard let doc = try index.document(path: path) else { throw fail("no document \(path) in the index") }
            let m = doc.metadata
            var out = "title        \(doc.title)\npath         \(doc.path)\n"
            for (label, value) in [("索引号", m.indexNumber), ("发文字号", m.documentNumber), ("关键词", m.keywords),
                                   ("发布机构", m.publisher), ("公开形式", m.disclosureForm), ("责任部门", m.responsibleDepartment),
                                   ("生成日期", m.date), ("是否有效", m.validity)] {
                if let v = value { out += label + String(repeating: "　", count: max(0, 5 - label.count)) + "  " + v + "\n" }
            }
            out += "\n"
            var text = doc.text
            if let q = query {
                let useColor = color == .always || (color == .auto && Output.isTerminal(1) && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
                let (open, close) = useColor ? ("\u{1B}[1;31m", "\u{1B}[0m") : ("⟦", "⟧")
                var marked = ""
                var at = text.startIndex
                for r in try index.highlights(in: text, query: q) {
                    marked += text[at..<r.lowerBound] + open + text[r] + close
                    at = r.upperBound
                }
                text = marked + text[at...]
            }
            out += text + (text.hasSuffix("\n") ? "" : "\n")
            Output.out(out)
        } catch let code as ExitCode {
            throw code
        } catch let e as QuerySyntaxError {
            warn("searchdocs: " + e.description)
            throw ExitCode(2)
        } catch {
            throw fail("\(error)")
        }
    }
}
