#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSQLite
import Foundation

/// The Markdown report of a run.
struct Report {
    var options: Options
    var load: Workload
    var corpusBytes: Int
    var icu: ICUFigures
    var sd: BuildFigures
    var fts: BuildFigures
    var sdOpen: Double
    var ftsOpen: Double
    var sdKeywords: QueryFigures
    var ftsKeywords: QueryFigures
    var sdQuestions: QueryFigures
    var ftsQuestions: QueryFigures
    var sdCold: [Double]
    var ftsCold: [Double]
    var sdStart: [Double]
    var ftsStart: [Double]
    var coldFailures: [String]
    var sqlite3: String?
    var sdAdd: [Double]
    var ftsAdd: [Double]
    var addedDocs: Int
    var documentsAfterAdd: Int
    var updates: UpdateFigures?
    var searchdocs: String
    var loadAverage: (start: String, end: String)

    private struct Row {
        var figure: String
        var sd: String
        var fts: String
        var ratio: String
        var goal: String
        var met: String
    }

    private func mbps(_ seconds: Double) -> Double { Double(corpusBytes) / 1e6 / seconds }

    func render() -> String {
        var rows: [Row] = []
        func row(_ figure: String, _ a: Double, _ b: Double?, _ f: (Double) -> String,
                 goal: String = "—", met: ((Double) -> Bool)? = nil, ratio: String? = nil) {
            let r = ratio ?? (b.map { Fmt.ratio(a, $0) } ?? "—")
            let m = met.map { a.isNaN ? "n/a" : ($0(a) ? "yes" : "**no**") } ?? "—"
            rows.append(Row(figure: figure, sd: f(a), fts: b.map(f) ?? "—", ratio: r, goal: goal, met: m))
        }
        let secs = { (x: Double) in Fmt.f(x, 2) + " s" }
        let rate = { (x: Double) in Fmt.f(x, 1) + " MB/s" }
        let mem = { (x: Double) in Fmt.f(x / 1e6, 0) + " MB" }
        let size = { (x: Double) in Fmt.f(x / 1e6, 1) + " MB" }
        let times = { (x: Double) in Fmt.ms(x) }
        let icuRate = mbps(icu.manyThreads)

        // Indexing.
        row("indexing: wall time", sd.seconds, fts.seconds, secs)
        row("indexing throughput, text stored (searchdocs \(icu.threads) threads, FTS5 1)", mbps(sd.seconds), mbps(fts.seconds), rate,
            goal: "≥ 25 MB/s", met: { $0 >= 25 })
        row("indexing: documents per second", Double(load.files.count) / sd.seconds, Double(load.files.count) / fts.seconds,
            { Fmt.f($0, 0) + " docs/s" })
        row("indexing throughput ÷ bare ICU word break on \(icu.threads) threads (\(Fmt.f(icuRate, 1)) MB/s)",
            mbps(sd.seconds) / icuRate, mbps(fts.seconds) / icuRate, { Fmt.f($0, 2) }, goal: "≥ 0.45", met: { $0 >= 0.45 })
        row("peak memory of the indexing process (RSS)", Double(sd.maxRSS), Double(fts.maxRSS), mem, goal: "≤ 200 MB", met: { $0 <= 200e6 })
        row("index size on disk", Double(sd.bytesOnDisk), Double(fts.bytesOnDisk), size)
        row("index size ÷ corpus size, stored text included", Double(sd.bytesOnDisk) / Double(corpusBytes),
            Double(fts.bytesOnDisk) / Double(corpusBytes), { Fmt.f($0, 2) }, goal: "≤ 1.1", met: { $0 <= 1.1 })

        // Warm queries.
        row("open the index (median of 20)", sdOpen, ftsOpen, times)
        let k = Summary(sdKeywords.samples), fk = Summary(ftsKeywords.samples)
        let nk = load.keywords.count
        row("warm keyword search, mean (\(nk) queries, top 10, no snippets)", k.mean, fk.mean, times, goal: "≤ 0.2 ms", met: { $0 <= 0.0002 })
        row("warm keyword search, p50", k.p50, fk.p50, times)
        row("warm keyword search, p95", k.p95, fk.p95, times, goal: "≤ 0.5 ms", met: { $0 <= 0.0005 })
        row("warm keyword search, p99", k.p99, fk.p99, times)
        let sn = Summary(sdKeywords.snippetMeans.compactMap { $0 })
        let fsn = Summary(ftsKeywords.snippetMeans.compactMap { $0 })
        let both = zip(sdKeywords.snippetMeans, ftsKeywords.snippetMeans).compactMap { a, b -> (Double, Double)? in
            guard let a, let b else { return nil }
            return (a, b)
        }
        let bothRatio = both.isEmpty ? "n/a"
            : Fmt.ratio(both.map(\.0).reduce(0, +), both.map(\.1).reduce(0, +)) + " (on the \(both.count) queries both snippet)"
        row("snippets for the top 10, mean over keyword queries with hits", sn.mean, fsn.mean, times, goal: "≤ 1 ms", met: { $0 <= 0.001 }, ratio: bothRatio)
        row("snippets for the top 10, p95 over keyword queries with hits", sn.p95, fsn.p95, times, goal: "≤ 1 ms", met: { $0 <= 0.001 })
        if !load.questions.isEmpty {
            let q = Summary(sdQuestions.samples), fq = Summary(ftsQuestions.samples)
            let nq = load.questions.count
            row("warm question search, mean (\(nq) questions, top 10, no snippets)", q.mean, fq.mean, times)
            row("warm question search, p50", q.p50, fq.p50, times)
            row("warm question search, p95", q.p95, fq.p95, times)
            row("warm question search, p99", q.p99, fq.p99, times)
            let qs = Summary(sdQuestions.snippetMeans.compactMap { $0 }), fqs = Summary(ftsQuestions.snippetMeans.compactMap { $0 })
            row("snippets for the top 10, mean over questions", qs.mean, fqs.mean, times)
            if !load.qrels.isEmpty {
                row("questions: MRR@10 (answer quality, not speed)", mrr(sdQuestions), mrr(ftsQuestions), { Fmt.f($0, 3) })
            }
        }

        // Cold queries.
        let c = Summary(sdCold), fc = Summary(ftsCold)
        let haveCLI = sqlite3 != nil
        row("cold query process end to end, median (\(nk) queries × \(options.coldRounds))", c.p50, haveCLI ? fc.p50 : nil, times,
            goal: "≤ 8 ms", met: { $0 <= 0.008 })
        row("cold query process end to end, p95", c.p95, haveCLI ? fc.p95 : nil, times)
        row("process start floor, median (`searchdocs --help` / `sqlite3 -version`)", Summary(sdStart).p50,
            haveCLI ? Summary(ftsStart).p50 : nil, times)

        // Incremental.
        if !sdAdd.isEmpty {
            let a = Summary(sdAdd), fa = Summary(ftsAdd)
            row("add 10 documents to the built index, p95 (\(sdAdd.count) rounds, merges included)",
                a.p95, fa.p95, secs, goal: "≤ 0.3 s", met: { $0 <= 0.3 })
            row("add 10 documents, median", a.p50, fa.p50, secs)
        }

        var out = "# searchdocs benchmark\n\n"
        out += machine() + "\n"
        out += "- command: `swift build -c release && swift run -c release searchdocs-bench"
            + (CommandLine.arguments.count > 1 ? " " + CommandLine.arguments.dropFirst().joined(separator: " ") : "") + "`\n"
        out += "- searchdocs binary: `\(displayPath(searchdocs))`; SQLite \(SQLiteDB.version) (system libsqlite3)"
            + (sqlite3 != nil ? ", sqlite3 command line for the cold FTS5 queries" : ", no sqlite3 command line: cold FTS5 queries skipped (apt-get install sqlite3)") + "\n"
        out += "- corpus: \(load.files.count) documents, \(Fmt.mb(corpusBytes)) (MB = 10⁶ bytes) from "
            + options.corpora.map { "`\($0)`" }.joined(separator: ", ") + "\n"
        out += "- indexed: searchdocs \(sd.documents) documents, FTS5 \(fts.documents)\n"
        out += "- queries: \(load.keywords.count) keyword queries from `\(options.keywords)`"
            + (load.questions.isEmpty ? "" : ", the first \(load.questions.count) questions of `\(options.questions)`") + "\n\n"
        out += "ratio = searchdocs ÷ FTS5 (for MB/s and docs/s above 1 is better for searchdocs; for times, memory and sizes below 1 is).\n\n"
        out += "| figure | searchdocs | FTS5 | ratio | goal | met? |\n|---|---:|---:|---:|---|---|\n"
        for r in rows { out += "| \(r.figure) | \(r.sd) | \(r.fts) | \(r.ratio) | \(r.goal) | \(r.met) |\n" }

        out += "\n## Index size by component\n\n| searchdocs component | size | ÷ corpus |\n|---|---:|---:|\n"
        for comp in sd.components {
            out += "| \(comp.name) | \(Fmt.mb(comp.bytes)) | \(Fmt.f(Double(comp.bytes) / Double(corpusBytes), 3)) |\n"
        }
        out += "| manifest and rest | \(Fmt.mb(sd.bytesOnDisk - sd.components.reduce(0) { $0 + $1.bytes })) | |\n"
        if !fts.components.isEmpty {
            out += "\n| FTS5 table (dbstat) | size | ÷ corpus |\n|---|---:|---:|\n"
            let what = ["docs_content": "stored text (path, body)", "docs_data": "trigram index (b-tree leaves and doclists)",
                        "docs_idx": "segment index", "docs_docsize": "token counts per document", "docs_config": "configuration"]
            for comp in fts.components {
                let label = what[comp.name].map { "\(comp.name): \($0)" } ?? comp.name
                out += "| \(label) | \(Fmt.mb(comp.bytes)) | \(Fmt.f(Double(comp.bytes) / Double(corpusBytes), 3)) |\n"
            }
        }

        out += "\n## Runs of the ICU pass and the index builds (medians in the table)\n\n"
        func list(_ xs: [Double]) -> String { xs.map { Fmt.f($0, 2) }.joined(separator: ", ") + " s" }
        out += "- 1 thread: \(Fmt.f(mbps(icu.oneThread), 1)) MB/s (runs: \(list(icu.runs.one))); \(icu.threads) threads: \(Fmt.f(icuRate, 1)) MB/s (runs: \(list(icu.runs.many))); \(icu.segments) segments\n"
        out += "- index builds (wall time per run): searchdocs \(list(sd.runSeconds)); FTS5 \(list(fts.runSeconds))\n"

        out += "\n## Keyword queries: hits of both engines\n\n"
        out += "Total matching documents per query (a fast empty answer is not speed). FTS5 runs parts of 3 or more characters as MATCH phrases and shorter parts as `instr()` over every stored text.\n\n"
        out += "searchdocs matches a part that occurs nowhere exactly by its words instead (`words` below); FTS5 has no such fallback, so those counts differ by design.\n\n"
        out += "| query | searchdocs hits | searchdocs match | FTS5 hits | FTS5 runs it as | searchdocs warm mean | FTS5 warm mean | searchdocs snippets |\n|---|---:|---|---:|---|---:|---:|---:|\n"
        for (i, q) in load.keywords.enumerated() {
            let a = sdKeywords.totals[i].map(String.init) ?? "error"
            let b = ftsKeywords.totals[i].map(String.init) ?? "error"
            let sm = i < sdKeywords.means.count ? Fmt.ms(sdKeywords.means[i]) : "n/a"
            let fm = i < ftsKeywords.means.count ? Fmt.ms(ftsKeywords.means[i]) : "n/a"
            let ss = i < sdKeywords.snippetMeans.count ? (sdKeywords.snippetMeans[i].map(Fmt.ms) ?? "n/a") : "n/a"
            let kind = i < sdKeywords.kinds.count ? (sdKeywords.kinds[i] ?? "—") : "—"
            out += "| \(q) | \(a) | \(kind) | \(b) | \(FTSKeywordQuery(q).method) | \(sm) | \(fm) | \(ss) |\n"
        }
        let differ = load.keywords.indices.filter { sdKeywords.totals[$0] != ftsKeywords.totals[$0] }
        let byWords = differ.filter { sdKeywords.kinds[$0] == "words" }.count
        out += "\n\(differ.count) of \(load.keywords.count) keyword queries have different hit counts"
            + (differ.isEmpty ? "" : ", \(byWords) of them matched by words in searchdocs") + ".\n"

        if !load.questions.isEmpty {
            func answered(_ f: QueryFigures) -> Int { f.totals.filter { ($0 ?? 0) > 0 }.count }
            func medianHits(_ f: QueryFigures) -> String { Fmt.f(Summary(f.totals.compactMap { $0 }.map(Double.init)).p50, 0) }
            out += "\n## Questions\n\n"
            out += "- searchdocs: \(answered(sdQuestions)) of \(load.questions.count) questions have hits, median \(medianHits(sdQuestions)) matching documents"
                + (load.qrels.isEmpty ? "" : ", answer in the top 10 for \(inTop10(sdQuestions))") + "\n"
            out += "- FTS5: \(answered(ftsQuestions)) of \(load.questions.count), median \(medianHits(ftsQuestions)) matching documents"
                + (load.qrels.isEmpty ? "" : ", answer in the top 10 for \(inTop10(ftsQuestions))") + "\n"
        }

        if let u = updates {
            let a = Summary(u.updated.samples), b = Summary(u.rebuilt.samples), c = Summary(u.commitSeconds)
            out += "\n## Query speed after \(u.count) single-document updates\n\n"
            out += "Each update replaces one document through the library and commits (merges included): "
                + "median \(Fmt.ms(c.p50)), p95 \(Fmt.ms(c.p95)), max \(Fmt.ms(c.max)). The queries run on both "
                + "indexes interleaved, query by query, \(3 * options.rounds) timed rounds.\n\n"
            out += "| warm keyword search (\(load.keywords.count) queries, top 10, no snippets) | after the updates (\(u.segmentsAfterUpdates) segments) | rebuilt from the same files (\(u.segmentsRebuilt) segments) | ratio |\n|---|---:|---:|---:|\n"
            out += "| mean | \(Fmt.ms(a.mean)) | \(Fmt.ms(b.mean)) | \(Fmt.ratio(a.mean, b.mean)) |\n"
            out += "| p50 | \(Fmt.ms(a.p50)) | \(Fmt.ms(b.p50)) | \(Fmt.ratio(a.p50, b.p50)) |\n"
            out += "| p95 | \(Fmt.ms(a.p95)) | \(Fmt.ms(b.p95)) | \(Fmt.ratio(a.p95, b.p95)) |\n"
            out += "| p99 | \(Fmt.ms(a.p99)) | \(Fmt.ms(b.p99)) | \(Fmt.ratio(a.p99, b.p99)) |\n\n"
            out += u.differing.isEmpty
                ? "Every keyword query has the same total and the same top 10 on both indexes.\n"
                : "Queries whose total or top 10 differ between the two indexes: " + u.differing.joined(separator: ", ") + "\n"
        }

        if !coldFailures.isEmpty {
            out += "\n## Problems\n\n" + coldFailures.map { "- \($0)\n" }.joined()
        }

        out += "\n## How it was measured\n\n"
        let dictionaryNote = load.dictionary.map { "the user dictionary `\($0)` as the work corpus's `.searchdocs/dictionary.txt`" }
            ?? "no user dictionary (`--no-dict`)"
        out += """
        - Indexing: the release `searchdocs index` runs as a child process over a work folder that links every document file, \
        from scratch, \(options.buildRuns) time(s); wall time from spawn to exit (the median of the runs), peak memory = the \
        child's `ru_maxrss` from `wait4` (the largest of the runs). As shipped: folding on, and \(dictionaryNote). \
        FTS5: this executable runs as a child \
        (`--fts5-build`), reads the same files with the library's DocumentReader and inserts path and text into \
        `CREATE VIRTUAL TABLE docs USING fts5(path UNINDEXED, body, tokenize='trigram')` in one transaction (default pragmas; \
        FTS5 builds on one thread). Sizes: all files of the index folder; the database file.
        - Bare ICU pass: the texts are read and decoded to UTF-16 before the clock starts; then the library's `WordBreaker` \
        (ICU word break, locale zh; without the memory of Han runs the indexer's breakers keep, so that every character goes \
        through ICU) segments each whole document, threads taking documents from a shared counter; the median \
        of \(options.buildRuns) run(s) on 1 thread and on as many threads as the indexer uses. Each run of the pass comes right \
        before a run of the index build, so that the machine's load weighs on both alike.
        - Warm queries: one `SearchIndex`, opened once. Each round runs every query without snippets, then with snippets \
        (`SearchOptions.snippets`); round 0 warms up and is not counted; \(options.rounds) timed rounds for keywords, \
        \(options.questionRounds) for questions. Search figures pool every timed run. Snippets = per query, median time with \
        snippets − median time without (up to 2 snippets of about 100 characters per hit); mean and p95 over queries. Questions run \
        with `SearchOptions.literal = true`.
        - FTS5 warm queries: prepare, bind and step to the end of one statement that returns the top 10 (by `rank`, FTS5's bm25, \
        when there is a MATCH part) and the total (`count(*) OVER ()`), as searchdocs returns its top 10 and total. Parts shorter \
        than 3 characters use `instr(body, part) > 0`, a scan of every stored text. Questions: the OR of the question's distinct \
        trigrams (runs of letters and digits), ranked by bm25 — trigram MATCH cannot take a question that is not a substring. \
        FTS5 snippets: `snippet(docs, 1, …, 64)` for each hit by rowid, only for queries with a MATCH part.
        - Cold queries: `searchdocs query --index DIR -- QUERY` (10 hits with snippets) and `sqlite3 -readonly DB "<the warm \
        statement>"` (top 10 paths and the total, no snippets), output to /dev/null; every command runs once to warm the page \
        cache, then \(options.coldRounds) timed round(s); median and p95 over all runs.
        - Incremental: each round links 10 more documents (from `\(options.addFrom)`) into the corpus folder and runs \
        `searchdocs index` on it again: a process that checks every file of the corpus for changes, analyzes the 10 new ones, \
        writes a segment, merges small segments when its policy says so and commits. FTS5: INSERT of the same 10 documents in one \
        transaction. Documents in the index after the rounds: \(documentsAfterAdd) (\(addedDocs) added).

        """
        return out
    }

