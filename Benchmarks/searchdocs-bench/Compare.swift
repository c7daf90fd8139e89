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
        let (fa, fb) = Measure.interleaved(ia, ib, queries: keywords, rounds: rounds, snippets: snippets)
        let differing = keywords.indices.filter { fa.totals[$0] != fb.totals[$0] || fa.top[$0] != fb.top[$0] }.map { keywords[$0] }
        let sa = ia.statistics(), sb = ib.statistics()
        print("| query | A ms | B ms | B ÷ A |")
        print("|---|---:|---:|---:|")
        for (qi, q) in keywords.enumerated() {
            print("| \(q.count > 24 ? String(q.prefix(24)) + "…" : q) | \(Fmt.ms(fa.means[qi])) | \(Fmt.ms(fb.means[qi])) | \(String(format: "%.2f", fb.means[qi] / fa.means[qi])) |")
        }
        let ma = fa.means.reduce(0, +) / Double(fa.means.count), mb = fb.means.reduce(0, +) / Double(fb.means.count)
        print("")
        print("A: \(a) (\(sa.segments) segments, \(sa.documents) documents)")
        print("B: \(b) (\(sb.segments) segments, \(sb.documents) documents)")
        print("mean over \(keywords.count) queries × \(rounds) rounds: A \(Fmt.ms(ma)), B \(Fmt.ms(mb)), B ÷ A \(String(format: "%.2f", mb / ma))")
        print(differing.isEmpty ? "totals and top 10: identical" : "totals or top 10 differ: " + differing.joined(separator: ", "))
    }
}
