#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SearchDocs

/// One document of the benchmark corpus, linked into the work folder.
struct BenchFile {
    /// Path relative to the work corpus root (`<corpus name>/<file>`), as both engines store it.
    var path: String
    /// The real file.
    var source: String
    var size: Int
}

/// The inputs of a run: the corpus (as links in the work folder), the queries, the judgments and
/// the documents the incremental rounds add.
struct Workload {
    var corpusRoot: String
    var files: [BenchFile] = []
    var corpusNames: [String] = []
    var keywords: [String] = []
    var questions: [(id: String, text: String)] = []
    var qrels: [String: Set<String>] = [:]
    var additions: [BenchFile] = []
    /// The user dictionary the index is built with (nil: none).
    var dictionary: String?

    var bytes: Int { files.reduce(0) { $0 + $1.size } }

    /// Links every document of `corpora` into `corpusRoot/<corpus name>/` (file by file: the
    /// scanner does not follow links to folders).
    /// The keyword queries of `file`: one per line, blank lines and `#` comments skipped.
    static func keywords(_ file: String) throws -> [String] {
        guard let kw = try? String(contentsOfFile: file, encoding: .utf8) else { throw BenchError("cannot read \(file)") }
        return kw.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    init(options o: Options, corpusRoot: String) throws {
        self.corpusRoot = corpusRoot
        try FileManager.default.createDirectory(atPath: corpusRoot, withIntermediateDirectories: true)
        for c in o.corpora {
            let docs = FileManager.default.fileExists(atPath: c + "/docs") ? c + "/docs" : c
            guard let real = realPath(docs), let top = realPath(c) else { throw BenchError("no corpus folder \(c)") }
            let name = URL(fileURLWithPath: top).lastPathComponent
            guard !corpusNames.contains(name) else { throw BenchError("two corpora named \(name)") }
            corpusNames.append(name)
            files += try Workload.link(real, into: corpusRoot, as: name)
        }
        guard !files.isEmpty else { throw BenchError("the corpora hold no .txt or .md documents") }
        // The user dictionary, as shipped: `searchdocs index` finds it in the corpus folder.
        if let d = o.dictionary {
            guard let text = try? String(contentsOfFile: d, encoding: .utf8) else { throw BenchError("cannot read the dictionary \(d)") }
            let dest = corpusRoot + "/" + IndexWriter.corpusDictionary
            try FileManager.default.createDirectory(atPath: (dest as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: dest, atomically: true, encoding: .utf8)
            dictionary = d
        }

        keywords = try Workload.keywords(o.keywords)

        if o.questionCount > 0 {
            guard let q = try? String(contentsOfFile: o.questions, encoding: .utf8) else { throw BenchError("cannot read \(o.questions)") }
            for line in q.split(whereSeparator: \.isNewline) {
                let cols = line.split(separator: "\t", maxSplits: 1).map(String.init)
                guard cols.count == 2, !cols[1].trimmingCharacters(in: .whitespaces).isEmpty else { continue }
                questions.append((cols[0], cols[1]))
                if questions.count == o.questionCount { break }
            }
            let qrelsPath = o.qrels ?? (o.questions as NSString).deletingLastPathComponent + "/qrels.dev.tsv"
            if let text = try? String(contentsOfFile: qrelsPath, encoding: .utf8) {
                for line in text.split(whereSeparator: \.isNewline) {
                    let c = line.split(whereSeparator: { $0 == "\t" || $0 == " " }).map(String.init)
                    if c.count >= 4, (Int(c[3]) ?? 0) > 0 { qrels[c[0], default: []].insert(c[2]) }
                }
            }
        }

        if o.incrementalRounds > 0 {
            let src = FileManager.default.fileExists(atPath: o.addFrom + "/docs") ? o.addFrom + "/docs" : o.addFrom
            guard let real = realPath(src) else { throw BenchError("no folder \(o.addFrom) for the incremental rounds (see --add-from)") }
            let found = try CorpusScanner().scan(root: real, warn: { _ in })
            additions = found.prefix(o.incrementalRounds * 10).map {
                BenchFile(path: "added/" + $0.relativePath, source: real + "/" + $0.relativePath, size: Int($0.size))
            }
        }
    }

    private static func link(_ source: String, into root: String, as name: String) throws -> [BenchFile] {
        let found = try CorpusScanner().scan(root: source, warn: { progress("warning: " + $0) })
        var out: [BenchFile] = []
        for f in found {
            let dest = root + "/" + name + "/" + f.relativePath
            try FileManager.default.createDirectory(atPath: (dest as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let target = source + "/" + f.relativePath
            guard symlink(target, dest) == 0 else { throw BenchError("cannot link \(f.relativePath): \(String(cString: strerror(errno)))") }
            out.append(BenchFile(path: name + "/" + f.relativePath, source: target, size: Int(f.size)))
        }
        return out
    }

    /// Links the documents of incremental round `round` (10 of them) into `added/`.
    func linkAdditions(round: Int) throws -> [BenchFile] {
        let batch = Array(additions.dropFirst(round * 10).prefix(10))
        for f in batch {
            let dest = corpusRoot + "/" + f.path
            try FileManager.default.createDirectory(atPath: (dest as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            guard symlink(f.source, dest) == 0 else { throw BenchError("cannot link \(f.path): \(String(cString: strerror(errno)))") }
        }
        return batch
    }
}

/// The document id of a hit's path: its file name without the extension (as the qrels name it).
func documentID(_ path: String) -> String {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    return name.split(separator: ".").first.map(String.init) ?? name
}

/// The reciprocal rank of the first relevant hit among `paths` (0 when none).
func reciprocalRank(_ paths: [String], relevant: Set<String>) -> Double {
    for (i, p) in paths.enumerated() where relevant.contains(documentID(p)) { return 1 / Double(i + 1) }
    return 0
}