    private func mrr(_ f: QueryFigures) -> Double {
        var sum = 0.0
        for (i, q) in load.questions.enumerated() where i < f.top.count {
            sum += reciprocalRank(f.top[i], relevant: load.qrels[q.id] ?? [])
        }
        return sum / Double(max(1, load.questions.count))
    }

    private func inTop10(_ f: QueryFigures) -> Int {
        load.questions.enumerated().filter { i, q in
            i < f.top.count && reciprocalRank(f.top[i], relevant: load.qrels[q.id] ?? []) > 0
        }.count
    }

    /// Date, processors, CPU model, memory, system.
    private func machine() -> String {
        func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        func field(_ text: String, _ key: String) -> String? {
            for line in text.split(separator: "\n") where line.hasPrefix(key) {
                if let i = line.firstIndex(where: { $0 == ":" || $0 == "=" }) {
                    return line[line.index(after: i)...].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                }
            }
            return nil
        }
        let cpu = field(read("/proc/cpuinfo"), "model name") ?? "unknown CPU"
        let memKB = Double(field(read("/proc/meminfo"), "MemTotal")?.split(separator: " ").first ?? "") ?? 0
        let os = field(read("/etc/os-release"), "PRETTY_NAME") ?? "unknown system"
        var u = utsname()
        uname(&u)
        let kernel = withUnsafeBytes(of: u.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let date = ISO8601DateFormatter().string(from: Date())
        return "- date: \(date)\n- machine: \(ProcessInfo.processInfo.activeProcessorCount) processors (nproc), \(cpu), "
            + "\(Fmt.f(memKB / 1_048_576, 1)) GiB RAM; \(os), Linux \(kernel)\n"
            + "- load average (1 min) at the start \(loadAverage.start), at the end \(loadAverage.end) (other work on the machine skews the figures)"
    }
}
