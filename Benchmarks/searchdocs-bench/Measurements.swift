#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SearchDocs

/// Per-query figures of one engine.
struct QueryFigures {
    /// Every timed run of the search alone (no snippets), pooled over queries and rounds.
    var samples: [Double] = []
    /// Per query: the time of the snippets for its hits (searchdocs: median with snippets −
    /// median without; FTS5: mean of the snippet() calls).
    var snippetMeans: [Double?] = []
    /// Per query: the mean search time.
    var means: [Double] = []
    /// Per query: how many documents match (nil when the engine cannot run the query).
    var totals: [Int?] = []
    /// Per query: the top hits' paths.
    var top: [[String]] = []
    /// Per query: how searchdocs matched (`exact` or `words`; nil without hits or for FTS5).
    var kinds: [String?] = []
}

/// The figures of the bare ICU pass.
struct ICUFigures {
    var oneThread: Double
    var threads: Int
    var manyThreads: Double
    var segments: Int
    /// Every run's seconds (the figures above are their medians).
    var runs: (one: [Double], many: [Double])
}

/// What the index builds did (each run from scratch; the last one's index is measured).
struct BuildFigures {
    /// Median wall time of the runs.
    var seconds: Double
    /// The largest peak resident set of the runs.
    var maxRSS: Int
    var runSeconds: [Double]
    var bytesOnDisk: Int
    var documents: Int
    var components: [(name: String, bytes: Int)]

    init(runs: [ChildResult], bytesOnDisk: Int, documents: Int, components: [(name: String, bytes: Int)]) {
        seconds = Summary(runs.map(\.seconds)).p50
        maxRSS = runs.map(\.maxRSS).max() ?? 0
        runSeconds = runs.map(\.seconds)
        self.bytesOnDisk = bytesOnDisk
        self.documents = documents
        self.components = components
    }
}

