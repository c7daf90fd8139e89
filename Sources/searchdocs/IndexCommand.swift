import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SearchDocs

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index", abstract: "Bring the index up to date with a corpus folder (only what changed is analysed).")

    @OptionGroup var options: IndexOptionGroup

    @Argument(help: ArgumentHelp("The corpus folder (.txt, .md and .html files, recursively). Default: the folder the index was built from, or corpus/.", valueName: "CORPUS"))
    var corpus: String?

    @Flag(name: .long, help: "Start from scratch (needed to index another folder into an existing index).")
    var rebuild = false

    @Flag(name: .long, help: "Wait for another indexer of the same index to finish instead of failing.")
    var wait = false

    @Option(name: .long, help: ArgumentHelp("Skip files larger than this many megabytes.", valueName: "MB"))
    var maxFileSize: Int = 64

    @Option(name: .long, help: ArgumentHelp("A user dictionary: terms kept whole as words, one per line; the index remembers it for later runs (default: the one given before, else CORPUS/.searchdocs/dictionary.txt when present).", valueName: "FILE"))
    var dict: String?

    @Flag(name: .long, help: "Forget the dictionary given with --dict before: back to CORPUS/.searchdocs/dictionary.txt, or none.")
    var forgetDict = false

    @Option(name: .long, help: .hidden)
    var flushDocuments: Int?

    @Option(name: .long, help: .hidden)
    var commitEvery: Int?

    func validate() throws {
        guard maxFileSize > 0 else { throw ValidationError("--max-file-size must be positive") }
        guard dict == nil || !forgetDict else { throw ValidationError("--dict and --forget-dict cannot go together") }
    }

    func run() throws {
        var opts = IndexOptions()
        opts.maxFileSize = maxFileSize << 20
        if let f = flushDocuments { opts.flushDocuments = max(1, f) }
        if let c = commitEvery { opts.commitEvery = max(1, c) }
        opts.dictionaryPath = dict
        opts.forgetsDictionaryPath = forgetDict
        let dir = options.indexDirectory
        do {
            let folder = corpus ?? (SearchIndex.exists(at: dir) ? nil : IndexOptionGroup.defaultCorpus)
            let writer = try IndexWriter(directory: dir, corpus: folder, rebuild: rebuild, wait: wait, options: opts)
            let meter = ProgressMeter()
            let report = try writer.sync(warn: { warn("warning: " + $0) }, progress: meter.isActive ? meter.update : nil)
            meter.finish()
            print(report.description)
        } catch let e as IndexError {
            throw fail(e.description)
        } catch {
            throw fail("\(error)")
        }
    }
}

/// Progress on stderr (files done / total, MB/s), only when stderr is a terminal.
final class ProgressMeter: Sendable {
    let isActive = Output.isTerminal(2)
    private let start = Date()

    var update: IndexProgress {
        { [start] done, total, bytes in
            guard done % 25 == 0 || done == total else { return }
            let seconds = max(Date().timeIntervalSince(start), 0.001)
            let line = "\r\(done) / \(total) files, " + fixed(Double(bytes) / 1_048_576 / seconds, 1) + " MB/s "
            Output.err(line)
        }
    }

    func finish() {
        if isActive { Output.err("\r\u{1B}[K") }
    }
}
