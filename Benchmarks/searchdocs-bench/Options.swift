import Foundation

/// Command line of the benchmark.
struct Options {
    static let fullCorpora = ["gov-work-reports", "smart-city-policies", "ncpqa-policies", "cn-laws-regulations"]
        .map { "../shared/corpora/" + $0 }

    var corpora = Options.fullCorpora
    var keywords = "../shared/eval/keywords.txt"
    /// The user dictionary, copied into the work corpus as `.searchdocs/dictionary.txt`.
    var dictionary: String? = "corpus/.searchdocs/dictionary.txt"
    var questions = "../shared/eval/ncpqa/queries.dev.tsv"
    var qrels: String?
    var questionCount = 200
    var addFrom = "../shared/corpora/cmrc2018-wiki"
    var buildRuns = 3
    var rounds = 10
    var questionRounds = 3
    var coldRounds = 3
    var incrementalRounds = 50
    var updates = 1000
    var searchdocs: String?
    var sqlite3: String?
    var work: String?
    var quick = false
    /// `--compare A B`: only compare the keyword queries on two existing indexes.
    var compare: (String, String)?
    /// `--snippets`: with `--compare`, time each query with the snippets of its hits.
    var snippets = false

    static let usage = """
    usage: searchdocs-bench [--quick] [--corpora DIR...] [options]

    Benchmarks searchdocs against SQLite FTS5 (trigram tokenizer) on the same documents and queries,
    and prints a Markdown report. Run from the package root after `swift build -c release`.

      --corpora DIR...          corpus folders (each with docs/ or documents directly);
                                default: the four benchmark corpora in ../shared/corpora
      --quick                   a smoke run: ncpqa-policies only, 50 questions, 1 build run, few rounds
      --keywords FILE           keyword queries, one per line, # comments (../shared/eval/keywords.txt)
      --dict FILE               the user dictionary to index with, as shipped (corpus/.searchdocs/dictionary.txt)
      --no-dict                 index without a user dictionary
      --questions FILE          qid<TAB>question lines (../shared/eval/ncpqa/queries.dev.tsv)
      --qrels FILE              judgments for MRR@10 (default: qrels.dev.tsv next to --questions)
      --question-count N        how many questions, from the top of the file (200)
      --add-from DIR            where the incremental rounds take new documents (../shared/corpora/cmrc2018-wiki)
      --build-runs N            runs of the ICU pass and of each index build; medians are reported (3)
      --rounds N                timed rounds of the warm keyword queries (10)
      --question-rounds N       timed rounds of the warm questions (3)
      --cold-rounds N           timed rounds of the cold query processes (3)
      --incremental-rounds N    rounds of adding 10 documents (50)
      --updates N               single-document updates (each committed) before the keyword queries
                                run again, on that index and on one rebuilt from the same files (1000)
      --searchdocs PATH         the searchdocs binary (default: next to this executable)
      --sqlite3 PATH            the sqlite3 command line (default: found on PATH; skipped when absent)
      --work DIR                keep the work files (corpus links, indexes) in DIR instead of a
                                temporary folder that is removed at the end
      --compare INDEX_A INDEX_B only this: the keyword queries, warm and interleaved, on two indexes
                                of the same documents, with each query's time on both (--rounds)
      --snippets                with --compare: time the queries with the snippets of their hits
    """

    static func parse(_ args: [String]) throws -> Options {
        var o = Options()
        if args.contains("--quick") {
            o.quick = true
            o.corpora = ["../shared/corpora/ncpqa-policies"]
            o.questionCount = 50
            o.buildRuns = 1
            o.rounds = 2
            o.questionRounds = 1
            o.coldRounds = 1
            o.incrementalRounds = 3
            o.updates = 30
        }
        var i = 0
        func value() throws -> String {
            i += 1
            guard i < args.count, !args[i].hasPrefix("--") else { throw BenchError("\(args[i - 1]) needs a value") }
            return args[i]
        }
        func number() throws -> Int {
            let v = try value()
            guard let n = Int(v), n >= 0 else { throw BenchError("\(args[i - 1]) needs a number, not \(v)") }
            return n
        }
        while i < args.count {
            switch args[i] {
            case "--quick": break
            case "--help", "-h": print(usage); exit(0)
            case "--corpora":
                var list: [String] = []
                while i + 1 < args.count, !args[i + 1].hasPrefix("--") { i += 1; list.append(args[i]) }
                guard !list.isEmpty else { throw BenchError("--corpora needs at least one folder") }
                o.corpora = list
            case "--keywords": o.keywords = try value()
            case "--dict": o.dictionary = try value()
            case "--no-dict": o.dictionary = nil
            case "--questions": o.questions = try value()
            case "--qrels": o.qrels = try value()
            case "--question-count": o.questionCount = try number()
            case "--add-from": o.addFrom = try value()
            case "--build-runs": o.buildRuns = max(1, try number())
            case "--rounds": o.rounds = max(1, try number())
            case "--question-rounds": o.questionRounds = max(1, try number())
            case "--cold-rounds": o.coldRounds = max(1, try number())
            case "--incremental-rounds": o.incrementalRounds = try number()
            case "--updates": o.updates = try number()
            case "--searchdocs": o.searchdocs = try value()
            case "--sqlite3": o.sqlite3 = try value()
            case "--work": o.work = try value()
            case "--compare": o.compare = (try value(), try value())
            case "--snippets": o.snippets = true
            default: throw BenchError("unknown argument \(args[i]) (see --help)")
            }
            i += 1
        }
        return o
    }
}
