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

/// Writes a new file through a buffer, so that a large file is never held in memory whole.
/// It keeps the bytes written so far and a CRC-32 of the bytes since ``startSection()``. The
/// first error is kept and thrown by ``finish()``; writes after it do nothing.
final class FileSink {
    let path: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private var failure: IndexError?
    private let bufferSize = 1 << 20
    /// Bytes appended so far.
    private(set) var count = 0
    /// CRC-32 of the bytes appended since the last ``startSection()``.
    private(set) var sectionCrc: UInt32 = 0

    init(path: String) throws(IndexError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: path, detail: FileIO.errnoText()) }
        buffer.reserveCapacity(bufferSize)
    }

    deinit { if fd >= 0 { close(fd) } }

    func startSection() { sectionCrc = 0 }

    func setSectionCrc(_ crc: UInt32) { sectionCrc = crc }

    /// Appends bytes; `checksummed: false` leaves them out of ``sectionCrc`` (the caller sets it
    /// with ``setSectionCrc(_:)``).
    func append(_ p: UnsafeRawBufferPointer, checksummed: Bool = true) {
        guard p.count > 0 else { return }
        if checksummed { sectionCrc = crc32(p.baseAddress!, p.count, seed: sectionCrc) }
        count += p.count
        if buffer.count + p.count > bufferSize { drain() }
        if p.count >= bufferSize { writeAll(p); return }
        buffer.append(contentsOf: p)
    }

    func append(_ bytes: [UInt8]) { bytes.withUnsafeBytes { append($0) } }

    /// Zero bytes up to a multiple of `alignment`.
    func pad(to alignment: Int) {
        let n = (alignment - count % alignment) % alignment
        if n > 0 { append([UInt8](repeating: 0, count: n)) }
    }

    private func drain() {
        buffer.withUnsafeBytes { writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ p: UnsafeRawBufferPointer) {
        guard failure == nil, p.count > 0 else { return }
        var written = 0
        while written < p.count {
            let n = write(fd, p.baseAddress! + written, p.count - written)
            if n < 0 {
                if errno == EINTR { continue }
                failure = .io(path: path, detail: FileIO.errnoText()); return
            }
            written += n
        }
    }

    /// Writes what is buffered, fsyncs and closes the file.
    func finish() throws(IndexError) {
        drain()
        if failure == nil && fsync(fd) != 0 { failure = .io(path: path, detail: FileIO.errnoText()) }
        close(fd)
        fd = -1
        if let failure { throw failure }
    }
}
