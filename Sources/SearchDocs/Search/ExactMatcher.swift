/// A document that contains a query part, with what scoring and snippets need.
struct PartHit {
    var doc: Int32
    /// Occurrences (exact), or the sum over matched words (words mode).
    var tf: Int32
    var inTitle: Bool
    /// A score computed by the matcher (questions), or 0 when BM25 of `tf` scores the hit.
    var score: Double = 0
    /// The match-text positions of the occurrences (exact parts of two or more characters): where
    /// they are in the array the matcher appended them to; −1 when the matcher did not keep them
    /// (see ``ExactMatcher/positions(of:doc:in:)``).
    var positionStart: Int32 = 0
    var positionCount: Int32 = 0
    /// Questions: the match-text position where the document's best passage starts (see
    /// ``QuestionRanker``), for its snippet; −1 when not computed.
    var passage: Int32 = -1
    /// The document's length in match-text characters, for BM25 (exact hits: the matcher has
    /// its facts at hand, so that scoring does not look them up again, maybe on another core).
    var charLength: UInt32 = 0
}

/// Finds the documents of a segment that contain a string of match text exactly, checking
/// positions: for strings of two or more code points, the character-pair postings at offsets
/// 0, 2, 4 … (and the last pair) must line up. One code point: the character postings.
enum ExactMatcher {
    /// The documents of `segment` that contain `needle` (their positions are not kept).
    static func match(_ needle: [UInt32], in segment: LiveSegment, titleOnly: Bool = false) throws(IndexError) -> [PartHit] {
        var positions: [Int32] = []
        return try match(needle, in: DocFactsView(segment: segment, cache: nil), titleOnly: titleOnly, positions: &positions)
    }

    /// The hits, their positions appended to `positions` (see ``PartHit/positionStart``).
    static func match(_ needle: [UInt32], in facts: DocFactsView, titleOnly: Bool = false,
                      positions: inout [Int32]) throws(IndexError) -> [PartHit] {
        var documents = 0
        return try match(needle, in: facts, titleOnly: titleOnly, only: nil, documents: &documents, positions: &positions)
    }

    /// Whether ``match(_:in:titleOnly:only:documents:positions:)`` can restrict the hits of
    /// `needle` to given documents: a needle of one or two characters, not only in titles,
    /// whose documents are counted from its postings without reading positions.
    static func restrictable(_ needle: [UInt32], titleOnly: Bool) -> Bool {
        !titleOnly && (needle.count == 1 || needle.count == 2)
    }

    /// The hits, their positions appended to `positions`; `documents` is set to how many
    /// documents hold the needle. With `only` (ascending document numbers; for a
    /// ``restrictable(_:titleOnly:)`` needle), hits are made only for those documents: the
    /// others are counted, their titles and positions never read. An AND of parts needs no
    /// more (a document missing another part cannot match), while the count keeps the part's
    /// document frequency, and so its weight, what it is without `only`.
    static func match(_ needle: [UInt32], in facts: DocFactsView, titleOnly: Bool = false, only: [Int32]?,
                      documents: inout Int, positions: inout [Int32]) throws(IndexError) -> [PartHit] {
        documents = 0
        if needle.isEmpty { return [] }
        let only = restrictable(needle, titleOnly: titleOnly) ? only : nil
        do {
            let hits = needle.count == 1
                ? try matchOne(needle[0], in: facts, titleOnly: titleOnly, only: only, documents: &documents)
                : try matchMany(needle, in: facts, titleOnly: titleOnly, only: only, documents: &documents,
                                positions: &positions)
            // Unrestricted, every document holding the needle is a hit.
            if only == nil { documents = hits.count }
            return hits
        } catch let e as IndexError {
            throw e
        } catch {
            throw IndexError.corrupt(file: facts.segment.name, detail: "postings cannot be decoded")
        }
    }

    private static func matchOne(_ c: UInt32, in facts: DocFactsView, titleOnly: Bool, only: [Int32]?,
                                 documents: inout Int) throws -> [PartHit] {
        let segment = facts.segment
        guard let slice = try facts.gramPostings(UInt64(c)) else { return [] }
        var cursor = PostingsCursor(slice)
        var out: [PartHit] = []
        out.reserveCapacity(slice.df)
        let bytes = Array(String(Unicode.Scalar(c).map { Character($0) } ?? " ").utf8)
        var utf8: UInt32 = 0
        for (k, b) in bytes.enumerated() { utf8 |= UInt32(b) << (8 * UInt32(k)) }
        var next = 0
        while try cursor.next() {
            if segment.isDeleted(cursor.doc) { continue }
            documents += 1
            if let only, !wanted(cursor.doc, in: only, from: &next) { continue }
            let (length, inTitle) = try facts.titleCheck(cursor.doc, utf8: utf8, length: bytes.count)
            if titleOnly && !inTitle { continue }
            var hit = PartHit(doc: cursor.doc, tf: cursor.tf, inTitle: inTitle)
            hit.charLength = length
            out.append(hit)
        }
        return out
    }

