/// The reference ranking that quality is measured against: plain BM25 over the character
/// pairs of the question (no words, no positions), computed from the same index.
struct BigramBaseline {
    let index: SearchIndex
    let bm25 = BM25()

    /// Paths of the best `limit` documents for a question.
    func rank(_ text: String, limit: Int) throws -> [String] {
        let m = TextNormalizer.matchScalars(of: text).filter { $0 != MatchText.boundary }
        var keys: [UInt64] = []
        var seen = Set<UInt64>()
        if m.count >= 2 {
            for i in 0..<(m.count - 1) where m[i] != 0x20 && m[i + 1] != 0x20 {
                let k = UInt64(m[i]) << 32 | UInt64(m[i + 1])
                if seen.insert(k).inserted { keys.append(k) }
            }
        }
        var scores: [Int: [Int32: Double]] = [:]
        let n = index.documentCount
        for k in keys {
            var lists: [(Int, PartHit)] = []
            for (si, seg) in index.segments.enumerated() {
                guard let slice = try seg.reader.gramPostings(k) else { continue }
                var c = PostingsCursor(slice)
                while try c.next() {
                    if seg.isDeleted(c.doc) { continue }
                    lists.append((si, PartHit(doc: c.doc, tf: c.tf, inTitle: false)))
                }
            }
            for (si, h) in lists {
                let rec = try index.segments[si].reader.doc(Int(h.doc))
                scores[si, default: [:]][h.doc, default: 0] += bm25.score(tf: Int(h.tf), df: lists.count, documents: n,
                                                                            dl: Double(rec.charLength), avgdl: index.averageChars)
            }
        }
        var all: [(Double, Int, Int32)] = []
        for (si, m) in scores { for (d, s) in m { all.append((s, si, d)) } }
        all.sort { $0.0 != $1.0 ? $0.0 > $1.0 : ($0.1, $0.2) < ($1.1, $1.2) }
        return try all.prefix(limit).map { try index.segments[$0.1].doc(Int($0.2)).path }
    }
}

extension SearchIndex {
    /// Paths of the best documents for a question under the character-bigram BM25 baseline.
    public func baselineRanking(_ question: String, limit: Int = 100) throws -> [String] {
        try BigramBaseline(index: self).rank(question, limit: limit)
    }
}
