#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ranks documents for a query part that no document contains exactly — typically a question in
/// natural language. Evidence, each as BM25 with index-wide statistics:
/// - the question's character pairs (robust to any segmentation),
/// - its ICU words,
/// - its character triples matched by position (adjacency: phrases of the question that the
///   document repeats),
/// - and, for the best candidates, the passage of the document that holds the most of the
///   question's pair weight (proximity), and the question's pairs that begin the document's
///   title (the document is about what the question asks).
/// Question words and function words (什么, 如何, 有何, 的 …) are removed first, so they neither
/// match nor score; so are character pairs found in more than half of the documents, which weigh
/// little and cost the most to read, and words found in more than half (they still highlight).
///
/// Score = pairs + wordWeight × words + tripleWeight × triples, times coverage^coveragePower
/// (coverage: the share of the question's pair weight the document contains), plus for the best
/// `rerankDepth` candidates passageWeight × the pair weight of the best passage and leadWeight ×
/// the pair weight at the beginning of the title. A document matches when it holds
/// `minimumPairShare` of the question's weight, its pairs' and its words' IDF together.
struct QuestionRanker {
    let index: SearchIndex
    var parameters = QuestionRanking()
    var bm25: BM25 { BM25(k1: parameters.k1, b: parameters.b) }

    /// What the ranker made of the question.
    struct Plan {
        var content: String
        var pairs: [UInt64] = []
        var pairIDF: [Double] = []
        var triples: [[UInt32]] = []
        var words: [String] = []
        /// Words left out of the scoring as common (in more than `commonWordShare` of the
        /// documents); they stay in `words`, which the snippets highlight.
        var commonWords: [String] = []
    }

    func plan(_ text: String) throws(AnalysisError) -> Plan {
        // The question with question words, function words and punctuation blanked out.
        let analysis = try Analysis.of(text, dictionary: index.dictionary)
        var content = ""
        var lastEnd = 0
        let scalars = Array(text.unicodeScalars)
        var words: [String] = []
        let tokens = analysis.tokens
        // A single Han character, no stop word, whose neighbours are all stop words (or nothing):
        // removing those would leave it without a pair, yet it is often a piece of a name ICU's
        // dictionary lacks (向宠是, 禅那在 come as 向|宠|是, 禅|那|在). Its one-character stop
        // word neighbours then stay, for the character pairs (not as words).
        func isContent(_ k: Int) -> Bool { tokens.indices.contains(k) && tokens[k].kind.isIndexed && !StopWords.contains(tokens[k].term) }
        func adjacent(_ a: Int, _ b: Int) -> Bool { tokens.indices.contains(a) && tokens.indices.contains(b) && tokens[a].end == tokens[b].start }
        func single(_ k: Int) -> Bool { tokens[k].kind == .ideographic && tokens[k].end - tokens[k].start == 1 }
        func isolated(_ k: Int) -> Bool {
            isContent(k) && single(k) && !(adjacent(k - 1, k) && isContent(k - 1)) && !(adjacent(k, k + 1) && isContent(k + 1))
        }
        for (k, t) in tokens.enumerated() {
            if t.start > lastEnd { content += " " }
            let isStop = StopWords.contains(t.term)
            let kept = isStop && single(k) && ((adjacent(k - 1, k) && isolated(k - 1)) || (adjacent(k, k + 1) && isolated(k + 1)))
            if t.kind.isIndexed && (!isStop || kept) {
                content += String(String.UnicodeScalarView(scalars[t.start..<t.end]))
                if !isStop && !words.contains(t.term) { words.append(t.term) }
            } else {
                content += " "
            }
            lastEnd = t.end
        }
        var plan = Plan(content: content)
        plan.words = words
        // A letter/digit run's boundary marks part pairs as spaces do: the index has no pair of a
        // digit and the Han character beside it (2月 is ⟨b⟩2⟨b⟩月 there), so such a pair would
        // match nothing and only weigh on the share of the question a document must hold.
        let m = TextNormalizer.matchScalars(of: content).map { $0 == MatchText.boundary ? 0x20 : $0 }
        var seen = Set<UInt64>()
        var seenTriples = Set<[UInt32]>()
        for i in 0..<max(0, m.count - 1) where m[i] != 0x20 && m[i + 1] != 0x20 {
            let k = UInt64(m[i]) << 32 | UInt64(m[i + 1])
            if seen.insert(k).inserted { plan.pairs.append(k) }
            if i + 2 < m.count && m[i + 2] != 0x20 {
                let t = [m[i], m[i + 1], m[i + 2]]
                if seenTriples.insert(t).inserted { plan.triples.append(t) }
            }
        }
        return plan
    }

