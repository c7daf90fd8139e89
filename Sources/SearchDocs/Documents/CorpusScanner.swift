#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file of the corpus found by a scan.
package struct CorpusFile: Sendable, Equatable {
    /// Path relative to the corpus root, with `/` separators.
    package var relativePath: String
    package var size: UInt64
    /// Modification time in nanoseconds since 1970.
    var modificationTimeNs: Int64
}

/// Lists the documents of a corpus folder: `.txt`, `.md`, `.html`, `.htm` and `.shtml` files, recursively, skipping folders
/// and files whose names start with a dot. Symbolic links to files are followed; links to
/// folders are not (no loops, nothing outside the corpus), each with a warning. Files come
/// sorted by UTF-8 path bytes.
package struct CorpusScanner: Sendable {
    /// File name extensions that are indexed (lowercase, without the dot).
    var extensions: Set<String> = ["txt", "md", "html", "htm", "shtml"]

    package init() {}

    /// Scans `root`; problems with single entries go to `warn` and the scan goes on.
    package func scan(root: String, warn: (String) -> Void) throws(IndexError) -> [CorpusFile] {
        var st = stat()
        guard stat(root, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
            throw .io(path: root, detail: "not a readable folder")
        }
        var out: [CorpusFile] = []
        walk(root: root, relative: "", into: &out, warn: warn)
        out.sort { Array($0.relativePath.utf8).lexicographicallyPrecedes(Array($1.relativePath.utf8)) }
        return out
    }

    private func walk(root: String, relative: String, into out: inout [CorpusFile], warn: (String) -> Void) {
        let dirPath = relative.isEmpty ? root : root + "/" + relative
        guard let dir = opendir(dirPath) else {
            warn("\(dirPath): cannot read folder (\(FileIO.errnoText()))")
            return
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name.hasPrefix(".") { continue }
            names.append(name)
        }
        for name in names {
            let rel = relative.isEmpty ? name : relative + "/" + name
            let full = root + "/" + rel
            var ls = stat()
            guard lstat(full, &ls) == 0 else { warn("\(rel): cannot read (\(FileIO.errnoText()))"); continue }
            let kind = ls.st_mode & S_IFMT
            if kind == S_IFDIR {
                walk(root: root, relative: rel, into: &out, warn: warn)
                continue
            }
            let ext = name.split(separator: ".").last.map { $0.lowercased() } ?? ""
            let indexable = name.contains(".") && extensions.contains(ext)
            var st = ls
            if kind == S_IFLNK {
                guard stat(full, &st) == 0 else {
                    if indexable { warn("\(rel): broken link, skipped") }
                    continue
                }
                // A linked folder is left out (a link may point above the corpus or into a loop);
                // say so, or a corpus of linked folders would index nothing without a word.
                if (st.st_mode & S_IFMT) == S_IFDIR {
                    warn("\(rel): link to a folder, not followed (index that folder itself, or link its files)")
                    continue
                }
            }
            guard indexable else { continue }
            guard (st.st_mode & S_IFMT) == S_IFREG else { warn("\(rel): not a regular file, skipped"); continue }
            let mtime = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
            out.append(CorpusFile(relativePath: rel, size: UInt64(st.st_size), modificationTimeNs: mtime))
        }
    }
}
