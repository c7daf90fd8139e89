/// Evaluates a parsed query over one snapshot: boolean matching per segment, BM25 over
/// index-wide statistics, ranking (title matches, score, path) and snippets.
struct Searcher {
    let index: SearchIndex
    let bm25 = BM25()

    /// One leaf of the query: a part to find.
    final class Part {
        let text: String
        let quoted: Bool
        let titleOnly: Bool
        let positive: Bool
        let needle: [UInt32]
        var words: [String] = []
        var wordsMode = false
        var requiredShare = 0.0
        var pairCount = 0
        /// Per segment, hits sorted by document.
        var hits: [[PartHit]] = []
        var df = 0

        init(text: String, quoted: Bool, titleOnly: Bool, positive: Bool) {
            self.text = text; self.quoted = quoted; self.titleOnly = titleOnly; self.positive = positive
            var n = TextNormalizer.matchScalars(of: text)
            // A phrase's edges are where the user typed them: drop edge spaces.
            while n.first == 0x20 { n.removeFirst() }
            while n.last == 0x20 { n.removeLast() }
            needle = n
        }
    }

    indirect enum Plan {
        case part(Int)
        case and([Plan])
        case or([Plan])
        case not(Plan)
    }

    func plan(_ node: QueryNode, positive: Bool, parts: inout [Part]) throws -> Plan {
        switch node {
        case .text(let t, let quoted):
            parts.append(Part(text: t, quoted: quoted, titleOnly: false, positive: positive))
            return .part(parts.count - 1)
        case .field(let name, let value, let quoted):
            guard name == "title" else { throw SearchError.unsupportedField(name) }
            parts.append(Part(text: value, quoted: quoted, titleOnly: true, positive: positive))
            return .part(parts.count - 1)
        case .and(let children):
            return .and(try children.map { try plan($0, positive: positive, parts: &parts) })
        case .or(let children):
            return .or(try children.map { try plan($0, positive: positive, parts: &parts) })
        case .not(let child):
            return .not(try plan(child, positive: !positive, parts: &parts))
        }
    }

    func run(_ node: QueryNode, options: SearchOptions) throws -> SearchResults {
        var parts: [Part] = []
        let plan = try plan(node, positive: true, parts: &parts)
        let segments = index.segments
        for p in parts {
            p.hits = try segments.map { try ExactMatcher.match(p.needle, in: $0, titleOnly: p.titleOnly) }
            p.df = p.hits.reduce(0) { $0 + $1.count }
            if p.df == 0 && !p.quoted && !p.titleOnly && p.positive {
                // No document contains the part exactly: rank by its words and characters.
                let (hits, plan) = try QuestionRanker(index: index, parameters: options.questionRanking).rank(p.text)
                p.wordsMode = true
                p.words = plan.words
                p.pairCount = plan.pairs.count
                p.requiredShare = options.questionRanking.minimumPairShare
                p.hits = hits
                p.df = hits.reduce(0) { $0 + $1.count }
            }
        }
        // Which documents match, per segment.
        struct Candidate {
            var segment: Int
            var doc: Int32
            var score: Double
            var titleMatches: Int
            var path: String?
        }
        var candidates: [Candidate] = []
        for (si, seg) in segments.enumerated() {
            let docs = evaluate(plan, parts: parts, segment: si, universe: Int32(seg.reader.docCount)).filter { !seg.isDeleted($0) }
            for d in docs {
                var score = 0.0, titles = 0
                for p in parts where p.positive {
                    guard let h = hit(p, segment: si, doc: d) else { continue }
                    score += try self.score(p, h, segment: seg)
                    if h.inTitle { titles += 1 }
                }
                candidates.append(Candidate(segment: si, doc: d, score: score, titleMatches: titles))
            }
        }
        // Only the number is wanted (a count): no order, no hits.
        if options.limit <= 0 { return SearchResults(total: candidates.count, hits: []) }
        func path(_ c: inout Candidate) throws -> String {
            if let p = c.path { return p }
            let p = try segments[c.segment].doc(Int(c.doc)).path
            c.path = p
            return p
        }
        // Ties need paths: fetch them for the candidates that tie with another.
        candidates.sort { ($0.titleMatches, $0.score) > ($1.titleMatches, $1.score) }
        var i = 0
        while i < candidates.count {
            var j = i + 1
            while j < candidates.count && candidates[j].titleMatches == candidates[i].titleMatches
                    && candidates[j].score == candidates[i].score { j += 1 }
            if j - i > 1 {
                for k in i..<j { _ = try path(&candidates[k]) }
                candidates[i..<j].sort { Array($0.path!.utf8).lexicographicallyPrecedes(Array($1.path!.utf8)) }
            }
            i = j
        }
        let wordsUsed = parts.contains { $0.wordsMode }
        var hits: [SearchHit] = []
        let start = min(max(options.offset, 0), candidates.count)
        let end = min(start + max(options.limit, 0), candidates.count)
        for (rank, c) in candidates[start..<end].enumerated() {
            let seg = segments[c.segment]
            let rec = try seg.doc(Int(c.doc))
            var snippets: [Snippet] = []
            if options.snippets {
                var needles: [[UInt32]] = []
                var hints: [Int32] = []
                for p in parts where p.positive {
                    if p.wordsMode {
                        needles += p.words.filter { $0.unicodeScalars.count > 1 || p.words.count == 1 }.map { TextNormalizer.matchScalars(of: $0) }
                    } else if let h = hit(p, segment: c.segment, doc: c.doc) {
                        needles.append(p.needle)
                        hints += h.positions
                    }
                }
                snippets = try SnippetBuilder(segment: seg.reader, record: rec)
                    .snippets(needles: needles, hints: hints, count: options.snippetsPerHit, length: options.snippetLength)
            }
            var explanation: [String] = []
            if options.explain {
                for p in parts where p.positive {
                    if let h = hit(p, segment: c.segment, doc: c.doc) { explanation += try explain(p, h, record: rec) }
                }
                explanation.append("rank by (parts in title \(c.titleMatches), score \(fmt(c.score)), path)")
            }
            hits.append(SearchHit(rank: start + rank + 1, score: c.score, path: rec.path, title: rec.title,
                                  match: wordsUsed ? .words : .exact, titleMatches: c.titleMatches,
                                  snippets: snippets, explanation: explanation))
        }
        return SearchResults(total: candidates.count, hits: hits)
    }