    /// Evidence per document (all segments in one array).
    struct Evidence {
        var pairScore = 0.0
        var wordScore = 0.0
        var tripleScore = 0.0
        var covered = 0.0
        var wordCovered = 0.0
        var pairCount: Int32 = 0
        /// Occurrences of the pairs (their positions, for the passage).
        var pairOccurrences: Int32 = 0
    }

    /// A live document of a word's postings in an index with deletions: where its evidence is,
    /// how often the word occurs, the document's length in words.
    struct WordPosting {
        var at: Int32
        var tf: Int32
        var length: UInt32
    }

    /// A matching document and its score.
    struct Candidate {
        var seg: Int32
        var doc: Int32
        var passage: Int32 = -1
        var score: Double
    }

    /// The documents of a term's postings (one slice per segment) as the dictionaries count them,
    /// deleted ones included.
    private static func documents(_ slices: [PostingsSlice?]) -> Int {
        slices.reduce(0) { $0 + ($1?.df ?? 0) }
    }

    /// The live documents of a term's postings (one slice per segment), when the dictionaries'
    /// figures, which include deleted documents, exceed `bound`; else those figures. Where even
    /// the figures less every deleted document of the segments exceed `bound`, that smaller figure
    /// is returned without reading the postings (the term is above the bound either way). Only
    /// segments with deletions are read.
    private func liveCount(_ slices: [PostingsSlice?], bound: Double) throws -> Int {
        let upper = QuestionRanker.documents(slices)
        guard Double(upper) > bound else { return upper }
        var deleted = 0
        for (si, seg) in index.segments.enumerated() where slices[si] != nil { deleted += seg.changes.deleted.count }
        if Double(upper - deleted) > bound { return upper - deleted }
        var df = 0
        for (si, seg) in index.segments.enumerated() {
            guard let slice = slices[si] else { continue }
            if seg.changes.deleted.isEmpty { df += slice.df; continue }
            var c = PostingsCursor(slice)
            while try c.next() { if !seg.isDeleted(c.doc) { df += 1 } }
        }
        return df
    }

    /// How a document's score was made (for `--explain`): score = (pairs + words + triples) ×
    /// coverage + lead + passage, the weights applied.
    struct ScoreParts: Equatable {
        var pairs = 0.0, words = 0.0, triples = 0.0
        /// The coverage factor (1 when it is off).
        var coverage = 1.0
        /// Whether the document was among the leading candidates (passage and lead computed).
        var reranked = false
        var passage = 0.0, lead = 0.0

        /// The score, added up in the order the ranker adds it.
        var total: Double { (pairs + words + triples) * coverage + lead + passage }
    }

    /// The key of a document in ``rank(_:facts:explain:)``'s score parts.
    static func key(segment: Int, doc: Int32) -> Int64 { Int64(segment) << 32 | Int64(doc) }

