/// The fallback for a query part that no document contains exactly: its ICU words, of which a
/// document must contain most of the content words.
enum WordMatcher {
    /// Function words and question words that carry no topic (never required, never scored).
    static let stopWords: Set<String> = [
        "的", "了", "是", "在", "和", "与", "及", "或", "等", "对", "有", "为", "被", "把", "将", "从", "向",
        "也", "都", "就", "而", "并", "又", "其", "之", "这", "那", "这些", "那些", "这个", "那个", "吗", "呢",
        "吧", "啊", "么", "哪", "谁", "何", "什么", "哪些", "哪个", "如何", "怎么", "怎样", "怎么样", "多少",
        "为什么", "是否", "有何", "有哪些", "请问", "可以", "能否", "能", "会", "要", "需要", "对于", "关于",
        "一个", "我", "我们", "你", "你们", "他", "她", "它", "他们", "哪里", "几", "吗?", "the", "a", "an", "of",
        "and", "or", "to", "in", "is", "what", "how",
    ]

    /// The distinct content words of a text, normalized, in order of first appearance.
    static func contentWords(of text: String) throws(AnalysisError) -> [String] {
        let analysis = try Analysis.of(text)
        var seen = Set<String>()
        var out: [String] = []
        for t in analysis.tokens where t.kind.isIndexed && !stopWords.contains(t.term) {
            if seen.insert(t.term).inserted { out.append(t.term) }
        }
        return out
    }

    /// How many of `n` content words a document must contain.
    static func required(of n: Int) -> Int {
        n <= 2 ? n : n / 2 + 1
    }

    /// Documents of a segment containing at least `required` of `words`, with per-word frequencies.
    static func match(_ words: [[UInt8]], required: Int, in segment: LiveSegment) throws(IndexError) -> [PartHit] {
        var byDoc: [Int32: [Int32]] = [:]
        do {
            for (w, word) in words.enumerated() {
                guard let slice = try segment.reader.wordPostings(word) else { continue }
                var c = PostingsCursor(slice)
                while try c.next() {
                    if segment.isDeleted(c.doc) { continue }
                    byDoc[c.doc, default: [Int32](repeating: 0, count: words.count)][w] = c.tf
                }
            }
        } catch let e as IndexError {
            throw e
        } catch {
            throw IndexError.corrupt(file: segment.name, detail: "word postings cannot be decoded")
        }
        var out: [PartHit] = []
        for (doc, tfs) in byDoc where tfs.filter({ $0 > 0 }).count >= required {
            out.append(PartHit(doc: doc, tf: tfs.reduce(0, +), inTitle: false, positions: [], wordTFs: tfs))
        }
        out.sort { $0.doc < $1.doc }
        return out
    }
}
