#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest
@testable import SearchDocs
import TestSupport

/// One writer per index: a second `searchdocs index` says who holds the lock and exits 2, or waits
/// with `--wait`; the lock of a killed process does not block the next run.
final class LockTests: XCTestCase {
    func testASecondIndexerIsToldWhoHoldsTheLockOrWaits() throws {
        let root = try temporaryFolder(self, "lock")
        let corpus = root.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        try "城市大脑建设方案。".write(to: corpus.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try SearchDocsProcess.run(["index", "corpus", "--index", "idx"], in: root).status, 0)

        // This process holds the lock.
        var writer: IndexWriter? = try IndexWriter(directory: root.appendingPathComponent("idx").path)
        let refused = try SearchDocsProcess.run(["index", "--index", "idx"], in: root)
        XCTAssertEqual(refused.status, 2)
        XCTAssertEqual(refused.stdout, "")
        XCTAssertEqual(refused.stderr, "searchdocs: index is being updated by process \(getpid())\n")

        try "智慧交通建设方案。".write(to: corpus.appendingPathComponent("b.txt"), atomically: true, encoding: .utf8)
        let waiting = try SearchDocsProcess.Child(["index", "--index", "idx", "--wait"], in: root)
        usleep(500_000)
        XCTAssertTrue(waiting.process.isRunning, "--wait did not wait")
        XCTAssertNotNil(writer)
        writer = nil  // releases the lock
        let waited = waiting.wait()
        XCTAssertEqual(waited.status, 0, waited.stderr)
        XCTAssertTrue(waited.stdout.hasPrefix("+1 added, ~0 changed, -0 removed, 1 unchanged ("), waited.stdout)
    }

    func testTheLockOfAKilledIndexerDoesNotBlockTheNextRun() throws {
        guard let docs = try SharedData.documents(of: "ncpqa-policies") else { return }
        let root = try temporaryFolder(self, "lock")
        let corpus = root.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        for d in docs.prefix(300) { try FileManager.default.createSymbolicLink(at: corpus.appendingPathComponent(d.lastPathComponent), withDestinationURL: d) }
        let lockFile = root.appendingPathComponent("idx/LOCK")

        // An indexer that holds the lock: another one is told its process id; then it is killed.
        let holder = try SearchDocsProcess.Child(["index", "corpus", "--index", "idx"], in: root)
        let deadline = Date().addingTimeInterval(20)
        while (try? String(contentsOf: lockFile, encoding: .utf8)) != "\(holder.pid)\n" && holder.process.isRunning && Date() < deadline {
            usleep(5_000)
        }
        let refused = try SearchDocsProcess.run(["index", "--index", "idx"], in: root)
        XCTAssertTrue(holder.process.isRunning, "the indexer finished before the test could kill it")
        XCTAssertEqual(refused.status, 2)
        XCTAssertEqual(refused.stderr, "searchdocs: index is being updated by process \(holder.pid)\n")
        holder.kill()
        let killed = holder.wait()
        XCTAssertTrue(killed.signaled && killed.status == SIGKILL)
        // The lock file still names the dead process; the lock itself went with it.
        XCTAssertEqual(try String(contentsOf: lockFile, encoding: .utf8), "\(holder.pid)\n")

        let next = try SearchDocsProcess.run(["index", "corpus", "--index", "idx"], in: root)
        XCTAssertEqual(next.status, 0, next.stderr)
        XCTAssertTrue(next.stdout.hasSuffix(" s)\n"), next.stdout)
        let verify = try SearchDocsProcess.run(["verify", "--index", "idx"], in: root)
        XCTAssertEqual(verify.status, 0, verify.stderr)
        XCTAssertEqual(try SearchIndex(directory: root.appendingPathComponent("idx").path).documentCount, 300)
    }
}