    /// Per segment, the matching documents with their scores (sorted by document), and with
    /// `explain`, how each score was made (by ``key(segment:doc:)``).
    func rank(_ text: String, facts: [DocFactsView]? = nil, explain: Bool = false) throws
        -> (hits: [[PartHit]], plan: Plan, parts: [Int64: ScoreParts]) {
        var plan = try plan(text)
        let segs = index.segments
        let views = facts ?? segs.indices.map { DocFactsView(segment: segs[$0], cache: index.factCaches[$0]) }
        defer { if facts == nil { for v in views { v.publish() } } }
        // The large arrays come from buffers kept for the next question; they work as locals
        // (no exclusivity checks on the object) and go back at the end.
        let buffers = index.questionBuffers.take()
        var postings: [PairPosting] = [], wordPostings: [WordPosting] = []
        var candidates: [Candidate] = [], occurrences: [Int64] = []
        swap(&postings, &buffers.postings); swap(&wordPostings, &buffers.wordPostings)
        swap(&candidates, &buffers.candidates); swap(&occurrences, &buffers.occurrences)
        defer {
            postings.removeAll(keepingCapacity: true); wordPostings.removeAll(keepingCapacity: true)
            candidates.removeAll(keepingCapacity: true)
            occurrences.removeAll(keepingCapacity: true)
            swap(&postings, &buffers.postings); swap(&wordPostings, &buffers.wordPostings)
            swap(&candidates, &buffers.candidates); swap(&occurrences, &buffers.occurrences)
            index.questionBuffers.give(buffers)
        }
        let n = index.documentCount
        var parts: [Int64: ScoreParts] = [:]
        let chars = BM25.Scorer(bm25, avgdl: index.averageChars), words = BM25.Scorer(bm25, avgdl: index.averageWords)
        // Segment `si`'s documents are at `base[si]` in `ev`.
        var base: [Int] = []
        var total = 0
        for seg in segs { base.append(total); total += seg.reader.docCount }
        let ev = buffers.zeroedEvidence(total)
        // Character pairs. Each list is looked up and decoded once: the triples and the passages
        // below work from the decoded postings (documents, frequencies and where their positions are).
        var slices = try plan.pairs.map { k in try views.map { try $0.gramPostings(k) } }
        if parameters.commonPairShare < 1 {
            // Pairs in more than that share of the documents weigh little and cost the most.
            // Live documents only, as every statistic (an index after updates decides as one
            // rebuilt from the same files): the dictionaries' counts include deleted documents,
            // so where they pass the bound, segments with deletions count their live ones.
            let bound = parameters.commonPairShare * Double(n)
            var kept: [Int] = []
            var keptOccur = false
            for j in plan.pairs.indices {
                let df = try liveCount(slices[j], bound: bound)
                if Double(df) <= bound { kept.append(j); keptOccur = keptOccur || df > 0 }
            }
            // Only if some pair left occurs at all (in a small index every pair may be common).
            if keptOccur {
                plan.pairs = kept.map { plan.pairs[$0] }
                slices = kept.map { slices[$0] }
            }
        }
        // Pair `j`'s live postings in segment `si`: `postings[pairRanges[j * segs.count + si]]`.
        var pairRanges: [Range<Int>] = []
        pairRanges.reserveCapacity(plan.pairs.count * segs.count)
        postings.reserveCapacity(slices.reduce(0) { $0 + QuestionRanker.documents($1) })
        for j in plan.pairs.indices {
            let first = postings.count
            for (si, seg) in segs.enumerated() {
                let lo = postings.count
                if let slice = slices[j][si] {
                    let deletions = !seg.changes.deleted.isEmpty
                    var c = PostingsCursor(slice)
                    while try c.next() {
                        if !deletions || !seg.isDeleted(c.doc) {
                            postings.append(PairPosting(doc: c.doc, tf: c.tf, positions: c.positionsAt()))
                        }
                    }
                }
                pairRanges.append(lo..<postings.count)
            }
            let idf = bm25.idf(df: postings.count - first, documents: n)
            plan.pairIDF.append(idf)
            for si in segs.indices {
                let b = base[si], view = views[si]
                for k in pairRanges[j * segs.count + si] {
                    let p = postings[k]
                    let i = b + Int(p.doc)
                    let dl = Double(try view.facts(p.doc).charLength)
                    ev[i].covered += idf
                    ev[i].pairScore += chars.score(tf: p.tf, idf: idf, dl: dl)
                    ev[i].pairCount += 1
                    ev[i].pairOccurrences += p.tf
                }
            }
        }
        // Triples, matched by position: where the triple's first pair is at p and its second at
        // p + 1 (as ``ExactMatcher`` finds a three-character string).
        var pairIndex: [UInt64: Int] = [:]
        for (j, k) in plan.pairs.enumerated() { pairIndex[k] = j }
        var hits: [(seg: Int, doc: Int32, tf: Int32)] = []
        try postings.withUnsafeBufferPointer { postings in
            for t in plan.triples {
                guard let ab = pairIndex[UInt64(t[0]) << 32 | UInt64(t[1])],
                      let bc = pairIndex[UInt64(t[1]) << 32 | UInt64(t[2])] else { continue }
                hits.removeAll(keepingCapacity: true)
                for si in segs.indices {
                    guard let first = slices[ab][si], let second = slices[bc][si] else { continue }
                    try QuestionRanker.lineUp(UnsafeBufferPointer(rebasing: postings[pairRanges[ab * segs.count + si]]), first,
                                              UnsafeBufferPointer(rebasing: postings[pairRanges[bc * segs.count + si]]), second) { d, tf in
                        hits.append((si, d, tf))
                    }
                }
                let idf = bm25.idf(df: hits.count, documents: n)
                for h in hits {
                    let dl = Double(try views[h.seg].facts(h.doc).charLength)
                    ev[base[h.seg] + Int(h.doc)].tripleScore += chars.score(tf: h.tf, idf: idf, dl: dl)
                }
            }
        }
        // Words.
        var wordSlices = try plan.words.map { w in
            let key = Array(w.utf8)
            return try views.map { try $0.wordPostings(key) }
        }
        if parameters.commonWordShare < 1 && slices.contains(where: { $0.contains { $0 != nil } }) {
            // Words in more than that share of the documents, as pairs above (live documents
            // only), while some pair of the question occurs: the pairs then carry its match.
            let bound = parameters.commonWordShare * Double(n)
            var scored: [[PostingsSlice?]] = []
            for j in plan.words.indices {
                if Double(try liveCount(wordSlices[j], bound: bound)) <= bound {
                    scored.append(wordSlices[j])
                } else {
                    plan.commonWords.append(plan.words[j])
                }
            }
            wordSlices = scored
        }
        // Each list is decoded once. Without deletions its documents are counted by the
        // dictionaries, and scored as they are decoded; with deletions the live ones are kept
        // (where, how often, how long) and scored once counted.
        let deletions = segs.contains { !$0.changes.deleted.isEmpty }
        var wordIdfSum = 0.0
        func addWord(at i: Int, tf: Int32, length: UInt32, idf: Double) {
            ev[i].wordScore += words.score(tf: tf, idf: idf, dl: Double(length))
            ev[i].wordCovered += idf
        }
        for j in wordSlices.indices {
            if !deletions {
                let idf = bm25.idf(df: QuestionRanker.documents(wordSlices[j]), documents: n)
                wordIdfSum += idf
                for si in segs.indices {
                    guard let slice = wordSlices[j][si] else { continue }
                    let b = base[si], view = views[si]
                    var c = PostingsCursor(slice)
                    while try c.next() { addWord(at: b + Int(c.doc), tf: c.tf, length: try view.facts(c.doc).wordCount, idf: idf) }
                }
                continue
            }
            wordPostings.removeAll(keepingCapacity: true)
            for (si, seg) in segs.enumerated() {
                guard let slice = wordSlices[j][si] else { continue }
                let b = base[si], view = views[si]
                var c = PostingsCursor(slice)
                while try c.next() {
                    if seg.isDeleted(c.doc) { continue }
                    wordPostings.append(WordPosting(at: Int32(b + Int(c.doc)), tf: c.tf, length: try view.facts(c.doc).wordCount))
                }
            }
            let idf = bm25.idf(df: wordPostings.count, documents: n)
            wordIdfSum += idf
            for p in wordPostings { addWord(at: Int(p.at), tf: p.tf, length: p.length, idf: idf) }
        }
        // Candidates.
        let idfSum = max(plan.pairIDF.reduce(0, +), 1e-9)
        for (si, seg) in segs.enumerated() {
            for d in 0..<seg.reader.docCount {
                let e = ev[base[si] + d]
                // A document matches with a share of the question's weight, pairs and words
                // together: a name of one character (丘姓人口…: 丘 is a word, 丘姓 a pair of no
                // document) counts even where the pairs around it are missing.
                let matched = plan.pairs.isEmpty ? e.wordScore > 0
                    : e.covered + e.wordCovered >= parameters.minimumPairShare * (idfSum + wordIdfSum)
                guard matched else { continue }
                var made = ScoreParts(pairs: e.pairScore, words: parameters.wordWeight * e.wordScore,
                                      triples: parameters.tripleWeight * e.tripleScore)
                if parameters.coveragePower != 0 && !plan.pairs.isEmpty {
                    made.coverage = pow(e.covered / idfSum, parameters.coveragePower)
                }
                candidates.append(Candidate(seg: Int32(si), doc: Int32(d), score: made.total))
                if explain { parts[QuestionRanker.key(segment: si, doc: Int32(d))] = made }
            }
        }
        // Proximity: the best passage of each leading candidate — the window of
        // `passageWidth` characters holding the most pair weight.
        // The leading candidates are the `rerankDepth` best and those tied with the last of them
        // (so that which documents are reranked never depends on the order of equal scores,
        // which differs with the segments' layout): every candidate scoring at least the
        // `rerankDepth`-th best score. Found without sorting; candidates stay in document order,
        // as the hits are returned.
        var top: [Int] = []
        let want = min(parameters.rerankDepth, candidates.count)
        if want > 0 {
            // The `want` best scores so far, in descending order.
            var best: [Double] = []
            best.reserveCapacity(want + 1)
            for c in candidates where best.count < want || c.score > best[best.count - 1] {
                var at = best.count
                while at > 0 && best[at - 1] < c.score { at -= 1 }
                best.insert(c.score, at: at)
                if best.count > want { best.removeLast() }
            }
            let bar = best[want - 1]
            for i in candidates.indices where candidates[i].score >= bar { top.append(i) }
        }
        let depth = top.count
        if parameters.passageWeight != 0 && depth > 0 && !plan.pairs.isEmpty {
            // Candidate `i`'s occurrences are `occurrences[starts[i]..<starts[i + 1]]`, each as
            // position << 32 | pair: a position holds one pair, so sorting the numbers orders
            // them by position.
            var starts = [Int](repeating: 0, count: depth + 1)
            // Per segment, its leading candidates' documents (in order, as `top` is) and their
            // numbers among them.
            var leading = [[(doc: Int32, at: Int)]](repeating: [], count: segs.count)
            for (i, c) in top.enumerated() {
                let si = Int(candidates[c].seg), d = candidates[c].doc
                leading[si].append((d, i))
                starts[i + 1] = starts[i] + Int(ev[base[si] + Int(d)].pairOccurrences)
            }
            occurrences.append(contentsOf: repeatElement(0, count: starts[depth]))
            var fill = starts
            try postings.withUnsafeBufferPointer { postings in
                try occurrences.withUnsafeMutableBufferPointer { occ in
                    for j in plan.pairs.indices {
                        for si in segs.indices where !leading[si].isEmpty {
                            guard let slice = slices[j][si] else { continue }
                            // The candidates' postings of the pair, sought in its list.
                            let list = UnsafeBufferPointer(rebasing: postings[pairRanges[j * segs.count + si]])
                            var k = 0
                            var finder = PositionFinder(slice)
                            for (d, at) in leading[si] {
                                k = QuestionRanker.seek(list, from: k, to: d)
                                guard k < list.count else { break }
                                guard list[k].doc == d else { continue }
                                var positions = try finder.positions(list[k].positions, tf: list[k].tf)
                                var w = fill[at]
                                while let p = try positions.next() { occ[w] = Int64(p) << 32 | Int64(j); w += 1 }
                                fill[at] = w
                            }
                        }
                    }
                }
            }
            let width = Int32(parameters.passageWidth)
            var counts = [Int32](repeating: 0, count: plan.pairs.count)
            let pairIDF = plan.pairIDF
            for i in 0..<depth {
                let c = top[i]
                let range = starts[i]..<starts[i + 1]
                occurrences.withUnsafeMutableBufferPointer { occ in
                    var run = UnsafeMutableBufferPointer(rebasing: occ[range])
                    run.sort()
                }
                for j in counts.indices { counts[j] = 0 }
                var lead = 0.0
                if parameters.leadWeight != 0 {
                    // The title's beginning: the weight of the question's pairs found at its first
                    // positions, one after another (an article whose title starts with the
                    // question's subject, 前肛鳗（学名…, is about it; 异齿前肛鳗 mentions it).
                    // Only where the title stands in the text.
                    let f = try views[Int(candidates[c].seg)].facts(candidates[c].doc)
                    var next = Int64(f.titleStart)
                    var weight = 0.0
                    if f.titleEnd > f.titleStart {
                        for o in occurrences[range] {
                            let p = o >> 32
                            if p < next { continue }
                            if p > next { break }
                            weight += pairIDF[Int(o & 0xFFFF_FFFF)]
                            next += 1
                        }
                    }
                    lead = parameters.leadWeight * weight
                    candidates[c].score += lead
                }
                // Every pair index below is one of `plan.pairs`, as `counts` and `pairIDF` are long.
                let (best, bestAt) = occurrences.withUnsafeBufferPointer { all in
                    counts.withUnsafeMutableBufferPointer { counts in
                        pairIDF.withUnsafeBufferPointer { idf in
                            let occ = UnsafeBufferPointer(rebasing: all[range])
                            var lo = occ.startIndex, weight = 0.0, best = 0.0, bestAt: Int32 = -1
                            for hi in occ.indices {
                                let p = Int32(truncatingIfNeeded: occ[hi] >> 32), j = Int(occ[hi] & 0xFFFF_FFFF)
                                if counts[j] == 0 { weight += idf[j] }
                                counts[j] += 1
                                while Int32(truncatingIfNeeded: occ[lo] >> 32) <= p - width {
                                    let jj = Int(occ[lo] & 0xFFFF_FFFF)
                                    counts[jj] -= 1
                                    if counts[jj] == 0 { weight -= idf[jj] }
                                    lo += 1
                                }
                                if weight > best { best = weight; bestAt = Int32(truncatingIfNeeded: occ[lo] >> 32) }
                            }
                            return (best, bestAt)
                        }
                    }
                }
                candidates[c].score += parameters.passageWeight * best
                candidates[c].passage = bestAt
                if explain {
                    let k = QuestionRanker.key(segment: Int(candidates[c].seg), doc: candidates[c].doc)
                    parts[k]?.lead = lead
                    parts[k]?.passage = parameters.passageWeight * best
                    parts[k]?.reranked = true
                }
            }
        }
        var out = segs.map { _ in [PartHit]() }
        for c in candidates {
            var hit = PartHit(doc: c.doc, tf: ev[base[Int(c.seg)] + Int(c.doc)].pairCount, inTitle: false, score: c.score)
            hit.passage = c.passage
            out[Int(c.seg)].append(hit)
        }
        return (out, plan, parts)
    }

