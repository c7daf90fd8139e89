#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Questions and their relevant documents, for measuring ranking quality.
public struct RelevanceJudgments: Sendable {
    /// A question: id and text, taken literally.
    public struct Question: Sendable {
        /// The question's id, as in the qrels file.
        public var id: String
        /// The question's text.
        public var text: String
    }
    /// The questions, in file order.
    public var questions: [Question]
    /// Question id → relevant document ids (file names without extension).
    public var relevant: [String: Set<String>]

    /// Reads `qid<TAB>text` questions and TREC qrels (`qid 0 docid relevance`, tab-separated).
    public init(queriesFile: String, qrelsFile: String) throws {
        func lines(_ path: String) throws -> [Substring] {
            do {
                return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            } catch {
                throw InputError(path: path, reason: "cannot read (\(error))")
            }
        }
        questions = []
        for (n, line) in try lines(queriesFile).enumerated() {
            let cols = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            guard cols.count == 2 else { throw InputError(path: queriesFile, reason: "line \(n + 1): expected qid<TAB>text") }
            questions.append(Question(id: String(cols[0]), text: String(cols[1])))
        }
        relevant = [:]
        for (n, line) in try lines(qrelsFile).enumerated() {
            let cols = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
            guard cols.count == 4 else { throw InputError(path: qrelsFile, reason: "line \(n + 1): expected qid 0 docid relevance") }
            if (Int(cols[3]) ?? 0) > 0 { relevant[String(cols[0]), default: []].insert(String(cols[2])) }
        }
    }

    /// Only the questions at these positions (for cross-validation folds).
    public func subset(_ keep: (Int) -> Bool) -> RelevanceJudgments {
        var copy = self
        copy.questions = questions.enumerated().filter { keep($0.offset) }.map(\.element)
        return copy
    }
}

/// Quality figures over a set of questions.
public struct QualityReport: Sendable {
    /// Questions evaluated (those with at least one relevant document).
    public var questions = 0
    /// Mean reciprocal rank of the first relevant document within the top 10.
    public var mrr10 = 0.0
    /// Mean nDCG over the top 10 (binary relevance).
    public var ndcg10 = 0.0
    /// Mean share of the relevant documents found in the top 10.
    public var recall10 = 0.0
    /// Mean share of the relevant documents found in the top 100.
    public var recall100 = 0.0
    /// Share of questions with no result at all.
    public var noResult = 0.0
    /// Questions whose relevant document is not in the top 10: id, text, rank of the first relevant (nil: not in the top 100).
    public var misses: [(id: String, text: String, rank: Int?)] = []
}

/// Runs questions against an index and computes MRR@10, nDCG@10, Recall@10 and Recall@100.
public enum Evaluator {
    /// The document id of a hit: its file name without extension.
    public static func documentID(ofPath path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        if let dot = name.lastIndex(of: ".") { return String(name[..<dot]) }
        return name
    }

    /// Evaluates a ranking: `rank(text)` returns document paths, best first (at least 100 when there are).
    /// Questions run on all processors.
    public static func evaluate(_ judgments: RelevanceJudgments, rank: @Sendable (String) throws -> [String]) throws -> QualityReport {
        let questions = judgments.questions.filter { !(judgments.relevant[$0.id] ?? []).isEmpty }
        var ranked = [[String]](repeating: [], count: questions.count)
        try ranked.withUnsafeMutableBufferPointer { slots in
            // Each question's slot is written by the one thread that ranks it.
            nonisolated(unsafe) let slots = slots
            try concurrently(questions.count, threads: onlineProcessors) { i in
                slots[i] = try rank(questions[i].text).prefix(100).map(documentID(ofPath:))
            }
        }
        var r = QualityReport()
        for (i, q) in questions.enumerated() {
            let rel = judgments.relevant[q.id]!
            let ids = ranked[i]
            r.questions += 1
            if ids.isEmpty { r.noResult += 1 }
            let first = ids.firstIndex(where: { rel.contains($0) })
            if let f = first, f < 10 { r.mrr10 += 1 / Double(f + 1) } else {
                r.misses.append((q.id, q.text, first.map { $0 + 1 }))
            }
            var dcg = 0.0
            for (i, id) in ids.prefix(10).enumerated() where rel.contains(id) { dcg += 1 / log2(Double(i + 2)) }
            var ideal = 0.0
            for i in 0..<min(10, rel.count) { ideal += 1 / log2(Double(i + 2)) }
            r.ndcg10 += dcg / ideal
            r.recall10 += Double(ids.prefix(10).filter { rel.contains($0) }.count) / Double(rel.count)
            r.recall100 += Double(ids.filter { rel.contains($0) }.count) / Double(rel.count)
        }
        let n = Double(max(r.questions, 1))
        r.mrr10 /= n; r.ndcg10 /= n; r.recall10 /= n; r.recall100 /= n; r.noResult /= n
        return r
    }
}
