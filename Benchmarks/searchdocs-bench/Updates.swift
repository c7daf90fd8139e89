#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SearchDocs

/// What many single-document updates do to query speed: the figures of ``Updates/run``.
struct UpdateFigures {
    /// Updates made (each one document replaced and committed).
    var count: Int
    /// Seconds of each update: add the edited file through the library and commit (merges included).
    var commitSeconds: [Double]
    /// Segments of the index after the updates and after the rebuild.
    var segmentsAfterUpdates: Int
    var segmentsRebuilt: Int
    /// Warm keyword queries on the updated index and on the index rebuilt from the same files.
    var updated: QueryFigures
    var rebuilt: QueryFigures
    /// Keyword queries whose totals or top 10 differ between the two indexes (should be none).
    var differing: [String]
}

/// The updates section of the benchmark: `count` times, one document of the corpus is edited
/// (a sentence appended) and replaced in the index through the library (``IndexWriter``), one
/// commit each, as a crawler would hand documents over one by one; then the keyword queries run
/// warm on that index and on an index rebuilt from scratch over the same files, interleaved.
enum Updates {
    static func run(count: Int, load: Workload, indexDir: String, work: String, searchdocs: String,
                    rounds: Int) throws -> UpdateFigures {
        var seconds: [Double] = []
        do {
            let writer = try IndexWriter(directory: indexDir)
            var k = 0, tries = 0
            while k < count && tries < count * 4 {
                // A fixed stride through the files: documents are updated several times each.
                let f = load.files[(tries * 7919) % load.files.count]
                tries += 1
                let dest = load.corpusRoot + "/" + f.path
                guard var text = try? String(contentsOfFile: dest, encoding: .utf8) else { continue }
                text += "\n第\(k + 1)次更新。\n"
                unlink(dest)  // the work corpus links the shared file: replace the link by an edited copy
                guard FileManager.default.createFile(atPath: dest, contents: Data(text.utf8)) else {
                    throw BenchError("cannot write \(f.path) in the work folder")
                }
                let t = Clock.now()
                try writer.addDocument(fileAt: dest, id: f.path)
                try writer.commit()
                seconds.append(Clock.seconds(since: t))
                k += 1
                if k % 100 == 0 { progress("  \(k) updates") }
            }
        }  // the writer (and its lock) ends here

        let updatedIndex = try SearchIndex(directory: indexDir)
        let rebuiltDir = work + "/index-rebuilt"
        progress("rebuilding the index from the same files …")
        let c = try Child.run([searchdocs, "index", load.corpusRoot, "--index", rebuiltDir, "--rebuild"],
                              stdout: "/dev/null", stderr: work + "/rebuild.err")
        guard c.status == 0 else { throw BenchError("searchdocs index --rebuild failed (\(c.status))") }
        let rebuiltIndex = try SearchIndex(directory: rebuiltDir)
        // Interleaved: the difference between two indexes is smaller than the drift of a machine
        // between two sequential runs.
        let (updated, rebuilt) = Measure.interleaved(updatedIndex, rebuiltIndex, queries: load.keywords, rounds: 3 * rounds)

        let differing = load.keywords.indices.filter {
            updated.totals[$0] != rebuilt.totals[$0] || updated.top[$0] != rebuilt.top[$0]
        }.map { load.keywords[$0] }
        return UpdateFigures(count: seconds.count, commitSeconds: seconds,
                             segmentsAfterUpdates: updatedIndex.statistics().segments,
                             segmentsRebuilt: rebuiltIndex.statistics().segments,
                             updated: updated, rebuilt: rebuilt, differing: differing)
    }
}