    private static func matchMany(_ needle: [UInt32], in facts: DocFactsView, titleOnly: Bool, only: [Int32]?,
                                  documents: inout Int, positions: inout [Int32]) throws -> [PartHit] {
        let segment = facts.segment
        let n = needle.count
        // The pairs at offsets 0, 2, 4 … and the last one cover the needle. Most segments lack
        // one of them (small segments above all): they return having allocated at most `lists`.
        var lists: [(offset: Int32, slice: PostingsSlice, filter: Bool)] = []
        func key(_ o: Int) -> UInt64 { pairKey(needle, at: o) }
        var o = 0
        while true {
            guard let s = try facts.gramPostings(key(o)) else { return [] }
            lists.append((Int32(o), s, false))
            if o == n - 2 { break }
            o = min(o + 2, n - 2)
        }
        // The pairs in between are implied by those, but a rarer one narrows the documents whose
        // positions are read (安全生产: 全生 is in 551 documents, 安全 and 生产 in over 2,300).
        // Such pairs only filter documents; their positions are never read.
        let most = lists.map(\.slice.df).max() ?? 0
        for o in stride(from: 1, to: n - 2, by: 2) where !lists.contains(where: { key(Int($0.offset)) == key(o) }) {
            guard let s = try facts.gramPostings(key(o)) else { return [] }
            if s.df < most { lists.append((Int32(o), s, true)) }
        }
        lists.sort { $0.slice.df < $1.slice.df }
        var cursors = lists.map { PostingsCursor($0.slice) }
        // The lists whose positions line up, the pair that occurs least among them first.
        let lined = lists.indices.filter { !lists[$0].filter }
        var out: [PartHit] = []
        var candidate: [Int32] = []
        if cursors.count == 1 {
            // One pair (a needle of two characters): tf is the number of its positions; they are
            // read only as far as the title needs (see ``positions(of:doc:in:)`` for the rest).
            var cursor = cursors[0]
            let width = Int32(n)
            var next = 0
            while try cursor.next() {
                let doc = cursor.doc
                if segment.isDeleted(doc) { continue }
                documents += 1
                if let only, !wanted(doc, in: only, from: &next) { continue }
                let f = try facts.facts(doc)
                let ts = Int32(bitPattern: f.titleStart), te = Int32(bitPattern: f.titleEnd)
                var inTitle = false
                var it = cursor.positionIterator()
                while let p = try it.next(), p + width <= te {
                    if p >= ts { inTitle = true; break }
                }
                if titleOnly && !inTitle { continue }
                var hit = PartHit(doc: doc, tf: cursor.tf, inTitle: inTitle)
                hit.positionStart = -1
                hit.charLength = f.charLength
                out.append(hit)
            }
            return out
        }
        outer: while try cursors[0].next() {
            let doc = cursors[0].doc
            if segment.isDeleted(doc) { continue }
            for k in 1..<cursors.count {
                if try !cursors[k].advance(to: doc) { break outer }
                if cursors[k].doc != doc { continue outer }
            }
            var fewest = lined[0]
            for k in lined where cursors[k].tf < cursors[fewest].tf { fewest = k }
            // The positions of the pair that occurs least, kept where every other pair lines up.
            candidate.removeAll(keepingCapacity: true)
            var first = cursors[fewest].positionIterator(shift: lists[fewest].offset)
            while let p = try first.next() { candidate.append(p) }
            for k in lined where k != fewest {
                var other = cursors[k].positionIterator(shift: lists[k].offset)
                let kept = try candidate.withUnsafeMutableBufferPointer { c throws(ReadError) -> Int in
                    var i = 0, w = 0
                    guard c.count > 0, var y = try other.next() else { return 0 }
                    while i < c.count {
                        let x = c[i]
                        if x == y {
                            c[w] = x; w += 1; i += 1
                        } else if x < y {
                            i += 1
                        } else {
                            guard let n = try other.next() else { break }
                            y = n
                        }
                    }
                    return w
                }
                candidate.removeLast(candidate.count - kept)
                if candidate.isEmpty { continue outer }
            }
            let f = try facts.facts(doc)
            let ts = Int32(bitPattern: f.titleStart), te = Int32(bitPattern: f.titleEnd)
            let inTitle = candidate.contains { $0 >= ts && $0 + Int32(n) <= te }
            if titleOnly && !inTitle { continue }
            var hit = PartHit(doc: doc, tf: Int32(candidate.count), inTitle: inTitle)
            hit.charLength = f.charLength
            hit.positionStart = Int32(positions.count)
            hit.positionCount = Int32(candidate.count)
            positions.append(contentsOf: candidate)
            out.append(hit)
        }
        return out
    }

    /// Whether `doc` is in `only` (ascending), looked for from `next` on; documents are asked
    /// for in ascending order, so `next` moves forward only.
    @inline(__always)
    private static func wanted(_ doc: Int32, in only: [Int32], from next: inout Int) -> Bool {
        while next < only.count && only[next] < doc { next += 1 }
        return next < only.count && only[next] == doc
    }

    /// The positions of a two-character needle in document `doc`, for a hit whose positions the
    /// matcher did not keep (``PartHit/positionStart`` −1).
    static func positions(of needle: [UInt32], doc: Int32, in facts: DocFactsView) throws(IndexError) -> [Int32] {
        guard needle.count == 2, let slice = try facts.gramPostings(pairKey(needle, at: 0)) else { return [] }
        var out: [Int32] = []
        do {
            var cursor = PostingsCursor(slice)
            guard try cursor.advance(to: doc), cursor.doc == doc else { return [] }
            var it = cursor.positionIterator()
            while let p = try it.next() { out.append(p) }
        } catch {
            throw IndexError.corrupt(file: facts.segment.name, detail: "postings cannot be decoded")
        }
        return out
    }

    /// The postings key of the character pair at offset `o` of `needle`.
    @inline(__always)
    static func pairKey(_ needle: [UInt32], at o: Int) -> UInt64 {
        UInt64(needle[o]) << 32 | UInt64(needle[o + 1])
    }

    @inline(__always)
    static func intersect(_ a: [Int32], _ b: [Int32], into out: inout [Int32]) {
        out.removeAll(keepingCapacity: true)
        var i = 0, j = 0
        while i < a.count && j < b.count {
            let x = a[i], y = b[j]
            if x == y { out.append(x); i += 1; j += 1 } else if x < y { i += 1 } else { j += 1 }
        }
    }
}
