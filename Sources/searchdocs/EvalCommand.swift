import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SearchDocs

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure ranking quality on judged questions: MRR@10, nDCG@10, Recall@10, Recall@100.",
        discussion: "Each question is taken literally (no query syntax). The same figures for a plain character-bigram BM25 over the same index are printed beside them.")

    @OptionGroup var options: IndexOptionGroup

    @Option(name: .long, help: ArgumentHelp("Questions, qid<TAB>text per line.", valueName: "FILE"))
    var queries: String

    @Option(name: .long, help: ArgumentHelp("TREC qrels: qid 0 docid relevance.", valueName: "FILE"))
    var qrels: String

    @Flag(name: .long, help: "List the questions whose relevant document is not in the top 10.")
    var misses = false

    @Flag(name: .long, help: "Also report a two-fold split (even and odd question numbers).")
    var folds = false

    @Option(name: .customLong("set"), help: ArgumentHelp("Set a question-ranking parameter (k1, b, wordWeight, tripleWeight, coveragePower, minimumPairShare, rerankDepth, passageWeight, passageWidth, commonPairShare, commonWordShare, leadWeight).", valueName: "NAME=VALUE"))
    var parameters: [String] = []

    func run() throws {
        do {
            let index = try SearchIndex(directory: options.indexDirectory)
            let judgments = try RelevanceJudgments(queriesFile: queries, qrelsFile: qrels)
            var o = SearchOptions()
            o.limit = 100
            o.snippets = false
            o.literal = true
            for p in parameters {
                let kv = p.split(separator: "=", maxSplits: 1).map(String.init)
                guard kv.count == 2, o.questionRanking.set(kv[0], kv[1]) else { throw fail("unknown parameter setting \(p)") }
            }
            let searchOptions = o
            let engine = { (j: RelevanceJudgments) throws -> QualityReport in
                try Evaluator.evaluate(j) { try index.search($0, options: searchOptions).hits.map(\.path) }
            }
            let baseline = { (j: RelevanceJudgments) throws -> QualityReport in
                try Evaluator.evaluate(j) { try index.baselineRanking($0) }
            }
            let ours = try engine(judgments), base = try baseline(judgments)
            var out = "\(ours.questions) questions, \(index.documentCount) documents\n"
            out += "system                  MRR@10  nDCG@10  Recall@10  Recall@100  no result\n"
            func row(_ name: String, _ r: QualityReport) -> String {
                padded(name, 22) + "  " + fixed(r.mrr10, 4, width: 6) + "  " + fixed(r.ndcg10, 4, width: 7)
                    + "  " + fixed(r.recall10, 4, width: 9) + "  " + fixed(r.recall100, 4, width: 10) + "  " + fixed(r.noResult, 4, width: 9) + "\n"
            }
            out += row("searchdocs", ours)
            out += row("bigram BM25 baseline", base)
            if folds {
                for (name, keep) in [("even", { (i: Int) in i % 2 == 0 }), ("odd", { (i: Int) in i % 2 == 1 })] {
                    let j = judgments.subset(keep)
                    out += row("searchdocs (\(name))", try engine(j))
                }
            }
            if misses {
                out += "\nnot in the top 10:\n"
                for m in ours.misses { out += "\(m.id)\t\(m.rank.map { "rank \($0)" } ?? "not in top 100")\t\(m.text)\n" }
            }
            Output.out(out)
        } catch let e as IndexError {
            throw fail(e.description)
        } catch {
            throw fail("\(error)")
        }
    }
}