    private func hit(_ p: Part, segment: Int, doc: Int32) -> PartHit? {
        let list = p.hits[segment]
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid].doc < doc { lo = mid + 1 } else { hi = mid }
        }
        return lo < list.count && list[lo].doc == doc ? list[lo] : nil
    }

    private func evaluate(_ plan: Plan, parts: [Part], segment: Int, universe: Int32) -> [Int32] {
        switch plan {
        case .part(let i):
            return parts[i].hits[segment].map(\.doc)
        case .and(let children):
            var positives: [[Int32]] = []
            var negatives: [[Int32]] = []
            for c in children {
                if case .not(let inner) = c {
                    negatives.append(evaluate(inner, parts: parts, segment: segment, universe: universe))
                } else {
                    positives.append(evaluate(c, parts: parts, segment: segment, universe: universe))
                }
            }
            var acc = positives.isEmpty ? Array(0..<universe) : positives.removeFirst()
            var tmp: [Int32] = []
            for p in positives { ExactMatcher.intersect(acc, p, into: &tmp); swap(&acc, &tmp) }
            for n in negatives { acc = subtract(acc, n) }
            return acc
        case .or(let children):
            var set = Set<Int32>()
            for c in children { set.formUnion(evaluate(c, parts: parts, segment: segment, universe: universe)) }
            return set.sorted()
        case .not(let inner):
            return subtract(Array(0..<universe), evaluate(inner, parts: parts, segment: segment, universe: universe))
        }
    }

    private func subtract(_ a: [Int32], _ b: [Int32]) -> [Int32] {
        var out: [Int32] = []
        var j = 0
        for x in a {
            while j < b.count && b[j] < x { j += 1 }
            if j < b.count && b[j] == x { continue }
            out.append(x)
        }
        return out
    }

    private func score(_ p: Part, _ h: PartHit, segment: LiveSegment) throws -> Double {
        if p.wordsMode { return h.score }
        // Lengths do not change with renames: read the raw record.
        let rec = try segment.reader.doc(Int(h.doc))
        return bm25.score(tf: Int(h.tf), df: p.df, documents: index.documentCount, dl: Double(rec.charLength), avgdl: index.averageChars)
    }

    private func explain(_ p: Part, _ h: PartHit, record rec: DocRecord) throws -> [String] {
        let n = index.documentCount
        if p.wordsMode {
            return ["\(p.text): no document contains it exactly; ranked by its content (words \(p.words.joined(separator: " ")); \(h.tf) of \(p.pairCount) character pairs, at least \(Int(p.requiredShare * 100))% of their weight required) → \(fmt(h.score))"]
        }
        let s = bm25.score(tf: Int(h.tf), df: p.df, documents: n, dl: Double(rec.charLength), avgdl: index.averageChars)
        return ["\(p.text): exact, tf \(h.tf), df \(p.df) of \(n), idf \(fmt(bm25.idf(df: p.df, documents: n))), length \(rec.charLength) chars (avg \(fmt(index.averageChars))), k1 \(bm25.k1) b \(bm25.b) → \(fmt(s))\(h.inTitle ? ", in title" : "")"]
    }

    private func fmt(_ x: Double) -> String {
        let r = (x * 1000).rounded() / 1000
        return String(r)
    }
}

/// Problems with a query that parsed but cannot run.
public enum SearchError: Error, Sendable, CustomStringConvertible {
    /// A `name:value` part whose field the index does not have (only ``SearchIndex/fieldNames``
    /// are searchable). Happens with a ``QueryNode`` made by a ``QueryParser`` that knows other
    /// field names; a query given as text to `SearchIndex.search` never has it.
    case unsupportedField(String)

    /// `the field NAME: is not supported`.
    public var description: String {
        switch self {
        case .unsupportedField(let f): return "the field \(f): is not supported"
        }
    }
}
