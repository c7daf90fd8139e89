#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest
@testable import SearchDocs
import TestSupport

/// Kills `searchdocs index` runs with SIGKILL — at random moments and at the named points of the
/// commit protocol — and checks what a crash leaves: a sound index holding a committed state,
/// every document of which is found, and a next run that ends in the full-rebuild state.
///
/// The corpus (599 documents of ncpqa-policies) goes from a base state to a final one: 45 files
/// added, 10 changed, 5 renamed, 10 removed. Every killed run starts from a copy of the index of
/// the base state and commits every 10 documents (segments of 5), so a run commits about six
/// times and merges on the way. Set `SEARCHDOCS_CRASH_SEED` to repeat a run.
final class CrashTests: XCTestCase {
    enum Kill: CustomStringConvertible {
        /// SIGKILL from the test after a random delay (the run rebuilds from scratch when `rebuild`).
        case random(rebuild: Bool)
        /// The process kills itself at the nth time it reaches the named point.
        case point(String, Int)

        var description: String {
            switch self {
            case .random(let rebuild): return rebuild ? "random kill of a rebuild" : "random kill"
            case .point(let name, let n): return "\(name):\(n)"
            }
        }
    }

    /// What the test knows about the two states of the corpus.
    struct States {
        /// Path → content hash, as indexed.
        var base: [String: UInt64] = [:]
        var final: [String: UInt64] = [:]
        /// Final paths every committed state after the base must hold (unchanged and renamed files).
        var kept: Set<String> = []
        /// Content hash → a run of six ideographs of that text, and the text's match text.
        var probe: [UInt64: String] = [:]
        var matchText: [UInt64: String] = [:]
        var baseGeneration = 0
        /// Queries and their top 20 answers in the index rebuilt from the final state.
        var reference: [(query: String, answer: RankedAnswer)] = []
    }

