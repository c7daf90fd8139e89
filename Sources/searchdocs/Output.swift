#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing to standard output and standard error, and the number formats the commands print,
/// through the C library: the command links only FoundationEssentials, which starts quicker.
enum Output {
    /// Writes `text` to standard output, whole (short writes continued, interruptions retried).
    static func out(_ text: String) { writeAll(text, to: 1) }

    /// Writes `text` to standard error.
    static func err(_ text: String) { writeAll(text, to: 2) }

    private static func writeAll(_ text: String, to fd: Int32) {
        var text = text
        text.withUTF8 { bytes in
            var done = 0
            while done < bytes.count {
                let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
                if n > 0 { done += n } else if n < 0 && errno == EINTR { continue } else { return }
            }
        }
    }

    /// Whether the file descriptor is a terminal.
    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }
}

/// `x` with `digits` decimals, as C's `%.Nf` writes it.
func fixed(_ x: Double, _ digits: Int) -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    let n = withVaList([x]) { vsnprintf(&buffer, buffer.count, "%.\(digits)f", $0) }
    guard n >= 0 else { return "\(x)" }
    return String(decoding: buffer[..<min(Int(n), buffer.count - 1)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// `s` padded with spaces to `width` characters, or cut to them (a table's first column).
func padded(_ s: String, _ width: Int) -> String {
    s.count >= width ? String(s.prefix(width)) : s + String(repeating: " ", count: width - s.count)
}

/// `x` right-aligned in `width` characters with `digits` decimals (as `%W.Nf`).
func fixed(_ x: Double, _ digits: Int, width: Int) -> String {
    let s = fixed(x, digits)
    return s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
}

/// Ends the process with `status` (standard output's buffer flushed, as C's `exit` does).
func exitProcess(_ status: Int32) -> Never { exit(status) }
