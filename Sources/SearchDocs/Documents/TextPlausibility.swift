/// How much a decoded text looks like real text, to reject a decoding that produced mojibake.
///
/// Counting is over Unicode scalars that are not whitespace. *Bad* scalars never occur in real
/// documents (control characters, unassigned code points, noncharacters, U+FFFD); *common* scalars are
/// those of Chinese documents (ASCII, CJK ideographs of the basic block, CJK and full-width
/// punctuation, the usual symbols). A wrong multi-byte decoding of Chinese text tends to produce
/// kana, hangul, Cyrillic, rare ideographs or private use characters.
struct TextPlausibility: Equatable, Sendable {
    /// Scalars that are not whitespace.
    var total = 0
    /// Scalars outside ASCII that are not whitespace.
    var nonASCII = 0
    /// Non-ASCII scalars that are common in Chinese documents.
    var commonNonASCII = 0
    /// CJK ideographs of the basic block (U+4E00–U+9FFF).
    var ideographs = 0
    /// Control characters (other than line breaks and tabs), unassigned code points, noncharacters, U+FFFD.
    var bad = 0
    /// Hiragana and katakana.
    var kana = 0
    /// Hangul syllables and jamo.
    var hangul = 0

    /// Profiles `text`.
    init(_ text: String) {
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                if v == 0x09 || v == 0x0A || v == 0x0B || v == 0x0C || v == 0x0D || v == 0x20 { continue }
                total += 1
                if v < 0x20 || v == 0x7F { bad += 1 }
                continue
            }
            if scalar.properties.isWhitespace { continue }
            total += 1
            nonASCII += 1
            if (0x3040...0x30FF).contains(v) { kana += 1 }
            if (0xAC00...0xD7A3).contains(v) || (0x1100...0x11FF).contains(v) || (0x3130...0x318F).contains(v) { hangul += 1 }
            switch Self.classify(v) {
            case .ideograph:
                ideographs += 1
                commonNonASCII += 1
            case .common:
                commonNonASCII += 1
            case .uncommon:
                break
            case .bad:
                bad += 1
            case .unknown:
                if scalar.properties.generalCategory == .unassigned { bad += 1 }
            }
        }
    }

    /// Sane: at most one bad scalar in a thousand (a stray control character in a long document is
    /// tolerated), none in a short text.
    var isSane: Bool {
        bad == 0 || bad * 1000 <= total
    }

    /// Convincing as Chinese text, for a decoding chosen without a declaration or a confident
    /// detection: nothing bad, at least 90% of the non-ASCII scalars common, and either an ideograph
    /// or nothing uncommon at all (Latin text with full-width brackets).
    var isConvincingChinese: Bool {
        bad == 0 && nonASCII > 0 && commonNonASCII * 10 >= nonASCII * 9
            && (ideographs > 0 || commonNonASCII == nonASCII)
    }

    /// Plausible as Japanese: sane, with kana making up at least a tenth of the non-ASCII text.
    var isPlausibleJapanese: Bool {
        isSane && kana * 10 >= nonASCII && kana > 0
    }

    /// Plausible as Korean: sane, with hangul making up at least half of the non-ASCII text.
    var isPlausibleKorean: Bool {
        isSane && hangul * 2 >= nonASCII && hangul > 0
    }

    /// The share of common non-ASCII scalars (1 when there are none).
    var commonShare: Double {
        nonASCII == 0 ? 1 : Double(commonNonASCII) / Double(nonASCII)
    }

    private enum Class { case ideograph, common, uncommon, bad, unknown }

    private static func classify(_ v: UInt32) -> Class {
        switch v {
        case 0x4E00...0x9FFF: return .ideograph
        case 0x80...0x9F: return .bad                      // C1 controls
        case 0xE000...0xF8FF, 0xF0000...0x10FFFF: return .uncommon // private use (GBK user-defined area)
        case 0xFDD0...0xFDEF, 0xFFFD...0xFFFF: return .bad    // noncharacters, replacement character
        case 0xA0...0xFF,          // Latin-1: · × ÷ ° ± § ¥
             0x2000...0x206F,      // general punctuation: — … ‘ ’ “ ” ※
             0x2100...0x218F,      // letterlike and number forms: ℃ № Ⅰ Ⅱ
             0x2190...0x22FF,      // arrows, mathematical operators
             0x2460...0x24FF,      // enclosed alphanumerics: ① ⑴ ⒈
             0x25A0...0x26FF,      // geometric shapes, symbols: ■ □ ▲ ○ ● ★
             0x3000...0x303F,      // CJK punctuation: 、 。 《 》 「 」 【 】 〇
             0xFE30...0xFE6F,      // CJK compatibility forms, small forms: ﹑ ﹔
             0xFF00...0xFFEF:      // full-width forms: ， ： （ ） ０
            return .common
        case 0x0101, 0x0113, 0x011B, 0x012B, 0x0144, 0x0148, 0x014D, 0x016B, 0x01CE, 0x01D0, 0x01D2, 0x01D4,
             0x01D6, 0x01D8, 0x01DA, 0x01DC, 0x0251, 0x0261:
            return .common                     // pinyin: ā ē ě ī ō ū ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ ɑ ɡ
        case 0x0100...0x024F: return .uncommon // other Latin extended
        case 0x0391...0x03C9: return .common   // Greek letters: α β μ ω in technical text
        case 0x2500...0x257F: return .common   // box drawing: ── ┌ ┐ in text tables
        case 0x0370...0x04FF: return .uncommon // other Greek, Cyrillic
        case 0x2580...0x259F: return .uncommon // blocks
        case 0x3040...0x31FF: return .uncommon // kana, bopomofo
        case 0x3400...0x4DBF: return .uncommon // CJK extension A
        case 0xA000...0xABFF: return .uncommon // Yi and others
        case 0xAC00...0xD7FF: return .uncommon // hangul
        case 0xF900...0xFAFF: return .uncommon // CJK compatibility ideographs
        case 0x20000...0x3FFFF: return .uncommon // CJK extensions B and later
        default: return .unknown
        }
    }
}
