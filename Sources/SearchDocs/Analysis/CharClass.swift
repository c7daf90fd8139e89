import CICUShim

/// The classes of characters that analysis cares about, as a bit set.
struct CharClass: OptionSet, Sendable, Hashable {
    let rawValue: UInt8
    init(rawValue: UInt8) { self.rawValue = rawValue }

    /// White space and control characters.
    static let whitespace = CharClass(rawValue: UInt8(SD_CHAR_WHITESPACE))
    /// Han, kana, hangul and CJK punctuation: scripts written without spaces.
    static let cjk = CharClass(rawValue: UInt8(SD_CHAR_CJK))
    /// Letters and digits of scripts written with spaces (Latin, digits, Cyrillic ...).
    static let alnum = CharClass(rawValue: UInt8(SD_CHAR_ALNUM))
    /// Sentence punctuation: 。！？； and !?;
    static let sentenceEnd = CharClass(rawValue: UInt8(SD_CHAR_SENTENCE_END))
    /// NFKC_Casefold has a normalization boundary before the code point.
    static let nfkcBoundary = CharClass(rawValue: UInt8(SD_CHAR_NFKC_BOUNDARY))
    /// NFKC_Casefold leaves the code point as it is, whatever is next to it.
    static let nfkcInert = CharClass(rawValue: UInt8(SD_CHAR_NFKC_INERT))

    /// The class of a code point. O(1): the Basic Multilingual Plane is a static table generated
    /// from ICU at build time (`Scripts/generate-char-class-table.c`), nothing is built at start.
    @inline(__always)
    static func of(_ c: UInt32) -> CharClass {
        if c < 0x10000 { return CharClass(rawValue: sd_bmp_char_class(c)) }
        return CharClass(rawValue: UInt8(truncatingIfNeeded: sd_char_class(c)))
    }
}

/// Traditional → simplified folding of single characters (applied inside normalization).
enum ScriptFolding {
    /// The simplified form of a traditional-only Han character; any other character unchanged.
    static func fold(_ c: UInt32) -> UInt32 { sd_fold_traditional(c) }
}
