#if canImport(Glibc)
import Glibc
#endif

/// The one-writer lock of an index folder: an `flock` on `LOCK`, which the kernel releases when
/// the holder exits or crashes (so a stale lock is never obeyed), holding the holder's pid for the
/// message other writers get.
final class WriterLock {
    static let fileName = "LOCK"
    private let fd: Int32

    /// Takes the lock; throws ``IndexError/locked(pid:)`` when another process holds it, or
    /// waits for it when `wait` is true.
    init(directory: String, wait: Bool) throws(IndexError) {
        let path = directory + "/" + WriterLock.fileName
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: path, detail: FileIO.errnoText()) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK else {
                close(fd)
                throw .io(path: path, detail: FileIO.errnoText())
            }
            if !wait {
                var buf = [UInt8](repeating: 0, count: 32)
                let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 31, 0) }
                close(fd)
                let pid = n > 0 ? Int32(String(decoding: buf[0..<n], as: UTF8.self).trimmingSpaces) : nil
                throw .locked(pid: pid)
            }
            while flock(fd, LOCK_EX) != 0 {
                if errno != EINTR { close(fd); throw .io(path: path, detail: FileIO.errnoText()) }
            }
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        self.fd = fd
    }

    deinit {
        _ = ftruncate(fd, 0)
        close(fd)  // releases the flock
    }
}

extension String {
    /// The string without spaces and line breaks (for reading a pid).
    var trimmingSpaces: String {
        String(String.UnicodeScalarView(unicodeScalars.filter { $0 != " " && $0 != "\n" }))
    }
}
