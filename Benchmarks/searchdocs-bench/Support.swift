#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A monotonic clock in nanoseconds.
enum Clock {
    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// Seconds since `start` (a value of `now()`).
    static func seconds(since start: UInt64) -> Double { Double(now() &- start) / 1e9 }
}

/// A fatal problem of the benchmark itself (missing input, a child that failed).
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// What a child process did.
struct ChildResult {
    /// Exit status (128 + signal when killed).
    var status: Int32
    /// Wall time from spawn to reap.
    var seconds: Double
    /// Peak resident set of the child alone (wait4's rusage), in bytes.
    var maxRSS: Int
}

/// Child processes started with posix_spawn and reaped with wait4, so that the wall time and the
/// peak memory belong to that one child.
enum Child {
    /// Runs `argv` (argv[0] is a path) with standard output and error sent to the given files.
    static func run(_ argv: [String], stdout: String = "/dev/null", stderr: String = "/dev/null") throws -> ChildResult {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
        cArgs.append(nil)
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        let start = Clock.now()
        let rc = posix_spawn(&pid, argv[0], &actions, nil, cArgs, environ)
        guard rc == 0 else { throw BenchError("cannot start \(displayPath(argv[0])): \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw BenchError("wait4 failed: \(String(cString: strerror(errno)))") }
        }
        let seconds = Clock.seconds(since: start)
        let code: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return ChildResult(status: code, seconds: seconds, maxRSS: Int(usage.ru_maxrss) * 1024)
    }
}

/// `path` as the report shows it: relative to the current folder when it lies below it, else its
/// last component (the report never shows this machine's absolute paths).
func displayPath(_ path: String) -> String {
    let cwd = FileManager.default.currentDirectoryPath
    if path.hasPrefix(cwd + "/") { return String(path.dropFirst(cwd.count + 1)) }
    if !path.hasPrefix("/") { return path }
    return "…/" + (path.split(separator: "/").last.map(String.init) ?? path)
}

/// The absolute, symlink-free form of `path`.
func realPath(_ path: String) -> String? {
    guard let r = realpath(path, nil) else { return nil }
    defer { free(r) }
    return String(cString: r)
}

/// This executable's path.
func selfExecutable() -> String {
    var buf = [CChar](repeating: 0, count: 4096)
    let n = readlink("/proc/self/exe", &buf, buf.count - 1)
    if n > 0 { return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
    return realPath(CommandLine.arguments[0]) ?? CommandLine.arguments[0]
}

/// The size of a regular file, or nil.
func fileSize(_ path: String) -> Int? {
    var st = stat()
    guard stat(path, &st) == 0 else { return nil }
    return Int(st.st_size)
}

/// The summed sizes of the regular files of a folder (not recursive).
func folderSize(_ path: String) -> Int {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    return names.reduce(0) { $0 + (fileSize(path + "/" + $1) ?? 0) }
}

/// Summary figures of a set of samples.
struct Summary {
    var count: Int
    var mean: Double
    var p50: Double
    var p95: Double
    var p99: Double
    var max: Double

    init(_ samples: [Double]) {
        let s = samples.sorted()
        count = s.count
        func q(_ p: Double) -> Double {
            guard !s.isEmpty else { return .nan }
            let rank = Int((p * Double(s.count)).rounded(.up))
            return s[Swift.max(0, Swift.min(s.count - 1, rank - 1))]
        }
        mean = s.isEmpty ? .nan : s.reduce(0, +) / Double(s.count)
        p50 = q(0.5)
        p95 = q(0.95)
        p99 = q(0.99)
        max = s.last ?? .nan
    }
}

/// Number formatting for the report.
enum Fmt {
    static func f(_ x: Double, _ digits: Int) -> String {
        x.isNaN ? "n/a" : String(format: "%.\(digits)f", x)
    }
    /// Milliseconds from seconds, with precision that suits the size.
    static func ms(_ seconds: Double) -> String {
        guard !seconds.isNaN else { return "n/a" }
        let m = seconds * 1000
        if abs(m) < 1 { return f(m, 3) + " ms" }
        if abs(m) < 100 { return f(m, 2) + " ms" }
        return f(m, 0) + " ms"
    }
    static func mb(_ bytes: Int) -> String { f(Double(bytes) / 1e6, 1) + " MB" }
    static func ratio(_ a: Double, _ b: Double) -> String {
        guard !a.isNaN, !b.isNaN, b != 0 else { return "n/a" }
        let r = a / b
        return (r < 0.01 ? String(format: "%.4f", r) : r < 10 ? String(format: "%.2f", r) : String(format: "%.1f", r)) + "×"
    }
}

/// A line of progress on standard error (standard output carries the report only).
func progress(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// The 1-minute load average (from /proc/loadavg), or "n/a".
func loadAverage() -> String {
    let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
    return text.split(separator: " ").first.map(String.init) ?? "n/a"
}
