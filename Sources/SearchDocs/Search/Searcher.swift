#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization

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
        /// Of `words`, those too common to be scored.
        var commonWords: [String] = []
        /// What a question's snippets highlight: its words of two or more characters (or its one
        /// word) as match text, and the character pairs it is scored by (see
        /// ``QuestionRanker/Plan/pairs``) where none of those words is near its best passage.
        var wordNeedles: [[UInt32]] = []
        var pairNeedles: [[UInt32]] = []
        /// With `--explain`, how the question ranker made each document's score.
        var scoreParts: [Int64: QuestionRanker.ScoreParts] = [:]
        var wordsMode = false
        var requiredShare = 0.0
        var pairCount = 0
        /// Per segment, hits sorted by document.
        var hits: [[PartHit]] = []
        /// Per segment, the positions of the hits (``PartHit/positionStart``).
        var positions: [[Int32]] = []
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

    /// A matching document with its rank keys.
    struct Candidate {
        var segment: Int32
        var doc: Int32
        var score: Double
        var titleMatches: Int32
    }

    /// Candidates in rank order (parts in title, score, path; then segment and document),
    /// ordered as they are taken: a heap, so that the top ten of thousands cost little.
    struct Ranking {
        let candidates: [Candidate]
        let views: [DocFactsView]
        private var heap: [Int32]

        init(candidates: [Candidate], views: [DocFactsView]) {
            self.candidates = candidates
            self.views = views
            heap = Array(0..<Int32(candidates.count))
        }

        private var built = false

        /// Whether candidate `a` ranks before `b`.
        private func before(_ a: Int32, _ b: Int32) throws(IndexError) -> Bool {
            let x = candidates[Int(a)], y = candidates[Int(b)]
            if x.titleMatches != y.titleMatches { return x.titleMatches > y.titleMatches }
            if x.score != y.score { return x.score > y.score }
            let order = try views[Int(x.segment)].withPath(x.doc) { (p: UnsafeRawBufferPointer) throws(IndexError) -> Int in
                try views[Int(y.segment)].withPath(y.doc) { (q: UnsafeRawBufferPointer) throws(IndexError) -> Int in
                    let n = min(p.count, q.count)
                    var i = 0
                    while i < n {
                        if p[i] != q[i] { return p[i] < q[i] ? -1 : 1 }
                        i += 1
                    }
                    return p.count == q.count ? 0 : (p.count < q.count ? -1 : 1)
                }
            }
            if order != 0 { return order < 0 }
            return a < b
        }

        private mutating func siftDown(_ start: Int, _ count: Int) throws(IndexError) {
            var i = start
            while true {
                let l = 2 * i + 1
                if l >= count { return }
                var best = l
                if l + 1 < count, try before(heap[l + 1], heap[l]) { best = l + 1 }
                guard try before(heap[best], heap[i]) else { return }
                heap.swapAt(i, best)
                i = best
            }
        }

        /// The first `k` candidates in order. For a few of many, one pass that keeps the best `k`
        /// (mostly one comparison per candidate); otherwise the heap.
        mutating func top(_ k: Int) throws(IndexError) -> [Int] {
            let n = candidates.count
            if k <= 0 || n == 0 { return [] }
            if k > 64 || k * 8 > n {
                var out: [Int] = []
                while out.count < k, let i = try next() { out.append(i) }
                return out
            }
            var best: [Int32] = []
            best.reserveCapacity(k + 1)
            for i in 0..<Int32(n) {
                if best.count == k {
                    guard try before(i, best[k - 1]) else { continue }
                    best.removeLast()
                }
                var at = best.count
                while at > 0, try before(i, best[at - 1]) { at -= 1 }
                best.insert(i, at: at)
            }
            return best.map { Int($0) }
        }

        /// The next candidate (an index into `candidates`), or nil when all are taken.
        mutating func next() throws(IndexError) -> Int? {
            if !built {
                built = true
                var i = heap.count / 2 - 1
                while i >= 0 { try siftDown(i, heap.count); i -= 1 }
            }
            guard let top = heap.first else { return nil }
            let last = heap.removeLast()
            if !heap.isEmpty {
                heap[0] = last
                try siftDown(0, heap.count)
            }
            return Int(top)
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

    /// Below this much matching work (see ``matchWork(_:views:)``), parts are matched on one
    /// thread: handing segments to another thread costs more than it saves. Measured on two
    /// cores, warm, against a bound of 256 documents: 科技 (915 documents) and 税 (1,049)
    /// 0.21–0.23 → 0.16 ms on one thread, while 行政处罚 (work 6,072) lost a fifth on one.
    static let parallelMatchDocuments = 2000

    /// Matches the exact parts in every segment (their hits, with positions, and their document
    /// frequencies). With two or more segments and threads, and parts common enough, threads
    /// take the segments, largest first, each matching every part in its segment.
    ///
    /// With `restrict` (the parts are ANDed: see ``conjunctive(_:parts:)``), a segment's parts
    /// are matched rarest first, and a part of one or two characters then makes hits only for the
    /// documents all parts before it matched (养老 服务 机构: 服务's titles are checked in the
    /// 394 documents with 养老, not in its 3,000); its document frequency is still counted whole.
    func matchExactly(_ parts: [Part], views: [DocFactsView], threads: Int?, threshold: Int, restrict: Bool) throws {
        let n = views.count
        typealias Found = (hits: [PartHit], positions: [Int32], documents: Int)
        /// One segment's hits of every part, with their positions.
        func match(segment si: Int) throws -> [Found] {
            var found = [Found](repeating: ([], [], 0), count: parts.count)
            var docs: [Int32]?
            for k in restrict ? try rarestFirst(parts, in: views[si]) : Array(parts.indices) {
                let p = parts[k]
                var positions: [Int32] = []
                var documents = 0
                let hits = try ExactMatcher.match(p.needle, in: views[si], titleOnly: p.titleOnly, only: docs,
                                                  documents: &documents, positions: &positions)
                found[k] = (hits, positions, documents)
                if restrict {
                    let matched = hits.map(\.doc)
                    if let d = docs {
                        var both: [Int32] = []
                        ExactMatcher.intersect(d, matched, into: &both)
                        docs = both
                    } else {
                        docs = matched
                    }
                }
            }
            return found
        }
        var found = [[Found]](repeating: [], count: n)
        var workers = 1
        if n >= 2, threads ?? 2 >= 2, !parts.isEmpty, try matchWork(parts, views: views) >= threshold {
            workers = min(threads ?? onlineProcessors, n)
        }
        let order = workers > 1 ? views.indices.sorted { views[$0].reader.docCount > views[$1].reader.docCount } : Array(views.indices)
        try found.withUnsafeMutableBufferPointer { slots in
            // Each segment (its view and its slot) is touched by one thread.
            nonisolated(unsafe) let slots = slots
            try concurrently(n, threads: workers) { k in slots[order[k]] = try match(segment: order[k]) }
        }
        for (k, p) in parts.enumerated() {
            p.hits = found.map { $0[k].hits }
            p.positions = found.map { $0[k].positions }
            p.df = found.reduce(0) { $0 + $1[k].documents }
        }
    }

    /// Whether `plan` only ANDs parts to find (no OR, no NOT), with metadata filters or not.
    func conjunctive(_ plan: Plan, parts: [Part]) -> Bool {
        switch plan {
        case .part(let i): return parts[i].positive || parts[i].filter != nil
        case .and(let children): return children.allSatisfy { conjunctive($0, parts: parts) }
        case .or, .not: return false
        }
    }

    /// The indices of `parts`, those whose rarest character pair (their character, for one) is
    /// in fewest documents of the segment first (ties in query order).
    private func rarestFirst(_ parts: [Part], in view: DocFactsView) throws -> [Int] {
        let estimates = try parts.map { try rarestDocuments($0.needle, in: view) }
        return parts.indices.sorted { estimates[$0] != estimates[$1] ? estimates[$0] < estimates[$1] : $0 < $1 }
    }

    /// How many documents of `view` hold the rarest character pair of `needle` (its character,
    /// for one; 0 for none).
    private func rarestDocuments(_ needle: [UInt32], in view: DocFactsView) throws -> Int {
        if needle.isEmpty { return 0 }
        if needle.count == 1 { return try view.gramPostings(UInt64(needle[0]))?.df ?? 0 }
        var fewest = Int.max
        for o in 0..<(needle.count - 1) {
            fewest = min(fewest, try view.gramPostings(ExactMatcher.pairKey(needle, at: o))?.df ?? 0)
            if fewest == 0 { break }
        }
        return fewest
    }

    /// How many documents hold each needle's rarest character pair (its character, for one),
    /// summed over the parts and segments: about how many documents matching will visit; four
    /// times that for needles of three or more characters, whose documents each have two or
    /// more pairs' positions lined up rather than a title checked.
    private func matchWork(_ parts: [Part], views: [DocFactsView]) throws -> Int {
        var total = 0
        for v in views {
            for p in parts {
                let fewest = try rarestDocuments(p.needle, in: v)
                total += p.needle.count > 2 ? 4 * fewest : fewest
            }
        }
        return total
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
        let views = segments.indices.map { DocFactsView(segment: segments[$0], cache: index.factCaches[$0]) }
        defer { for v in views { v.publish() } }
        let matched = parts.filter { $0.filter == nil }
        /// A part no document contains exactly that is ranked by its words instead.
        func fallsBack(_ p: Part) -> Bool { p.df == 0 && !p.quoted && !p.titleOnly && p.positive }
        let restrict = options.restrictConjunctions && matched.count >= 2 && conjunctive(plan, parts: parts)
        try matchExactly(matched, views: views, threads: options.threads, threshold: options.parallelMatchDocuments,
                         restrict: restrict)
        if restrict && matched.contains(where: fallsBack) {
            // Its words will match other documents than its (no) exact hits: the other parts'
            // hits must not be restricted to those.
            try matchExactly(matched, views: views, threads: options.threads,
                             threshold: options.parallelMatchDocuments, restrict: false)
        }
        for p in parts {
            if let f = p.filter {
                p.hits = try segments.map { seg in
                    try (0..<Int32(seg.reader.docCount)).compactMap { d throws(IndexError) -> PartHit? in
                        guard !seg.isDeleted(d), f.matches(try seg.reader.doc(Int(d)).metadata, aliases: aliases) else { return nil }
                        return PartHit(doc: d, tf: 0, inTitle: false)
                    }
                }
                p.df = p.hits.reduce(0) { $0 + $1.count }
                continue
            }
            if fallsBack(p) {
                // No document contains the part exactly: rank by its words and characters.
                let (hits, plan, scoreParts) = try QuestionRanker(index: index, parameters: options.questionRanking)
                    .rank(p.text, facts: views, explain: options.explain)
                p.scoreParts = scoreParts
                p.wordsMode = true
                p.words = plan.words
                p.commonWords = plan.commonWords
                p.pairCount = plan.pairs.count
                p.wordNeedles = plan.words.filter { $0.unicodeScalars.count > 1 || plan.words.count == 1 }
                    .map { TextNormalizer.matchScalars(of: $0) }
                p.pairNeedles = plan.pairs.map { [UInt32(truncatingIfNeeded: $0 >> 32), UInt32(truncatingIfNeeded: $0)] }
                p.requiredShare = options.questionRanking.minimumPairShare
                p.hits = hits
                p.df = hits.reduce(0) { $0 + $1.count }
            }
        }
        // Which documents match, per segment.
        var candidates: [Candidate] = []
        let positive = parts.filter { $0.positive }
        let idfs = positive.map { bm25.idf(df: $0.df, documents: index.documentCount) }
        for (si, seg) in segments.enumerated() {
            let docs = evaluate(plan, parts: parts, segment: si, universe: Int32(seg.reader.docCount)).filter { !seg.isDeleted($0) }
            candidates.reserveCapacity(candidates.count + docs.count)
            // Each part's hits are sorted by document, as `docs` is: walk them along (all parts'
            // hits in one array, part k's from next[k] to end[k]).
            var hits: [PartHit] = []
            var next: [Int] = [], end: [Int] = []
            for p in positive {
                next.append(hits.count)
                hits += p.hits[si]
                end.append(hits.count)
            }
            let wordsMode = positive.map(\.wordsMode)
            for d in docs {
                var score = 0.0
                var titles: Int32 = 0
                for k in next.indices {
                    var c = next[k]
                    while c < end[k] && hits[c].doc < d { c += 1 }
                    next[k] = c
                    guard c < end[k] && hits[c].doc == d else { continue }
                    let h = hits[c]
                    if wordsMode[k] {
                        score += h.score
                    } else {
                        // The length the matcher read with the hit (lengths do not change with
                        // renames: the raw record's).
                        score += bm25.score(tf: Int(h.tf), idf: idfs[k], dl: Double(h.charLength), avgdl: index.averageChars)
                    }
                    if h.inTitle { titles += 1 }
                }
                candidates.append(Candidate(segment: Int32(si), doc: d, score: score, titleMatches: titles))
            }
        }
        // Only the number is wanted (a count): no order, no hits.
        if options.limit <= 0 && options.facets.isEmpty { return SearchResults(total: candidates.count, hits: []) }
        func path(_ c: Candidate) throws -> String {
            try views[Int(c.segment)].withPath(c.doc) { String(decoding: $0, as: UTF8.self) }
        }
        let wordsUsed = parts.contains { $0.wordsMode }
        let versionsPossible = options.groupVersions && segments.contains { $0.reader.withIndexNumber > 0 }
        let copiesGrouped = options.groupCopies
        func textHash(_ i: Int) throws -> UInt64 {
            let c = candidates[i]
            _ = try views[Int(c.segment)].facts(c.doc)  // the record's checksum, checked once
            return try segments[Int(c.segment)].reader.contentHash(Int(c.doc))
        }
        let start = min(max(options.offset, 0), candidates.count)
        let wanted = start.addingReportingOverflow(max(options.limit, 0)).overflow ? Int.max : start + max(options.limit, 0)
        var facetCounts: [Facet: [FacetCount]] = [:]
        // The entries to show, best first: a candidate, its earlier versions and its copies.
        var display: [Entry] = []
        if options.sort == .date || !options.facets.isEmpty {
            // Every match's metadata is needed: rank them all.
            var ranking = Ranking(candidates: candidates, views: views)
            var order: [Int] = []
            order.reserveCapacity(candidates.count)
            while let i = try ranking.next() { order.append(i) }
            let metas = try order.map { try segments[Int(candidates[$0].segment)].reader.doc(Int(candidates[$0].doc)).metadata }
            var position = [Int](repeating: 0, count: candidates.count)
            for (k, i) in order.enumerated() { position[i] = k }
            func meta(_ i: Int) -> DisclosureMetadata { metas[position[i]] }
            if options.sort == .date {
                // Newest first, undated last; relevance order within a date (a stable sort).
                let keyed = order.map { (i: $0, d: meta($0).date ?? "") }
                order = keyed.enumerated().sorted { a, b in
                    a.element.d != b.element.d ? a.element.d > b.element.d : a.offset < b.offset
                }.map(\.element.i)
            }
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
            if versionsPossible || copiesGrouped {
                var k = 0
                display = try group({ () -> Int? in
                    guard k < order.count else { return nil }
                    k += 1
                    return order[k - 1]
                }, candidates: candidates, wanted: Int.max, versions: versionsPossible, copies: copiesGrouped,
                                    id: { meta($0).indexNumber }, date: { meta($0).date }, path: path, hash: textHash)
            } else {
                display = order.map { Entry(shown: $0) }
            }
        } else {
            // Relevance order: only the first `wanted` entries are ordered.
            var ranking = Ranking(candidates: candidates, views: views)
            if versionsPossible {
                var versions: [VersionFacts?] = []
                versions.reserveCapacity(candidates.count)
                for c in candidates { versions.append(try views[Int(c.segment)].versionFacts(c.doc)) }
                display = try group({ try ranking.next() }, candidates: candidates, wanted: wanted,
                                    versions: true, copies: copiesGrouped,
                                    id: { versions[$0]?.indexNumber }, date: { versions[$0]?.date }, path: path, hash: textHash)
            } else if copiesGrouped {
                // Copies score the same as what they copy and rank next to it: the best few
                // beyond those wanted are enough, unless copies take so many places that more
                // are needed (then candidates are taken in order until there are enough).
                func copiesOnly(_ next: () throws -> Int?) throws -> [Entry] {
                    try group(next, candidates: candidates, wanted: wanted, versions: false, copies: true,
                              id: { _ in nil }, date: { _ in nil }, path: path, hash: textHash)
                }
                let depth = wanted > Int.max - 16 ? Int.max : wanted + 16
                let ordered = try ranking.top(depth)
                var k = 0
                display = try copiesOnly {
                    guard k < ordered.count else { return nil }
                    k += 1
                    return ordered[k - 1]
                }
                // All of them taken (entries still wanted, or copies tied to the last one up to
                // the end) while there are more candidates: take them in order instead.
                if k == ordered.count && ordered.count == depth {
                    var all = Ranking(candidates: candidates, views: views)
                    display = try copiesOnly { try all.next() }
                }
            } else {
                display = try ranking.top(wanted).map { Entry(shown: $0) }
            }
        }
        var hits: [SearchHit] = []
        // Per hit (with snippets), what its snippets are made of; they are made after the loop.
        var snippetJobs: [SnippetBuilder] = []
        let first = min(start, display.count)
        let end = min(first + max(options.limit, 0), display.count)
        for (rank, entry) in display[first..<end].enumerated() {
            let c = candidates[entry.shown]
            let seg = segments[Int(c.segment)]
            // The view has checked this record (ranking read its facts, or this reads them now).
            _ = try views[Int(c.segment)].facts(c.doc)
            let rec = try seg.doc(Int(c.doc), checked: false)
            if options.snippets {
                var needles: [[UInt32]] = []
                var hints: [Int32] = []
                var complete = true
                var pairs: [[UInt32]] = []
                for p in parts where p.positive {
                    if p.wordsMode {
                        complete = false
                        pairs += p.pairNeedles
                        needles += p.wordNeedles
                        // The passage that matched the question best, where the ranker found one.
                        if let h = hit(p, segment: Int(c.segment), doc: c.doc), h.passage >= 0 { hints.append(h.passage) }
                    } else if let h = hit(p, segment: Int(c.segment), doc: c.doc) {
                        needles.append(p.needle)
                        if h.positionStart < 0 {
                            // Only a pair's positions can be read back (a single character's are not kept).
                            if p.needle.count != 2 { complete = false }
                            hints += try ExactMatcher.positions(of: p.needle, doc: c.doc, in: views[Int(c.segment)])
                        } else {
                            let a = Int(h.positionStart)
                            hints += p.positions[Int(c.segment)][a..<(a + Int(h.positionCount))]
                        }
                    }
                }
                snippetJobs.append(SnippetBuilder(segment: seg.reader, record: rec, needles: needles, hints: hints,
                                                  hintsComplete: complete, passagePairs: pairs))
            }
            var explanation: [String] = []
            if options.explain {
                for p in parts where p.positive {
                    if let h = hit(p, segment: Int(c.segment), doc: c.doc) {
                        explanation += try explain(p, h, record: rec, parts: p.scoreParts[QuestionRanker.key(segment: Int(c.segment), doc: c.doc)])
                    }
                }
                explanation.append("rank by (parts in title \(c.titleMatches), score \(fmt(c.score)), path)")
            }
            var earlier: [String] = []
            for e in entry.earlier { earlier.append(try path(candidates[e])) }
            var hit = SearchHit(rank: first + rank + 1, score: c.score, path: rec.path, title: rec.title,
                                match: wordsUsed ? .words : .exact, titleMatches: Int(c.titleMatches),
                                snippets: [], explanation: explanation, metadata: rec.metadata,
                                earlierVersions: earlier)
            for e in entry.copies { hit.copies.append(try path(candidates[e])) }
            hits.append(hit)
        }
        if !snippetJobs.isEmpty {
            // Each hit's snippets (a block or two of its text decompressed and normalized) on
            // threads of their own when there are several hits.
            var made = [[Snippet]](repeating: [], count: snippetJobs.count)
            try made.withUnsafeMutableBufferPointer { slots in
                nonisolated(unsafe) let slots = slots
                try concurrently(snippetJobs.count, threads: options.threads ?? onlineProcessors) { k in
                    slots[k] = try snippetJobs[k].snippets(count: options.snippetsPerHit, length: options.snippetLength)
                }
            }
            for k in hits.indices { hits[k].snippets = made[k] }
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

    /// One hit to show: a candidate, the earlier versions and the copies shown with it.
    struct Entry {
        var shown: Int
        var earlier: [Int] = []
        var copies: [Int] = []
    }

    /// Takes candidates in rank order until `wanted` entries are made. With `versions`, documents
    /// sharing a 索引号 show as one entry, the newest (then the first path), at the place of the
    /// best; the others are its earlier versions. With `copies`, a document whose text is exactly
    /// that of an entry made before (the same content hash) joins it as a copy; past `wanted`,
    /// candidates tied with the last one taken still join as copies.
    private func group(
        _ next: () throws -> Int?, candidates: [Candidate], wanted: Int, versions: Bool, copies: Bool,
        id: (Int) -> String?, date: (Int) -> String?, path: (Candidate) throws -> String,
        hash: (Int) throws -> UInt64
    ) throws -> [Entry] {
        var members: [String: [Int]] = [:]
        if versions {
            for i in candidates.indices { if let x = id(i), !x.isEmpty { members[x, default: []].append(i) } }
        }
        var display: [Entry] = []
        var done = Set<String>()
        var byText: [UInt64: Int] = [:]
        var last = -1
        func tied(_ a: Int, _ b: Int) -> Bool {
            candidates[a].titleMatches == candidates[b].titleMatches && candidates[a].score == candidates[b].score
        }
        while let i = try next() {
            // An earlier version already listed with its group.
            if versions, let x = id(i), !x.isEmpty, done.contains(x) { continue }
            if display.count >= wanted {
                guard copies, last >= 0, tied(i, last) else { break }
                if let e = byText[try hash(i)] { display[e].copies.append(i) }
                continue
            }
            let text = copies ? try hash(i) : 0
            if copies, let e = byText[text] {
                display[e].copies.append(i)
                last = i
                continue
            }
            last = i
            var entry = Entry(shown: i)
            if versions, let x = id(i), !x.isEmpty, let group = members[x], group.count > 1 {
                done.insert(x)
                let paths = try Dictionary(uniqueKeysWithValues: group.map { ($0, Array(try path(candidates[$0]).utf8)) })
                let sorted = group.sorted { a, b in
                    let da = date(a) ?? "", db = date(b) ?? ""
                    return da != db ? da > db : paths[a]!.lexicographicallyPrecedes(paths[b]!)
                }
                entry = Entry(shown: sorted[0], earlier: Array(sorted.dropFirst()))
            }
            if copies {
                byText[text] = display.count
                if entry.shown != i { byText[try hash(entry.shown)] = display.count }
            }
            display.append(entry)
        }
        return display
    }

    private func explain(_ p: Part, _ h: PartHit, record rec: DocRecord, parts: QuestionRanker.ScoreParts?) throws -> [String] {
        let n = index.documentCount
        if p.wordsMode {
            var made = ""
            if let parts {
                // How the score was made, each feature with its weight applied.
                var sum = "pairs \(fmt(parts.pairs)) + words \(fmt(parts.words)) + triples \(fmt(parts.triples))"
                if parts.coverage != 1 { sum = "(\(sum)) × coverage \(fmt(parts.coverage))" }
                if parts.reranked { sum += " + best passage \(fmt(parts.passage)) + title beginning \(fmt(parts.lead))" }
                made = " = " + sum
            }
            return ["\(p.text): no document contains it exactly; ranked by its content (words \(p.words.joined(separator: " "))\(p.commonWords.isEmpty ? "" : ", of which \(p.commonWords.joined(separator: " ")) too common to score"); \(h.tf) of \(p.pairCount) character pairs, at least \(Int(p.requiredShare * 100))% of the weight of pairs and words required) → \(fmt(h.score))\(made)"]
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
