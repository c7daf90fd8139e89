#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SearchDocs

/// `searchdocs-bench`: the release benchmark of issue 5. searchdocs and SQLite FTS5 (trigram)
/// index the same documents and answer the same queries in one run; the report (Markdown, on
/// standard output) gives every figure with the FTS5 ratio and the goal beside it.
@main
struct Bench {
    static func main() {
        let args = Array(CommandLine.arguments.dropFirst())
        do {
            if args.first == "--fts5-build" {
                // The child that builds the FTS5 database (so its time and memory are its own).
                guard args.count == 3 else { throw BenchError("--fts5-build CORPUS DATABASE") }
                try FTS5.build(corpus: args[1], database: args[2])
                return
            }
            let options = try Options.parse(args)
            if let (a, b) = options.compare {
                try Compare.run(a, b, keywords: try Workload.keywords(options.keywords), rounds: options.rounds,
                                snippets: options.snippets)
                return
            }
            try Bench(options: options).run()
        } catch {
            progress("searchdocs-bench: \(error)")
            exit(2)
        }
    }

    let options: Options

    func run() throws {
        let o = options
        let loadAtStart = loadAverage()
        let selfPath = selfExecutable()
        let searchdocs = o.searchdocs.flatMap(realPath) ?? ((selfPath as NSString).deletingLastPathComponent + "/searchdocs")
        guard access(searchdocs, X_OK) == 0 else {
            throw BenchError("no searchdocs binary at \(displayPath(searchdocs)): build it first with `swift build -c release`")
        }
        let sqlite3 = o.sqlite3 ?? findOnPath("sqlite3")

        // Work folder: corpus links, both indexes.
        let work: String
        if let w = o.work {
            try FileManager.default.createDirectory(atPath: w, withIntermediateDirectories: true)
            guard (try FileManager.default.contentsOfDirectory(atPath: w)).isEmpty else { throw BenchError("--work \(w) is not empty") }
            work = realPath(w) ?? w
        } else {
            var template = Array((FileManager.default.temporaryDirectory.path + "/searchdocs-bench-XXXXXX").utf8CString)
            guard let p = mkdtemp(&template) else { throw BenchError("cannot make a temporary folder") }
            work = String(cString: p)
        }
        defer { if o.work == nil { try? FileManager.default.removeItem(atPath: work) } }

        let load = try Workload(options: o, corpusRoot: work + "/corpus")
        let corpusBytes = load.bytes
        progress("corpus: \(load.files.count) documents, \(Fmt.mb(corpusBytes)) (\(load.corpusNames.joined(separator: ", ")))")

        // 1. The bare ICU pass and 2. searchdocs index (a child process, from scratch), run by
        // run: each build right after an ICU pass, so that a busy spell of the machine weighs on
        // both figures of a run alike.
        let reader = DocumentReader()
        var texts: [[UInt16]] = []
        for f in load.files { if let t = try? reader.readText(at: f.source) { texts.append(Array(t.utf16)) } }
        let threads = IndexOptions().threads
        let runs = o.buildRuns
        var icu1: [Double] = [], icuN: [Double] = [], segs = 0
        let indexDir = work + "/index"
        var ix: [ChildResult] = []
        for r in 0..<runs {
            progress("ICU word break pass (run \(r + 1) of \(runs)) …")
            let (one, n) = try Measure.icuPass(texts, threads: 1)
            let (many, _) = try Measure.icuPass(texts, threads: threads)
            icu1.append(one); icuN.append(many); segs = n
            progress("searchdocs index (run \(r + 1) of \(runs)) …")
            try? FileManager.default.removeItem(atPath: indexDir)
            let c = try Child.run([searchdocs, "index", load.corpusRoot, "--index", indexDir],
                                  stdout: work + "/index.out", stderr: work + "/index.err")
            guard c.status == 0 else {
                throw BenchError("searchdocs index failed (\(c.status)): " + ((try? String(contentsOfFile: work + "/index.err", encoding: .utf8)) ?? ""))
            }
            ix.append(c)
        }
        texts = []
        let icu = ICUFigures(oneThread: Summary(icu1).p50, threads: threads, manyThreads: Summary(icuN).p50, segments: segs,
                             runs: (icu1, icuN))
        let index = try SearchIndex(directory: indexDir)
        let stats = index.statistics()
        let sd = BuildFigures(runs: ix, bytesOnDisk: folderSize(indexDir), documents: stats.documents, components: stats.components)

        // 3. FTS5 build, as a child process (this executable in its --fts5-build role), from scratch each run.
        let dbPath = work + "/fts5.db"
        var fx: [ChildResult] = []
        for r in 0..<runs {
            progress("FTS5 build (run \(r + 1) of \(runs)) …")
            try? FileManager.default.removeItem(atPath: dbPath)
            let c = try Child.run([selfPath, "--fts5-build", load.corpusRoot, dbPath], stdout: work + "/fts5.out", stderr: work + "/fts5.err")
            guard c.status == 0 else {
                throw BenchError("the FTS5 build failed (\(c.status)): " + ((try? String(contentsOfFile: work + "/fts5.err", encoding: .utf8)) ?? ""))
            }
            fx.append(c)
        }
        let ftsDocs = Int(((try? String(contentsOfFile: work + "/fts5.out", encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        let db = try SQLiteDB(path: dbPath)
        let fts = BuildFigures(runs: fx, bytesOnDisk: fileSize(dbPath) ?? 0, documents: ftsDocs, components: FTS5.components(of: db))

        // 4. Opening.
        var opens: [Double] = []
        for _ in 0..<21 {
            let t = Clock.now()
            _ = try SearchIndex(directory: indexDir)
            opens.append(Clock.seconds(since: t))
        }
        var ftsOpens: [Double] = []
        for _ in 0..<21 {
            let t = Clock.now()
            let c = try SQLiteDB(path: dbPath, readOnly: true)
            _ = try c.prepare("SELECT rowid FROM docs WHERE docs MATCH ?1")
            ftsOpens.append(Clock.seconds(since: t))
        }

        // 5. Warm queries, in process.
        progress("warm queries: \(load.keywords.count) keyword queries × \(o.rounds) rounds, \(load.questions.count) questions × \(o.questionRounds) rounds …")
        let sdKeywords = Measure.searchdocs(index, queries: load.keywords, literal: false, rounds: o.rounds)
        let sdQuestions = Measure.searchdocs(index, queries: load.questions.map(\.text), literal: true, rounds: o.questionRounds)
        let ftsKeywords = try Measure.fts5(db, keywords: load.keywords, rounds: o.rounds)
        let ftsQuestions = try Measure.fts5(db, questions: load.questions.map(\.text), rounds: o.questionRounds)

        // 6. Cold queries, one process each.
        progress("cold queries: \(load.keywords.count) processes × \(o.coldRounds) rounds per engine …")
        let (sdCold, sdColdFail) = try Measure.processes(
            load.keywords.map { [searchdocs, "query", "--index", indexDir, "--", $0] }, rounds: o.coldRounds, ok: [0, 1])
        let (sdStart, _) = try Measure.processes(Array(repeating: [searchdocs, "--help"], count: 10), rounds: 1, ok: [0])
        var ftsCold: [Double] = [], ftsColdFail: [String] = [], ftsStart: [Double] = []
        if let sqlite3 {
            (ftsCold, ftsColdFail) = try Measure.processes(
                load.keywords.map { [sqlite3, "-readonly", dbPath, FTSKeywordQuery($0).literalSQL] }, rounds: o.coldRounds, ok: [0])
            (ftsStart, _) = try Measure.processes(Array(repeating: [sqlite3, "-version"], count: 10), rounds: 1, ok: [0])
        }

        // 7. Incremental: 10 more documents per round.
        var sdAdd: [Double] = [], ftsAdd: [Double] = []
        var addedDocs = 0
        if o.incrementalRounds > 0 {
            let rounds = min(o.incrementalRounds, load.additions.count / 10)
            progress("incremental: \(rounds) rounds of 10 documents …")
            for r in 0..<rounds {
                let batch = try load.linkAdditions(round: r)
                let c = try Child.run([searchdocs, "index", load.corpusRoot, "--index", indexDir], stdout: "/dev/null", stderr: work + "/add.err")
                guard c.status == 0 else { throw BenchError("searchdocs index (round \(r)) failed (\(c.status))") }
                sdAdd.append(c.seconds)
                let t = Clock.now()
                try FTS5.add(batch.map { ($0.path, $0.source) }, to: db)
                ftsAdd.append(Clock.seconds(since: t))
                addedDocs += batch.count
            }
        }
        let afterAdd = (try? SearchIndex(directory: indexDir).documentCount) ?? 0

        // 8. Many single-document updates, then the keyword queries on that index and on a rebuilt one.
        var updates: UpdateFigures?
        if o.updates > 0 {
            progress("updates: \(o.updates) single-document updates, one commit each …")
            updates = try Updates.run(count: o.updates, load: load, indexDir: indexDir, work: work,
                                      searchdocs: searchdocs, rounds: o.rounds)
        }

        let report = Report(
            options: o, load: load, corpusBytes: corpusBytes, icu: icu, sd: sd, fts: fts,
            sdOpen: Summary(opens).p50, ftsOpen: Summary(ftsOpens).p50,
            sdKeywords: sdKeywords, ftsKeywords: ftsKeywords, sdQuestions: sdQuestions, ftsQuestions: ftsQuestions,
            sdCold: sdCold, ftsCold: ftsCold, sdStart: sdStart, ftsStart: ftsStart,
            coldFailures: sdColdFail + ftsColdFail, sqlite3: sqlite3,
            sdAdd: sdAdd, ftsAdd: ftsAdd, addedDocs: addedDocs, documentsAfterAdd: afterAdd, updates: updates,
            searchdocs: searchdocs, loadAverage: (loadAtStart, loadAverage()))
        print(report.render())
    }

    func findOnPath(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let p = dir + "/" + name
            if access(p, X_OK) == 0 { return p }
        }
        return nil
    }
}
