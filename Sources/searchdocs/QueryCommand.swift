import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SearchDocs

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

enum SortChoice: String, ExpressibleByArgument, CaseIterable {
    case relevance, date
}

enum FacetChoice: String, ExpressibleByArgument, CaseIterable {
    case org, year
}

struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query", abstract: "Search the index: ranked documents with highlighted snippets.",
        discussion: """
        Space-separated parts must all match; "quoted text" is an exact phrase; OR between parts;
        -part or NOT part excludes; parentheses group; title:TEXT matches in titles.
        Exit status: 0 when something matched, 1 when nothing did, 2 on an error.
        """)

    @OptionGroup var options: IndexOptionGroup

    @Argument(help: "The query.")
    var text: [String] = []

    @Option(name: .long, help: "How many hits to show.")
    var limit: Int = QueryRequest.defaultLimit

    @Option(name: .long, help: "How many of the best hits to skip.")
    var offset: Int = 0

    @Flag(name: .long, help: "Print JSON Lines, one object per hit (schema version 1).")
    var json = false

    @Flag(name: .long, help: "Read one query per line from standard input; print one JSON line per query (schema version 1).")
    var stdin = false

    @Flag(name: .long, help: "Show how each score was made.")
    var explain = false

    @Option(name: .long, help: "Colour highlights: auto (when stdout is a terminal and NO_COLOR is unset), always or never.")
    var color: ColorChoice = .auto

    @Option(name: .long, help: ArgumentHelp("Plain highlight markers as OPEN,CLOSE (default ⟦,⟧).", valueName: "OPEN,CLOSE"))
    var highlightMarkers: String?

    @Option(name: .long, help: ArgumentHelp("Only documents published by this office (发布机构, as org:).", valueName: "NAME"))
    var org: String?

    @Option(name: .long, help: ArgumentHelp("Only documents dated on or after (2024, 2024-06 or 2024-06-30).", valueName: "DATE"))
    var since: String?

    @Option(name: .long, help: ArgumentHelp("Only documents dated on or before.", valueName: "DATE"))
    var until: String?

    @Option(name: .long, help: "Order: relevance or date (newest first).")
    var sort: SortChoice = .relevance

    @Option(name: .long, help: ArgumentHelp("Count all matching documents per org (发布机构) or year.", valueName: "org|year"))
    var facet: [FacetChoice] = []

    @Flag(name: .long, help: "List documents with the same 索引号, and documents with the same text, separately instead of as versions or copies of one.")
    var allVersions = false

    /// The invocation as plain values (ArgumentParser's property wrappers left behind).
    var request: QueryRequest {
        QueryRequest(index: options.index, text: text, limit: limit, offset: offset, json: json, stdin: stdin,
                     explain: explain, color: color, highlightMarkers: highlightMarkers, org: org, since: since,
                     until: until, sort: sort, facet: facet, allVersions: allVersions)
    }

    func validate() throws { try request.validate() }

    func run() throws { try request.run() }
}

/// One `searchdocs query` invocation: what QueryCommand's options say, as plain values, and its
/// run. `QueryRequest.quick` fills one in without ArgumentParser for plain argument lists.
struct QueryRequest {
    static let defaultLimit = 10

    var index: String? = nil
    var text: [String] = []
    var limit = QueryRequest.defaultLimit
    var offset = 0
    var json = false
    var stdin = false
    var explain = false
    var color: ColorChoice = .auto
    var highlightMarkers: String? = nil
    var org: String? = nil
    var since: String? = nil
    var until: String? = nil
    var sort: SortChoice = .relevance
    var facet: [FacetChoice] = []
    var allVersions = false

    var indexDirectory: String { index ?? IndexOptionGroup.defaultIndex }

    func validate() throws {
        if stdin {
            guard text.isEmpty else { throw ValidationError("give the query as TEXT or use --stdin, not both") }
        } else if text.allSatisfy(isBlank) { throw ValidationError("empty query: give the text to search for") }
        guard limit >= 0 else { throw ValidationError("--limit must not be negative") }
        guard offset >= 0 else { throw ValidationError("--offset must not be negative") }
        if let m = highlightMarkers, m.split(separator: ",", omittingEmptySubsequences: false).count != 2 {
            throw ValidationError("--highlight-markers takes OPEN,CLOSE (for example '<<,>>')")
        }
    }

    /// What every query of the invocation shares, `--stdin` or not: the page of hits, the
    /// explanation, versions and copies shown as one hit unless `--all-versions`, the filters
    /// (`--org`, `--since`, `--until`), the order and the facets.
    var searchOptions: SearchOptions {
        var opts = SearchOptions(limit: limit, offset: offset, explain: explain)
        opts.groupVersions = !allVersions
        opts.groupCopies = !allVersions
        opts.org = org
        opts.since = since
        opts.until = until
        opts.sort = sort == .date ? .date : .relevance
        opts.facets = facet.map { $0 == .org ? Facet.org : Facet.year }
        return opts
    }

