import Foundation
import SearchDocs

/// `searchdocs-bench --compare INDEX_A INDEX_B [--snippets] [--keywords FILE] [--rounds N]`: the keyword
/// queries, warm (with their snippets if asked), on two indexes of the same documents, interleaved query by query so that a
/// busy moment of the machine weighs on both alike. Prints each query's mean time on each
/// index and their ratio, the overall means, and any query whose total or top 10 differ; this
/// is how a slowdown (after many updates, after a format change) is pinned to the queries that
/// carry it.
enum Compare {
    static func run(_ a: String, _ b: String, keywords: [String], rounds: Int, snippets: Bool) throws {
        let ia = try SearchIndex(directory: a), ib = try SearchIndex(directory: b)
        var options = SearchOptions()
        options.limit = 10
        options.snippets = snippets
        var times = [[Double]](repeating: [], count: keywords.count * 2)
        var differing: [String] = []
        for round in 0...rounds {
            for (qi, q) in keywords.enumerated() {
                // Alternate which index goes first, so that neither always finds the caches warm.
                let order = (round + qi) % 2 == 0 ? [(0, ia), (1, ib)] : [(1, ib), (0, ia)]
                var results: [SearchResults?] = [nil, nil]
                for (k, index) in order {
                    let t = Clock.now()
                    results[k] = try? index.search(q, options: options)
                    if round > 0 { times[qi * 2 + k].append(Clock.seconds(since: t)) }
                }
                if round == 0 && (results[0]?.total != results[1]?.total
                                  || results[0]?.hits.map(\.path) != results[1]?.hits.map(\.path)) {
                    differing.append(q)
                }
            }
        }
        let sa = ia.statistics(), sb = ib.statistics()
        print("| query | A ms | B ms | B ÷ A |")
        print("|---|---:|---:|---:|")
        var meansA: [Double] = [], meansB: [Double] = []
        for (qi, q) in keywords.enumerated() {
            let ma = Summary(times[qi * 2]).mean, mb = Summary(times[qi * 2 + 1]).mean
            meansA.append(ma); meansB.append(mb)
            print("| \(q.count > 24 ? String(q.prefix(24)) + "…" : q) | \(Fmt.ms(ma)) | \(Fmt.ms(mb)) | \(String(format: "%.2f", mb / ma)) |")
        }
        let ma = meansA.reduce(0, +) / Double(meansA.count), mb = meansB.reduce(0, +) / Double(meansB.count)
        print("")
        print("A: \(a) (\(sa.segments) segments, \(sa.documents) documents)")
        print("B: \(b) (\(sb.segments) segments, \(sb.documents) documents)")
        print("mean over \(keywords.count) queries × \(rounds) rounds: A \(Fmt.ms(ma)), B \(Fmt.ms(mb)), B ÷ A \(String(format: "%.2f", mb / ma))")
        print(differing.isEmpty ? "totals and top 10: identical" : "totals or top 10 differ: " + differing.joined(separator: ", "))
    }
}
