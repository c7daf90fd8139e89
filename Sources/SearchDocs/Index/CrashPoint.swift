#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Named points of the commit protocol where the crash test kills the indexer
/// (`SEARCHDOCS_CRASH_AT=after-segment-write|before-manifest-rename|after-manifest-rename|during-merge`,
/// optionally `:N` to kill at the Nth time the point is reached instead of the first).
/// Unset, this does nothing.
enum CrashPoint {
    private static let target: (name: String, occurrence: Int)? = {
        guard let v = getenv("SEARCHDOCS_CRASH_AT") else { return nil }
        let parts = String(cString: v).split(separator: ":", maxSplits: 1).map(String.init)
        guard let name = parts.first else { return nil }
        return (name, parts.count == 2 ? max(1, Int(parts[1]) ?? 1) : 1)
    }()
    private static let reachedCount = Atomic<Int>(0)

    /// Kills this process with SIGKILL when `name` is the chosen point (reached the chosen time).
    @inline(__always) static func reached(_ name: String) {
        guard let t = target, t.name == name else { return }
        if reachedCount.add(1, ordering: .relaxed).newValue >= t.occurrence { kill(getpid(), SIGKILL) }
    }
}