/// The measurements, phase by phase.
enum Measure {
    /// ICU word break alone over the texts (decoded to UTF-16 beforehand), on `threads` threads
    /// taking documents from a shared counter. Returns seconds and the segment count.
    static func icuPass(_ texts: [[UInt16]], threads: Int) throws -> (Double, Int) {
        final class Shared: @unchecked Sendable {
            let lock = NSLock()
            var next = 0
            var segments = 0
            var failed = false
        }
        let shared = Shared()
        let start = Clock.now()
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            // ICU alone: a breaker that never remembers runs (the indexer's does).
            guard let breaker = try? WordBreaker(rememberAfter: -1) else {
                shared.lock.withLock { shared.failed = true }
                return
            }
            var count = 0
            while true {
                let i: Int = shared.lock.withLock { shared.next += 1; return shared.next - 1 }
                guard i < texts.count else { break }
                count += texts[i].withUnsafeBufferPointer { breaker.segment($0) }
            }
            shared.lock.withLock { shared.segments += count }
        }
        let seconds = Clock.seconds(since: start)
        if shared.failed { throw BenchError("ICU word break is not available") }
        return (seconds, shared.segments)
    }

    /// Times searchdocs over `queries`, in process with the index open: each round runs each
    /// query without snippets, then with snippets; round 0 warms up and is not counted.
    static func searchdocs(_ index: SearchIndex, queries: [String], literal: Bool, rounds: Int) -> QueryFigures {
        var plain = SearchOptions()
        plain.limit = 10
        plain.snippets = false
        plain.literal = literal
        var withSnippets = plain
        withSnippets.snippets = true
        var fig = QueryFigures()
        var plainTimes = [[Double]](repeating: [], count: queries.count)
        var snippetTimes = [[Double]](repeating: [], count: queries.count)
        fig.totals = [Int?](repeating: nil, count: queries.count)
        fig.top = [[String]](repeating: [], count: queries.count)
        fig.kinds = [String?](repeating: nil, count: queries.count)
        for round in 0...rounds {
            for (qi, q) in queries.enumerated() {
                let t0 = Clock.now()
                let r = try? index.search(q, options: plain)
                let t1 = Clock.now()
                let rs = try? index.search(q, options: withSnippets)
                let t2 = Clock.now()
                guard let r, let rs else { continue }
                if round == 0 {
                    fig.totals[qi] = r.total
                    fig.top[qi] = r.hits.map(\.path)
                    fig.kinds[qi] = r.hits.first?.match.rawValue
                    if rs.hits.map(\.path) != fig.top[qi] { progress("warning: \(q): the hits differ with snippets") }
                    continue
                }
                plainTimes[qi].append(Double(t1 - t0) / 1e9)
                snippetTimes[qi].append(Double(t2 - t1) / 1e9)
            }
        }
        for qi in queries.indices {
            guard !plainTimes[qi].isEmpty else { fig.means.append(.nan); fig.snippetMeans.append(nil); continue }
            fig.samples += plainTimes[qi]
            let m = plainTimes[qi].reduce(0, +) / Double(plainTimes[qi].count)
            fig.means.append(m)
            // Medians: one preempted run must not make a query's snippets look free or dear.
            let snippets = Summary(snippetTimes[qi]).p50 - Summary(plainTimes[qi]).p50
            // Without hits there are no snippets to time (the difference would be noise).
            fig.snippetMeans.append((fig.totals[qi] ?? 0) > 0 ? snippets : nil)
        }
        return fig
    }

    /// Times the same queries on two indexes of the same documents (with snippets if asked), interleaved
    /// query by query and alternating which index goes first, so that a busy moment of the
    /// machine or a cache warmed by the other weighs on both alike; round 0 warms up and records
    /// totals and top 10.
    static func interleaved(_ a: SearchIndex, _ b: SearchIndex, queries: [String], rounds: Int,
                            snippets: Bool = false) -> (QueryFigures, QueryFigures) {
        var options = SearchOptions()
        options.limit = 10
        options.snippets = snippets
        var figures = [QueryFigures(), QueryFigures()]
        var times = [[[Double]]](repeating: [[Double]](repeating: [], count: queries.count), count: 2)
        for k in 0..<2 {
            figures[k].totals = [Int?](repeating: nil, count: queries.count)
            figures[k].top = [[String]](repeating: [], count: queries.count)
            figures[k].kinds = [String?](repeating: nil, count: queries.count)
        }
        let indexes = [a, b]
        for round in 0...rounds {
            for (qi, q) in queries.enumerated() {
                for k in ((round + qi) % 2 == 0 ? [0, 1] : [1, 0]) {
                    let t = Clock.now()
                    let r = try? indexes[k].search(q, options: options)
                    let seconds = Clock.seconds(since: t)
                    if round == 0 {
                        figures[k].totals[qi] = r?.total
                        figures[k].top[qi] = r?.hits.map(\.path) ?? []
                        figures[k].kinds[qi] = r?.hits.first?.match.rawValue
                    } else if r != nil {
                        times[k][qi].append(seconds)
                    }
                }
            }
        }
        for k in 0..<2 {
            for qi in queries.indices {
                figures[k].samples += times[k][qi]
                figures[k].means.append(times[k][qi].isEmpty ? .nan : times[k][qi].reduce(0, +) / Double(times[k][qi].count))
                figures[k].snippetMeans.append(nil)
            }
        }
        return (figures[0], figures[1])
    }

    /// Times FTS5 over `queries` (translated, see FTSKeywordQuery and FTSQuestionQuery): each
    /// round prepares, binds and steps the statement to its end (top 10 and the total in one
    /// statement), then makes one snippet for each of the hits when the query has a MATCH part;
    /// round 0 warms up and is not counted.
    static func fts5(_ db: SQLiteDB, keywords: [String]? = nil, questions: [String]? = nil, rounds: Int) throws -> QueryFigures {
        struct Prepared { var sql: String; var match: String?; var bind: (Statement) -> Void }
        var prepared: [Prepared?] = []
        if let keywords {
            for k in keywords {
                let q = FTSKeywordQuery(k)
                prepared.append(Prepared(sql: q.sql, match: q.match, bind: q.bind))
            }
        }
        if let questions {
            for text in questions {
                let q = FTSQuestionQuery(text)
                if let m = q.match {
                    prepared.append(Prepared(sql: FTSQuestionQuery.sql, match: m, bind: { $0.bind(1, m) }))
                } else {
                    prepared.append(nil)
                }
            }
        }
        let snippetSQL = "SELECT snippet(docs, 1, '⟦', '⟧', '…', 64) FROM docs WHERE docs MATCH ?1 AND rowid = ?2"
        var fig = QueryFigures()
        var times = [[Double]](repeating: [], count: prepared.count)
        var snippetTimes = [[Double]](repeating: [], count: prepared.count)
        fig.totals = [Int?](repeating: nil, count: prepared.count)
        fig.top = [[String]](repeating: [], count: prepared.count)
        for round in 0...rounds {
            for (qi, p) in prepared.enumerated() {
                guard let p else { fig.totals[qi] = 0; continue }
                var rowids: [Int64] = []
                var paths: [String] = []
                var total = 0
                let t0 = Clock.now()
                do {
                    let s = try db.prepare(p.sql)
                    p.bind(s)
                    while try s.step() {
                        rowids.append(s.int64(0))
                        paths.append(s.text(1))
                        total = Int(s.int64(2))
                    }
                }
                let t1 = Clock.now()
                var snippetTime: Double?
                if let m = p.match, !rowids.isEmpty {
                    var chars = 0
                    let t2 = Clock.now()
                    let s = try db.prepare(snippetSQL)
                    for id in rowids {
                        s.bind(1, m)
                        s.bind(2, id)
                        if try s.step() { chars += s.text(0).count }
                        s.reset()
                    }
                    snippetTime = Clock.seconds(since: t2)
                    if chars == 0 { snippetTime = nil }
                }
                if round == 0 {
                    fig.totals[qi] = total
                    fig.top[qi] = paths
                    continue
                }
                times[qi].append(Double(t1 - t0) / 1e9)
                if let st = snippetTime { snippetTimes[qi].append(st) }
            }
        }
        for qi in prepared.indices {
            guard !times[qi].isEmpty else { fig.means.append(.nan); fig.snippetMeans.append(nil); continue }
            fig.samples += times[qi]
            fig.means.append(times[qi].reduce(0, +) / Double(times[qi].count))
            fig.snippetMeans.append(snippetTimes[qi].isEmpty ? nil : snippetTimes[qi].reduce(0, +) / Double(snippetTimes[qi].count))
        }
        return fig
    }

    /// Runs each command once to warm the page cache, then `rounds` times timed; returns the
    /// timed wall times and the commands that exited with a status not in `ok`.
    static func processes(_ commands: [[String]], rounds: Int, ok: Set<Int32>) throws -> ([Double], [String]) {
        var samples: [Double] = []
        var failures: [String] = []
        for round in 0...rounds {
            for c in commands {
                let r = try Child.run(c)
                if round == 0 {
                    if !ok.contains(r.status) { failures.append("\(c.last ?? ""): exit status \(r.status)") }
                    continue
                }
                samples.append(r.seconds)
            }
        }
        return (samples, failures)
    }
}
