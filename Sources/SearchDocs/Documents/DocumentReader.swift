#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A problem with one input file; `description` is one line naming the file.
public struct InputError: Error, Sendable, CustomStringConvertible {
    /// The path of the file, as it was given to the reader.
    public let path: String
    /// What is wrong with the file, in a few words (for example `not valid UTF-8 (invalid byte at offset 12)`).
    public let reason: String

    /// Creates an error for the file at `path`.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// `path: reason` on one line (line breaks in either part are escaped).
    public var description: String {
        "\(Self.oneLine(path)): \(Self.oneLine(reason))"
    }

    private static func oneLine(_ s: String) -> String {
        guard s.contains(where: { $0.isNewline }) else { return s }
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default:
                if scalar.properties.generalCategory == .lineSeparator
                    || scalar.properties.generalCategory == .paragraphSeparator
                    || scalar == "\u{0B}" || scalar == "\u{0C}" || scalar == "\u{85}"
                {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}

/// Reads corpus files as text.
///
/// Files are read with POSIX calls: the file is opened once, checked with `fstat` (regular file,
/// not empty, not larger than `maxFileSize`), read in one pass and validated as UTF-8.
public struct DocumentReader: Sendable {
    /// The largest file, in bytes, that `readText(at:)` accepts.
    public let maxFileSize: Int

    /// Creates a reader that rejects files larger than `maxFileSize` bytes (64 MiB by default).
    public init(maxFileSize: Int = 64 << 20) {
        self.maxFileSize = max(0, maxFileSize)
    }

    /// Reads a whole file as bytes. Throws InputError for an unreadable path (missing, a directory,
    /// a FIFO or device, a dangling link), a file over `maxFileSize` (checked with `fstat` before
    /// reading, so a sparse file is never read) and an empty file. The content is not examined.
    func readBytes(at path: String) throws(InputError) -> [UInt8] {
        // O_NONBLOCK keeps a FIFO or device from blocking the open; it does not affect regular files.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 {
            let code = errno
            var link = stat()
            if code == ENOENT, lstat(path, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK {
                throw InputError(path: path, reason: "broken symbolic link (its target does not exist)")
            }
            throw InputError(path: path, reason: Self.describe(errno: code, action: "cannot open"))
        }
        defer { close(fd) }

        var info = stat()
        if fstat(fd, &info) != 0 {
            throw InputError(path: path, reason: Self.describe(errno: errno, action: "cannot stat"))
        }
        let type = info.st_mode & S_IFMT
        if type == S_IFDIR {
            throw InputError(path: path, reason: "is a directory")
        }
        if type != S_IFREG {
            throw InputError(path: path, reason: "not a regular file")
        }
        let size = Int(info.st_size)
        if size > maxFileSize {
            throw InputError(
                path: path,
                reason: "file is \(size) bytes, over the limit of \(maxFileSize) bytes")
        }
        if size == 0 {
            throw InputError(path: path, reason: "empty file")
        }

        // Read exactly the size reported by fstat (a file growing meanwhile is cut there).
        var readError: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            guard let base = buffer.baseAddress else { count = 0; return }
            var done = 0
            while done < size {
                let n = read(fd, base + done, size - done)
                if n > 0 {
                    done += n
                } else if n == 0 {
                    break
                } else if errno == EINTR {
                    continue
                } else {
                    readError = errno
                    break
                }
            }
            count = done
        }
        if readError != 0 {
            throw InputError(path: path, reason: Self.describe(errno: readError, action: "cannot read"))
        }
        return bytes
    }

    /// Reads a file as UTF-8 text (a UTF-8 BOM is removed). Throws InputError for: unreadable path
    /// (missing, a directory, permission), a file over maxFileSize (check the size with stat before reading;
    /// a sparse 100 MB file must be rejected without reading it), bytes that are not valid UTF-8, a binary file
    /// (contains NUL bytes), an empty file.
    public func readText(at path: String) throws(InputError) -> String {
        let bytes = try readBytes(at: path)
        return try bytes.withUnsafeBufferPointer { (all) throws(InputError) -> String in
            var body = all[...]
            if body.count >= 3, body[0] == 0xEF, body[1] == 0xBB, body[2] == 0xBF {
                body = body.dropFirst(3)
            }
            if body.isEmpty {
                throw InputError(path: path, reason: all.isEmpty ? "empty file" : "empty file (only a byte order mark)")
            }
            let content = UnsafeBufferPointer(rebasing: body)
            if let base = content.baseAddress, memchr(base, 0, content.count) != nil {
                throw InputError(path: path, reason: "binary file (contains NUL bytes)")
            }
            guard let text = String(validating: content, as: UTF8.self) else {
                let offset = Self.firstInvalidUTF8Offset(content) + (all.count - content.count)
                throw InputError(path: path, reason: "not valid UTF-8 (invalid byte sequence at offset \(offset))")
            }
            return text
        }
    }

    /// The byte offset where the first ill-formed UTF-8 sequence starts (only called on failure).
    private static func firstInvalidUTF8Offset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar)
            case .emptyInput:
                return offset
            case .error:
                return offset
            }
        }
    }

    private static func describe(errno code: Int32, action: String) -> String {
        switch code {
        case ENOENT: return "no such file or directory"
        case EACCES, EPERM: return "permission denied"
        case ENOTDIR: return "a component of the path is not a directory"
        case EISDIR: return "is a directory"
        case ELOOP: return "symbolic link loop"
        default:
            let message = strerror(code).map { String(cString: $0) } ?? "error \(code)"
            return "\(action): \(message)"
        }
    }
}