    /// A document of a character pair's postings, and where its positions are in the list (16
    /// bytes: a question decodes thousands, and they are read again for triples and passages).
    struct PairPosting {
        var doc: Int32
        var tf: Int32
        var positions: PositionsAt
    }

    /// The first index from `i` on of a posting of `list` (in document order) whose document is
    /// `target` or after it (`list.count` if none): the next ones looked at, then steps doubling
    /// past the ones before `target`, then a binary search in the last step.
    @inline(__always) static func seek(_ list: UnsafeBufferPointer<PairPosting>, from i: Int, to target: Int32) -> Int {
        guard i < list.count && list[i].doc < target else { return i }
        // list[lo] is before target; list[hi] (if any) is not.
        var lo = i, step = 1, hi = i + 1
        while hi < list.count && list[hi].doc < target {
            lo = hi
            step &<<= 1
            hi = lo &+ step
        }
        var l = lo + 1, h = min(hi, list.count)
        while l < h {
            let m = (l &+ h) &>> 1
            if list[m].doc < target { l = m &+ 1 } else { h = m }
        }
        return l
    }

    /// The documents where the pair of `first` (postings of the list `firstList`) is followed by
    /// that of `second` one position later, with how often: `found(doc, count)` in document order.
    static func lineUp(_ first: UnsafeBufferPointer<PairPosting>, _ firstList: PostingsSlice,
                       _ second: UnsafeBufferPointer<PairPosting>, _ secondList: PostingsSlice,
                       _ found: (Int32, Int32) throws -> Void) throws {
        var i = 0, k = 0
        var firstFinder = PositionFinder(firstList), secondFinder = PositionFinder(secondList)
        while i < first.count && k < second.count {
            let a = first[i], b = second[k]
            // A common pair's list is often far longer than the other: skip ahead by galloping.
            if a.doc < b.doc { i = seek(first, from: i + 1, to: b.doc); continue }
            if a.doc > b.doc { k = seek(second, from: k + 1, to: a.doc); continue }
            var pa = try firstFinder.positions(a.positions, tf: a.tf)
            var pb = try secondFinder.positions(b.positions, tf: b.tf)
            var count: Int32 = 0
            if var x = try pa.next(), var y = try pb.next() {
                while true {
                    if x + 1 == y {
                        count += 1
                        guard let nx = try pa.next(), let ny = try pb.next() else { break }
                        x = nx; y = ny
                    } else if x + 1 < y {
                        guard let nx = try pa.next() else { break }
                        x = nx
                    } else {
                        guard let ny = try pb.next() else { break }
                        y = ny
                    }
                }
            }
            if count > 0 { try found(a.doc, count) }
            i += 1; k += 1
        }
    }
}

