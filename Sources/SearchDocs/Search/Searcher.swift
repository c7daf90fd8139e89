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
        /// A metadata condition instead of text (never scored).
        var filter: FieldFilter?
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
            if name == "title" {
                parts.append(Part(text: value, quoted: quoted, titleOnly: true, positive: positive))
            } else {
                let p = Part(text: value, quoted: quoted, titleOnly: false, positive: false)
                p.filter = try FieldFilter(name: name, value: value)
                parts.append(p)
            }
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
        var plan = try plan(node, positive: true, parts: &parts)
        // Filters given as options are ANDed to the query.
        var extra: [FieldFilter] = []
        if let org = options.org { extra.append(.org(org)) }
        if options.since != nil || options.until != nil {
            func bound(_ v: String?) throws -> String? {
                guard let v else { return nil }
                guard let b = FieldFilter.dateBounds(v) else { throw SearchError.badFieldValue(field: "date", value: v) }
                return b.0
            }
            extra.append(.date(lower: try bound(options.since), upper: try bound(options.until).map { $0 + "~" }))
        }
        for f in extra {
            let p = Part(text: "", quoted: false, titleOnly: false, positive: false)
            p.filter = f
            parts.append(p)
            plan = .and([plan, .part(parts.count - 1)])
        }
        let segments = index.segments
        let aliases = index.aliases
        for p in parts {
            if let f = p.filter {
                p.hits = try segments.map { seg in
                    try (0..<Int32(seg.reader.docCount)).compactMap { d throws(IndexError) -> PartHit? in
                        guard !seg.isDeleted(d), f.matches(try seg.reader.doc(Int(d)).metadata, aliases: aliases) else { return nil }
                        return PartHit(doc: d, tf: 0, inTitle: false, positions: [], wordTFs: [], score: 0)
                    }
                }
                p.df = p.hits.reduce(0) { $0 + $1.count }
                continue
            }
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
        if options.limit <= 0 && options.facets.isEmpty { return SearchResults(total: candidates.count, hits: []) }
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
        // Metadata of every match, when ordering, facets or versions need it.
        let versionsPossible = options.groupVersions && segments.contains { $0.reader.withIndexNumber > 0 }
        let needMeta = options.sort == .date || !options.facets.isEmpty || versionsPossible
        var metas: [DisclosureMetadata] = []
        if needMeta {
            metas = try candidates.map { try segments[$0.segment].reader.doc(Int($0.doc)).metadata }
        }
        var order = Array(candidates.indices)
        if options.sort == .date {
            // Newest first, undated last; relevance order within a date (a stable sort).
            let keyed = order.map { (i: $0, d: metas[$0].date ?? "") }
            order = keyed.enumerated().sorted { a, b in
                a.element.d != b.element.d ? a.element.d > b.element.d : a.offset < b.offset
            }.map(\.element.i)
        }
        var facetCounts: [Facet: [FacetCount]] = [:]
        for f in options.facets {
            var counts: [String: Int] = [:]
            for m in metas {
                switch f {
                case .org: if let p = m.publisher, !p.isEmpty { counts[index.aliases.displayName(p), default: 0] += 1 }
                case .year: if let d = m.date, d.count >= 4 { counts[String(d.prefix(4)), default: 0] += 1 }
                }
            }
            facetCounts[f] = counts.map { FacetCount(value: $0.key, count: $0.value) }
                .sorted { $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value }
        }
        // Versions: documents sharing a 索引号 show as one hit, the newest, at the place of the best.
        var display: [(shown: Int, earlier: [Int])] = []
        if versionsPossible {
            var members: [String: [Int]] = [:]
            for i in order { if let id = metas[i].indexNumber, !id.isEmpty { members[id, default: []].append(i) } }
            var done = Set<String>()
            for i in order {
                guard let id = metas[i].indexNumber, !id.isEmpty, let group = members[id], group.count > 1 else {
                    display.append((i, []))
                    continue
                }
                guard done.insert(id).inserted else { continue }
                var sorted = group
                for k in sorted.indices { _ = try path(&candidates[sorted[k]]) }
                sorted.sort { a, b in
                    let da = metas[a].date ?? "", db = metas[b].date ?? ""
                    return da != db ? da > db : Array(candidates[a].path!.utf8).lexicographicallyPrecedes(Array(candidates[b].path!.utf8))
                }
                display.append((sorted[0], Array(sorted.dropFirst())))
            }
        } else {
            display = order.map { ($0, []) }
        }
        var hits: [SearchHit] = []
        let start = min(max(options.offset, 0), display.count)
        let end = min(start + max(options.limit, 0), display.count)
        for (rank, entry) in display[start..<end].enumerated() {
            let c = candidates[entry.shown]
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
            var earlier: [String] = []
            for e in entry.earlier { earlier.append(try path(&candidates[e])) }
            hits.append(SearchHit(rank: start + rank + 1, score: c.score, path: rec.path, title: rec.title,
                                  match: wordsUsed ? .words : .exact, titleMatches: c.titleMatches,
                                  snippets: snippets, explanation: explanation, metadata: rec.metadata,
                                  earlierVersions: earlier))
        }
        return SearchResults(total: candidates.count, hits: hits, facets: facetCounts)
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
    /// A `date:` value (or `since`/`until`) that is not a date or date range.
    case badFieldValue(field: String, value: String)

    /// One line saying what is wrong.
    public var description: String {
        switch self {
        case .unsupportedField(let f): return "the field \(f): is not supported"
        case .badFieldValue(let f, let v): return "\(f):\(v) is not a date or date range (use 2024-01-01..2024-06-30, >=2024, 2024-07)"
        }
    }
}
