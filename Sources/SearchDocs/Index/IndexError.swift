/// Problems with an index on disk. Each case's ``description`` is one line for people; the
/// cases carry the file or folder concerned.
public enum IndexError: Error, Sendable, CustomStringConvertible, Equatable {
    /// No index at this directory.
    case missing(directory: String)
    /// The index was written by another format version.
    case formatVersion(found: Int, supported: Int)
    /// A file of the index is damaged (checksum or structure), naming the file.
    case corrupt(file: String, detail: String)
    /// An I/O failure on a file of the index.
    case io(path: String, detail: String)
    /// Another process holds the writer lock.
    case locked(pid: Int32?)
    /// The index was built from another corpus folder.
    case otherCorpus(indexed: String, requested: String)
    /// A rebuild without a corpus folder when the manifest that names it cannot be read.
    case rebuildNeedsCorpus(manifestProblem: String)

    /// One line saying what is wrong, naming the file, and what to do.
    public var description: String {
        switch self {
        case .missing(let dir):
            return "no index at \(dir): run searchdocs index"
        case .formatVersion, .corrupt:
            return problem + ": run searchdocs index --rebuild"
        case .io(let path, let detail):
            return "\(path): \(detail)"
        case .locked(let pid):
            if let pid { return "index is being updated by process \(pid)" }
            return "index is being updated by another process"
        case .otherCorpus(let indexed, let requested):
            return "the index was built from \(indexed), not \(requested): use --rebuild to index another folder into it"
        case .rebuildNeedsCorpus(let problem):
            return "\(problem): name the corpus folder to rebuild (searchdocs index CORPUS --rebuild)"
        }
    }

    /// What is wrong, without the advice that follows it.
    var problem: String {
        switch self {
        case .formatVersion(let found, let supported): return "index format \(found), this build reads \(supported)"
        case .corrupt(let file, let detail): return "index file \(file) is damaged (\(detail))"
        default: return description
        }
    }
}
