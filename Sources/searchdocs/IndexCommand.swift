import ArgumentParser
import Foundation
import SearchDocs

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index", abstract: "Build the index of a corpus folder.")

    @OptionGroup var options: IndexOptionGroup

    @Argument(help: ArgumentHelp("The corpus folder (.txt and .md files, recursively).", valueName: "CORPUS"))
    var corpus: String = IndexOptionGroup.defaultCorpus

    @Flag(name: .long, help: "Start from scratch (needed to index another folder into an existing index).")
    var rebuild = false

    @Option(name: .long, help: ArgumentHelp("Skip files larger than this many megabytes.", valueName: "MB"))
    var maxFileSize: Int = 64

    @Option(name: .long, help: .hidden)
    var flushDocuments: Int?

    func validate() throws {
        guard maxFileSize > 0 else { throw ValidationError("--max-file-size must be positive") }
    }

    func run() throws {
        var opts = IndexOptions()
        opts.maxFileSize = maxFileSize << 20
        if let f = flushDocuments { opts.flushDocuments = max(1, f) }
        let dir = options.indexDirectory
        do {
            if !rebuild, SearchIndex.exists(at: dir) {
                let existing = try SearchIndex(directory: dir)
                let requested = URL(fileURLWithPath: corpus).standardizedFileURL.path
                if existing.corpus != requested {
                    throw IndexError.otherCorpus(indexed: existing.corpus, requested: requested)
                }
            }
            let report = try IndexBuilder.build(corpus: corpus, directory: dir, options: opts, warn: { warn("warning: " + $0) })
            let mb = Double(report.bytes) / 1_048_576
            print("indexed \(report.documents) documents (\(String(format: "%.1f", mb)) MB) into \(report.segments) segments in \(String(format: "%.2f", report.seconds)) s\(report.skipped > 0 ? ", \(report.skipped) skipped" : "")")
        } catch let e as IndexError {
            throw fail(e.description)
        } catch {
            throw fail("\(error)")
        }
    }
}
