/// The text that exact matching works on, and the rules that make it.
///
/// Match text is the NFKC_Casefold form of a text with two changes that make exact matching
/// independent of layout: a run of white space disappears when it touches a CJK character (Chinese
/// does not use spaces, and line breaks inside a sentence are layout) and becomes one space
/// otherwise; and every run of letters and digits of a spaced script (Latin, digits) is enclosed in
/// ``MatchText/boundary`` marks. A query is turned into match text by the same rules, so `5G` becomes
/// `⟨b⟩5g⟨b⟩` and matches only where the document has a letter/digit boundary on both sides.
enum MatchText {
    /// The code point that marks the edges of a letter/digit run (U+0001, never text after analysis).
    static let boundary: UInt32 = 1
}

/// Where the match-text rules stand between two chunks of one text, so a chunk can be normalized
/// alone and give exactly what normalizing the whole text gives.
struct MatchTextState: Sendable, Equatable {
    /// Whether anything has been emitted yet (white space at the start of a text disappears).
    var started = false
    /// Whether the last emitted character was CJK.
    var lastWasCJK = false
    /// Whether a letter/digit run is open (its closing mark is pending).
    var inAlnumRun = false
    /// Whether white space is pending (decided by the next character).
    var pendingSpace = false

    /// A one-byte form, stored with each text block.
    var byte: UInt8 {
        (started ? 1 : 0) | (lastWasCJK ? 2 : 0) | (inAlnumRun ? 4 : 0) | (pendingSpace ? 8 : 0)
    }
    init() {}
    init(byte: UInt8) {
        started = byte & 1 != 0; lastWasCJK = byte & 2 != 0; inAlnumRun = byte & 4 != 0; pendingSpace = byte & 8 != 0
    }
}