    func testKilledIndexRunsLeaveACommittedStateAndTheNextRunEndsInTheRebuildState() throws {
        guard let docs = try SharedData.documents(of: "ncpqa-policies"),
              let others = try SharedData.documents(of: "smart-city-policies"),
              let queries = try SharedData.require("eval/ncpqa/queries.dev.tsv") else { return }
        let started = Date()
        let seed = ProcessInfo.processInfo.environment["SEARCHDOCS_CRASH_SEED"].flatMap { UInt64($0) }
            ?? UInt64.random(in: 0...UInt64.max)
        print("crash test seed: \(seed) (repeat with SEARCHDOCS_CRASH_SEED=\(seed))")
        var rng = SplitMix64(seed: seed)

        let root = try temporaryFolder(self, "crash")
        let corpus = root.appendingPathComponent("corpus")
        let fm = FileManager.default
        func link(_ rel: String, to target: URL) throws {
            let url = corpus.appendingPathComponent(rel)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try fm.createSymbolicLink(at: url, withDestinationURL: target)
        }
        let added = docs[0..<45], changed = docs[45..<55], renamed = docs[55..<60], unchanged = docs[60...]
        let gone = others[0..<10]

        // The base state.
        for d in unchanged { try link(d.lastPathComponent, to: d) }
        for d in renamed { try link("moved/" + d.lastPathComponent, to: d) }
        for d in gone { try link("gone/" + d.lastPathComponent, to: d) }
        for (k, d) in changed.enumerated() {
            let text = try String(contentsOf: d, encoding: .utf8) + "\n附：本文第\(k + 1)稿，已由修订稿替代。\n"
            try text.write(to: corpus.appendingPathComponent(d.lastPathComponent), atomically: false, encoding: .utf8)
        }
        let base = root.appendingPathComponent("base")
        let built = try SearchDocsProcess.run(["index", corpus.path, "--index", base.path], in: root)
        XCTAssertEqual(built.status, 0, built.stderr)
        var states = States()
        let baseIndex = try SearchIndex(directory: base.path)
        states.base = try baseIndex.liveDocuments()
        states.baseGeneration = baseIndex.generation
        XCTAssertEqual(states.base.count, 564)
        // Probes: six ideographs of each version of each document.
        try addProbes(corpus, to: &states)

        // The final state: every document of ncpqa-policies, at the top of the corpus.
        try fm.removeItem(at: corpus.appendingPathComponent("moved"))
        try fm.removeItem(at: corpus.appendingPathComponent("gone"))
        for d in changed { try fm.removeItem(at: corpus.appendingPathComponent(d.lastPathComponent)) }
        for d in [added, changed, renamed].joined() { try link(d.lastPathComponent, to: d) }
        states.kept = Set([unchanged, renamed].joined().map(\.lastPathComponent))

        let ref = root.appendingPathComponent("ref")
        let refStart = Date()
        let rebuilt = try SearchDocsProcess.run(["index", corpus.path, "--index", ref.path, "--rebuild"], in: root)
        let rebuildSeconds = Date().timeIntervalSince(refStart)
        XCTAssertEqual(rebuilt.status, 0, rebuilt.stderr)
        let refIndex = try SearchIndex(directory: ref.path)
        states.final = try refIndex.liveDocuments()
        XCTAssertEqual(states.final.count, docs.count)

        try addProbes(corpus, to: &states)
        for h in Set(states.base.values).union(states.final.values) where states.probe[h] == nil {
            XCTFail("no probe for a document version (hash \(h))")
        }

        // Reference answers: keywords, and questions that go to the word fallback.
        let questions = try String(contentsOf: queries, encoding: .utf8).split(separator: "\n")
            .compactMap { $0.split(separator: "\t").last.map(String.init) }.prefix(3)
        for q in ["疫情防控", "复工复产", "医疗保障", "国务院办公厅", "减免 租金", "\"新冠肺炎\" -湖北"] + questions {
            states.reference.append((q, try refIndex.ranked(q)))
        }

        // One run without a kill: how long a killed run lasts, and that the setup does what it says.
        let calibration = root.appendingPathComponent("calibration")
        try fm.copyItem(at: base, to: calibration)
        let runStart = Date()
        let full = try SearchDocsProcess.run(runArguments(calibration, rebuild: false), in: root)
        let runSeconds = Date().timeIntervalSince(runStart)
        XCTAssertEqual(full.status, 0, full.stderr)
        XCTAssertTrue(full.stdout.hasPrefix("+45 added, ~10 changed, -10 removed, 5 renamed, 539 unchanged ("), full.stdout)
        XCTAssertGreaterThan(try SearchIndex(directory: calibration.path).generation, states.baseGeneration + 4,
                             "the run should commit several times")
        try checkFinalState(calibration, states, label: "run without a kill")
        try fm.removeItem(at: calibration)

        // Thirty kills: four at each named point (at its first few occurrences), the rest at random moments.
        var plan: [Kill] = []
        for _ in 0..<4 {
            plan.append(.point("after-segment-write", Int.random(in: 1...10, using: &rng)))
            plan.append(.point("before-manifest-rename", Int.random(in: 1...5, using: &rng)))
            plan.append(.point("after-manifest-rename", Int.random(in: 1...5, using: &rng)))
            plan.append(.point("during-merge", Int.random(in: 1...6, using: &rng)))
        }
        plan += [Kill](repeating: .random(rebuild: false), count: 12) + [.random(rebuild: true), .random(rebuild: true)]
        plan.shuffle(using: &rng)
        let delays = plan.map { _ in Double.random(in: 0..<0.9, using: &rng) }

        for (n, kill) in plan.enumerated() {
            let label = "kill \(n + 1) (\(kill))"
            let idx = root.appendingPathComponent("index-\(n + 1)")
            try fm.copyItem(at: base, to: idx)
            var rebuild = false
            var env: [String: String] = [:]
            switch kill {
            case .random(let r): rebuild = r
            case .point(let name, let k): env["SEARCHDOCS_CRASH_AT"] = "\(name):\(k)"
            }
            let child = try SearchDocsProcess.Child(runArguments(idx, rebuild: rebuild), in: root, environment: env)
            if case .random = kill {
                let delay = delays[n] * (rebuild ? rebuildSeconds : runSeconds)
                usleep(UInt32(delay * 1_000_000))
                child.kill()
            }
            let r = child.wait()
            if case .point = kill {
                XCTAssertTrue(r.signaled && r.status == SIGKILL, "\(label): the run did not reach the point: \(r.status) \(r.stderr)")
            }
            let verified = try SearchDocsProcess.run(["verify", "--index", idx.path], in: root)
            XCTAssertEqual(verified.status, 0, "\(label): \(verified.stderr)")
            let generation = try checkCommittedState(idx, states, rebuild: rebuild, label: label)
            print("\(label): \(r.signaled ? "killed" : "finished"), committed generation \(generation)")

            let next = try SearchDocsProcess.run(["index", "--index", idx.path], in: root)
            XCTAssertEqual(next.status, 0, "\(label): \(next.stderr)")
            let reverified = try SearchDocsProcess.run(["verify", "--index", idx.path], in: root)
            XCTAssertEqual(reverified.status, 0, "\(label): \(reverified.stderr)")
            try checkFinalState(idx, states, label: label)
            try fm.removeItem(at: idx)
        }
        print("crash test: \(plan.count) kills in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }

    /// The index run that is killed: small segments and a commit every ten documents.
    private func runArguments(_ index: URL, rebuild: Bool) -> [String] {
        rebuild
            ? ["index", "--index", index.path, "--rebuild", "--flush-documents", "30", "--commit-every", "60"]
            : ["index", "--index", index.path, "--flush-documents", "5", "--commit-every", "10"]
    }

    private func addProbes(_ corpus: URL, to states: inout States) throws {
        let parser = DocumentParser()
        for f in try CorpusScanner().scan(root: corpus.path, warn: { _ in }) {
            addProbe(try parser.read(path: corpus.path + "/" + f.relativePath).text, to: &states)
        }
    }

    private func addProbe(_ text: String, to states: inout States) {
        let hash = ContentHash.of(text)
        let match = TextNormalizer.matchString(of: text)
        let scalars = Array(match.unicodeScalars)
        func isIdeograph(_ s: Unicode.Scalar) -> Bool { (0x4E00...0x9FFF).contains(s.value) }
        // The first run of six ideographs from the middle on (or from the start).
        for start in [scalars.count / 2, 0] {
            var run = 0
            for i in start..<scalars.count {
                run = isIdeograph(scalars[i]) ? run + 1 : 0
                if run == 6 {
                    states.probe[hash] = String(String.UnicodeScalarView(scalars[(i - 5)...i]))
                    states.matchText[hash] = match
                    return
                }
            }
        }
    }

    /// Checks the committed state a killed run left: the base generation, or a later one holding
    /// only final versions (and, for an incremental run, every unchanged and renamed file); each
    /// document found by an exact query of six of its characters, and no query answering a
    /// document that does not contain them. Returns the generation.
    private func checkCommittedState(_ dir: URL, _ states: States, rebuild: Bool, label: String) throws -> Int {
        let index = try SearchIndex(directory: dir.path)
        let live = try index.liveDocuments()
        XCTAssertEqual(index.documentCount, live.count, label)
        var problems: [String] = []
        if index.generation == states.baseGeneration {
            if live != states.base { problems.append("generation \(index.generation) is not the base state") }
        } else {
            XCTAssertGreaterThan(index.generation, states.baseGeneration, label)
            for (p, h) in live where states.final[p] != h { problems.append("\(p) is not a final version") }
            if !rebuild {
                for p in states.kept where live[p] == nil { problems.append("\(p) is missing") }
            }
        }
        for (p, h) in live {
            guard let probe = states.probe[h] else { problems.append("\(p): unknown content"); continue }
            let hits = try index.ranked("\"\(probe)\"", limit: 1_000_000)
            if !hits.contains(where: { $0.path == p }) { problems.append("\(p) not found by \"\(probe)\"") }
            for hit in hits {
                guard let hh = live[hit.path], let text = states.matchText[hh], text.contains(probe) else {
                    problems.append("\"\(probe)\" answers \(hit.path), which does not contain it")
                    continue
                }
            }
        }
        if !problems.isEmpty {
            XCTFail("\(label), generation \(index.generation): \(problems.count) problems: \(problems.prefix(5).joined(separator: "; "))")
        }
        return index.generation
    }

    /// Checks that an index holds the final state and answers like the rebuilt one.
    private func checkFinalState(_ dir: URL, _ states: States, label: String) throws {
        let index = try SearchIndex(directory: dir.path)
        XCTAssertEqual(index.documentCount, states.final.count, label)
        XCTAssertTrue(try index.liveDocuments() == states.final, "\(label): the documents differ from the rebuilt index")
        for (q, expected) in states.reference {
            if let d = difference(try index.ranked(q), expected) { XCTFail("\(label): \(q): \(d)") }
        }
    }
}