/// The parameters of ranking questions (parts no document contains exactly).
public struct QuestionRanking: Sendable, Equatable {
    /// BM25 term-frequency saturation for character pairs and triples.
    public var k1 = 1.2
    /// BM25 length normalization for character pairs and triples.
    public var b = 0.75
    /// Weight of ICU words relative to character pairs.
    public var wordWeight = 0.6
    /// Weight of character triples (adjacency) relative to pairs.
    public var tripleWeight = 0.4
    /// Exponent of the coverage factor (0 turns it off).
    public var coveragePower = 0.0
    /// Share of the question's weight (the sum of the IDF of its character pairs and of its words)
    /// a document must contain to match.
    public var minimumPairShare = 0.1
    /// How many of the best candidates get the passage and title-beginning features. 20 scores
    /// exactly as 50 and 300 did on the NCPQA and CMRC dev questions (MRR@10, nDCG@10 and recall
    /// to four places; 10 does not) and covers two pages of ten.
    public var rerankDepth = 20
    /// Weight of the best passage (the window holding the most of the question's pair weight).
    public var passageWeight = 1.0
    /// Width of that window in characters.
    public var passageWidth = 40
    /// Character pairs found in more than this share of the documents are left out (1: none).
    public var commonPairShare = 0.5
    /// Words found in more than this share of the documents are left out of the scoring (1:
    /// none), when some pair of the question occurs.
    public var commonWordShare = 0.5
    /// Weight of the question's pairs that make the beginning of the document's title (for the
    /// `rerankDepth` best candidates).
    public var leadWeight = 0.5

    /// The tuned defaults.
    public init() {}

    /// Sets a parameter by name (`k1`, `b`, `wordWeight` …) from text; false when unknown.
    public mutating func set(_ name: String, _ value: String) -> Bool {
        guard let v = Double(value) else { return false }
        switch name {
        case "k1": k1 = v
        case "b": b = v
        case "wordWeight": wordWeight = v
        case "tripleWeight": tripleWeight = v
        case "coveragePower": coveragePower = v
        case "minimumPairShare": minimumPairShare = v
        case "rerankDepth": rerankDepth = Int(v)
        case "passageWeight": passageWeight = v
        case "passageWidth": passageWidth = Int(v)
        case "commonPairShare": commonPairShare = v
        case "commonWordShare": commonWordShare = v
        case "leadWeight": leadWeight = v
        default: return false
        }
        return true
    }
}
