#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX file operations the index's commit protocol needs, with errors naming the path.
enum FileIO {
    /// Writes `bytes` to a new file at `path` and fsyncs it.
    static func writeDurably(_ bytes: [UInt8], to path: String) throws(IndexError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: path, detail: errnoText()) }
        defer { close(fd) }
        var written = 0
        let total = bytes.count
        let failure: Int32? = bytes.withUnsafeBytes { raw -> Int32? in
            while written < total {
                let n = write(fd, raw.baseAddress! + written, total - written)
                if n < 0 { if errno == EINTR { continue }; return errno }
                written += n
            }
            return nil
        }
        if let e = failure { throw .io(path: path, detail: String(cString: strerror(e))) }
        guard fsync(fd) == 0 else { throw .io(path: path, detail: errnoText()) }
    }

    /// Flushes a directory's entries (after a rename or a new file) to disk.
    static func syncDirectory(_ path: String) throws(IndexError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path: path, detail: errnoText()) }
        defer { close(fd) }
        _ = fsync(fd)
    }

    /// Atomically replaces `to` with `from`.
    static func rename(_ from: String, _ to: String) throws(IndexError) {
        guard Glibc.rename(from, to) == 0 else { throw .io(path: to, detail: errnoText()) }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }

    /// Whether a path exists.
    static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// Creates a directory and its parents.
    static func makeDirectory(_ path: String) throws(IndexError) {
        var partial = path.hasPrefix("/") ? "" : "."
        for comp in path.split(separator: "/") {
            partial += "/" + comp
            if mkdir(partial, 0o755) != 0 && errno != EEXIST {
                throw .io(path: partial, detail: errnoText())
            }
        }
    }

    /// Reads a whole small file.
    static func readSmallFile(_ path: String) throws(IndexError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path: path, detail: errnoText()) }
        defer { close(fd) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw .io(path: path, detail: errnoText()) }
            if n == 0 { break }
            out.append(contentsOf: buf[0..<n])
        }
        return out
    }
}

/// A read-only memory map of a whole file. The mapping lives as long as the object, so a
/// reader that opened a snapshot keeps its files readable even after a commit deletes them.
final class MappedFile: @unchecked Sendable {
    // Sendable: the mapping is read-only and never changes after init.
    let path: String
    let base: UnsafeRawPointer
    let count: Int

    init(path: String) throws(IndexError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path: path, detail: FileIO.errnoText()) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .io(path: path, detail: FileIO.errnoText()) }
        count = Int(st.st_size)
        if count == 0 {
            base = UnsafeRawPointer(UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 8))
            return
        }
        guard let p = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw .io(path: path, detail: FileIO.errnoText())
        }
        base = UnsafeRawPointer(p)
    }

    deinit {
        if count == 0 { UnsafeMutableRawPointer(mutating: base).deallocate() } else {
            munmap(UnsafeMutableRawPointer(mutating: base), count)
        }
    }
}