    func run() throws {
        keepFreedMemoryForQueries()
        if stdin { return try runStdin() }
        let query = text.joined(separator: " ")
        let index = try openOrBuild()
        let results: SearchResults
        // One thread: a process that answers one query has no threads running yet, and starting
        // them (stacks, a malloc arena each) costs more than they save on ten hits' snippets or
        // one query's segments. Measured over the 43 benchmark keyword queries, cold processes
        // interleaved: median 11.3 → 10.7 ms, and no query slower beyond the noise (法 16.1 →
        // 14.0 ms). `--stdin` keeps the default: its threads live across the queries.
        var options = searchOptions
        options.threads = 1
        do {
            results = try index.search(query, options: options)
        } catch let e as QuerySyntaxError {
            warn("searchdocs: " + e.description)
            throw ExitCode(2)
        } catch {
            throw fail("\(error)")
        }
        var out = ""
        if json {
            for h in results.hits { out += JSONLines.line(for: h, total: results.total) + "\n" }
            if !results.facets.isEmpty { out += JSONLines.facetsLine(results.facets) + "\n" }
        } else {
            out = render(results)
        }
        Output.out(out)
        // The process ends here: the index's maps and caches go with it, rather than being torn
        // down one by one first (status 1 when nothing matched).
        exitProcess(results.total == 0 ? 1 : 0)
    }

    /// Opens the index; builds it first when it is the default index of the default corpus.
    /// Throws an ``ExitCode`` after printing one line for any failure.
    func openOrBuild() throws -> SearchIndex {
        do {
            return try openOrBuildIndex()
        } catch let code as ExitCode {
            throw code
        } catch {
            throw fail("\(error)")
        }
    }

    private func openOrBuildIndex() throws -> SearchIndex {
        let dir = indexDirectory
        if SearchIndex.exists(at: dir) { return try SearchIndex(directory: dir) }
        if index != nil {
            throw fail("no index at \(dir) (build one with: searchdocs index CORPUS --index \(dir))")
        }
        let corpus = IndexOptionGroup.defaultCorpus
        guard FileManager.default.fileExists(atPath: corpus) else {
            throw fail("no index at \(dir) and no \(corpus)/ folder here: run searchdocs index CORPUS")
        }
        warn("searchdocs: building the index of \(corpus)/ in \(dir)/ (first use)")
        _ = try IndexBuilder.build(corpus: corpus, directory: dir, warn: { warn("warning: " + $0) })
        return try SearchIndex(directory: dir)
    }

    private var style: HighlightStyle {
        let useColor: Bool
        switch color {
        case .always: useColor = true
        case .never: useColor = false
        case .auto:
            useColor = Output.isTerminal(1) && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
        }
        if useColor { return .ansi }
        if let m = highlightMarkers {
            let p = m.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return .markers(open: p[0], close: p[1])
        }
        return HighlightStyle.defaultMarkers
    }

    private func render(_ results: SearchResults) -> String {
        let formatter = SnippetFormatter(style: style)
        let bold = style == .ansi ? ("\u{1B}[1m", "\u{1B}[0m") : ("", "")
        var out = ""
        for h in results.hits {
            var meta: [String] = []
            if let o = h.metadata.publisher, !o.isEmpty { meta.append(o) }
            if let d = h.metadata.date, !d.isEmpty { meta.append(d) }
            out += "\(h.rank). \(bold.0)\(h.title)\(bold.1)\(meta.isEmpty ? "" : "  (" + meta.joined(separator: ", ") + ")")\n"
            out += "   \(h.path)  score \(fixed(h.score, 3))\(h.match == .words ? "  (matched by words)" : "")\n"
            for s in h.snippets { out += "   " + formatter.format(s) + "\n" }
            for e in h.explanation { out += "   │ " + e + "\n" }
            if !h.earlierVersions.isEmpty { out += "   earlier versions: " + h.earlierVersions.joined(separator: ", ") + "\n" }
            if !h.copies.isEmpty { out += "   same text: " + h.copies.joined(separator: ", ") + "\n" }
        }
        for (f, counts) in results.facets.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            out += "\(f.rawValue): " + counts.map { "\($0.value) \($0.count)" }.joined(separator: ", ") + "\n"
        }
        let shown = results.hits.count
        let noun = results.total == 1 ? "document matches" : "documents match"
        if results.total == 0 {
            out += "no document matches\n"
        } else if shown == 0 {
            out += "\(results.total) \(noun); none to show from \(offset + 1) on\n"
        } else if shown < results.total {
            out += "\(results.total) \(noun); showing \(offset + 1)–\(offset + shown)\n"
        } else {
            out += "\(results.total) \(noun)\n"
        }
        return out
    }
}

/// Whether `s` is empty or only white space as `CharacterSet.whitespaces` has it (tab and the
/// space separators), without Foundation's string bridging.
func isBlank(_ s: String) -> Bool {
    s.unicodeScalars.allSatisfy { $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }
}

