import CICUShim

/// The kind of a word that ICU's word break reports.
public enum WordKind: String, Sendable, Codable {
    /// Digits (and numbers with separators).
    case number
    /// Letters of spaced scripts (Latin, Cyrillic …).
    case letter
    /// Kana.
    case kana
    /// Han characters: a dictionary word or a single character.
    case ideographic
    /// Punctuation and symbols.
    case punctuation
    /// Anything else (white space).
    case other

    init(status: Int32) {
        switch status {
        case 100..<200: self = .number
        case 200..<300: self = .letter
        case 300..<400: self = .kana
        case 400..<500: self = .ideographic
        default: self = .other
        }
    }

    /// Whether words of this kind are indexed as words.
    public var isIndexed: Bool {
        switch self {
        case .number, .letter, .kana, .ideographic: return true
        case .punctuation, .other: return false
        }
    }
}

/// How ICU split short Han runs between punctuation, kept so that their next occurrences need no
/// ICU: one memory can serve the word breakers of several threads (an index build's). About 8 MB
/// at most, taken from the system as it fills.
package final class RunMemory: @unchecked Sendable {
    // Thread safe: the C side locks it.
    fileprivate let handle: OpaquePointer

    /// `nil` when the memory cannot be had (breakers then work without one).
    package init?() {
        guard let h = sd_run_memory_new() else { return nil }
        handle = h
    }

    deinit { sd_run_memory_free(handle) }
}

/// ICU's word break iterator for Chinese (locale zh), owning its buffers. One per thread.
package final class WordBreaker {
    private let handle: OpaquePointer
    /// The shared memory of runs, kept alive while the breaker uses it.
    private let memory: RunMemory?
    /// Segment starts, ends and ICU rule statuses of the last call.
    private(set) var starts: [Int32] = []
    private(set) var ends: [Int32] = []
    private(set) var statuses: [Int32] = []

    /// How much text (UTF-16 units) a breaker segments before it starts remembering how ICU split
    /// short Han runs: indexing soon does, a query never needs the memory.
    package static let rememberAfter: Int64 = 1 << 16

    /// Opens an iterator; throws when ICU has no break rules (a broken ICU installation).
    /// `rememberAfter`: units of text to segment before remembering runs (0 at once, negative
    /// never), in `memory` or, when `nil`, a memory of the breaker's own; the segments are ICU's
    /// either way.
    package init(rememberAfter: Int64 = WordBreaker.rememberAfter, memory: RunMemory? = nil) throws(AnalysisError) {
        guard let h = sd_word_breaker_open(rememberAfter, memory?.handle) else {
            throw AnalysisError.icuUnavailable("ubrk_open(UBRK_WORD, zh) failed")
        }
        handle = h
        self.memory = memory
    }

    deinit { sd_word_breaker_close(handle) }

    /// How many Han runs were split from memory rather than by ICU.
    package var recalledRuns: Int { Int(sd_word_breaker_recalled(handle)) }

    /// Splits `text` into segments (words, and the runs between them); returns their count.
    @discardableResult
    package func segment(_ text: UnsafeBufferPointer<UInt16>) -> Int {
        var cap = max(16, text.count / 2 + 8)
        while true {
            if starts.count < cap {
                starts = [Int32](repeating: 0, count: cap)
                ends = [Int32](repeating: 0, count: cap)
                statuses = [Int32](repeating: 0, count: cap)
            }
            let n: Int32 = starts.withUnsafeMutableBufferPointer { s in
                ends.withUnsafeMutableBufferPointer { e in
                    statuses.withUnsafeMutableBufferPointer { st in
                        sd_word_breaker_segment(handle, text.baseAddress, Int32(text.count),
                                                s.baseAddress, e.baseAddress, st.baseAddress, Int32(s.count))
                    }
                }
            }
            if n >= 0 { return Int(n) }
            if n == -1 { return 0 }
            cap = Int(-n - 2) + 8
        }
    }
}

extension WordBreaker {
    /// Merges the last segmentation's segments that spell a dictionary term; returns the new count.
    func applyDictionary(_ dictionary: UserDictionary, text: UnsafeBufferPointer<UInt16>, count: Int) -> Int {
        dictionary.merge(text, starts: &starts, ends: &ends, statuses: &statuses, count: count)
    }
}

/// Problems of the analysis layer.
public enum AnalysisError: Error, Sendable, CustomStringConvertible {
    /// ICU could not be used (its data or break rules are missing): what failed.
    case icuUnavailable(String)

    /// One line naming what failed and what to install.
    public var description: String {
        switch self {
        case .icuUnavailable(let what): return "ICU is not usable: \(what) (install libicu-dev)"
        }
    }
}
