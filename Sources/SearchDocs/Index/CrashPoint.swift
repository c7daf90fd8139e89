#if canImport(Glibc)
import Glibc
#endif

/// Named points of the commit protocol where the crash test kills the indexer
/// (`SEARCHDOCS_CRASH_AT=after-segment-write|before-manifest-rename|after-manifest-rename|during-merge`).
/// Unset, this does nothing.
enum CrashPoint {
    private static let target: String? = {
        guard let v = getenv("SEARCHDOCS_CRASH_AT") else { return nil }
        return String(cString: v)
    }()

    /// Kills this process with SIGKILL when `name` is the chosen point.
    @inline(__always) static func reached(_ name: String) {
        guard let t = target, t == name else { return }
        kill(getpid(), SIGKILL)
    }
}
