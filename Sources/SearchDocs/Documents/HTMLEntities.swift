/// Decodes HTML character references: the common named ones (`&nbsp;`, `&lt;`, `&ldquo;` …),
/// decimal (`&#20013;`) and hexadecimal (`&#x4E2D;`) ones.
///
/// Unknown or malformed references are left as they are. A few legacy names are also accepted
/// without their semicolon (`&nbsp`, `&amp`, `&lt`, `&gt`, `&quot`, `&copy`), as browsers do.
/// Non-breaking and other fixed-width spaces become ordinary spaces, so that they collapse like
/// spaces in the extracted text.
enum HTMLEntities {
    /// Named references (without `&` and `;`) and their text.
    static let named: [String: String] = [
        "nbsp": " ", "ensp": " ", "emsp": " ", "thinsp": " ", "amp": "&", "lt": "<", "gt": ">",
        "quot": "\"", "apos": "'", "copy": "©", "reg": "®", "trade": "™", "middot": "·", "bull": "•",
        "hellip": "…", "mdash": "—", "ndash": "–", "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”",
        "sbquo": "‚", "bdquo": "„", "laquo": "«", "raquo": "»", "lsaquo": "‹", "rsaquo": "›",
        "times": "×", "divide": "÷", "deg": "°", "plusmn": "±", "sect": "§", "para": "¶", "yen": "¥",
        "cent": "¢", "pound": "£", "euro": "€", "permil": "‰", "prime": "′", "Prime": "″", "micro": "µ",
        "frac12": "½", "frac14": "¼", "frac34": "¾", "sup1": "¹", "sup2": "²", "sup3": "³",
        "larr": "←", "rarr": "→", "uarr": "↑", "darr": "↓", "harr": "↔", "rArr": "⇒", "lArr": "⇐",
        "le": "≤", "ge": "≥", "ne": "≠", "asymp": "≈", "minus": "−", "infin": "∞", "radic": "√",
        "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "mu": "μ", "pi": "π", "sigma": "σ",
        "Omega": "Ω", "omega": "ω", "shy": "", "zwj": "\u{200D}", "zwnj": "\u{200C}", "lrm": "", "rlm": "",
        "iexcl": "¡", "iquest": "¿", "ordf": "ª", "ordm": "º", "not": "¬", "macr": "¯", "acute": "´",
        "uml": "¨", "cedil": "¸", "brvbar": "¦", "curren": "¤", "loz": "◊", "spades": "♠", "clubs": "♣",
        "hearts": "♥", "diams": "♦", "dagger": "†", "Dagger": "‡", "oline": "‾", "frasl": "⁄",
        "agrave": "à", "aacute": "á", "eacute": "é", "egrave": "è", "ecirc": "ê", "iacute": "í",
        "oacute": "ó", "ouml": "ö", "uacute": "ú", "uuml": "ü", "ccedil": "ç", "ntilde": "ñ",
        "Agrave": "À", "Aacute": "Á", "Eacute": "É", "Ouml": "Ö", "Uuml": "Ü", "szlig": "ß",
    ]

    /// Names that browsers also recognize without the terminating semicolon.
    static let legacyWithoutSemicolon: Set<String> = ["nbsp", "amp", "lt", "gt", "quot", "copy", "reg"]

    /// Windows-1252 meanings of numeric references in 0x80–0x9F (as browsers decode them).
    static let windows1252: [UInt32: UInt32] = [
        0x80: 0x20AC, 0x82: 0x201A, 0x83: 0x0192, 0x84: 0x201E, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021,
        0x88: 0x02C6, 0x89: 0x2030, 0x8A: 0x0160, 0x8B: 0x2039, 0x8C: 0x0152, 0x8E: 0x017D, 0x91: 0x2018,
        0x92: 0x2019, 0x93: 0x201C, 0x94: 0x201D, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02DC,
        0x99: 0x2122, 0x9A: 0x0161, 0x9B: 0x203A, 0x9C: 0x0153, 0x9E: 0x017E, 0x9F: 0x0178,
    ]

    /// `bytes` (UTF-8 text from an HTML page) with character references decoded.
    static func decode(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.contains(0x26) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == 0x26, let (text, length) = reference(at: i, in: bytes) {
                out.append(contentsOf: text.utf8)
                i += length
            } else {
                out.append(b)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The reference starting at `start` (an `&`): its text and its length in bytes.
    private static func reference(at start: Int, in bytes: ArraySlice<UInt8>) -> (String, Int)? {
        var i = start + 1
        guard i < bytes.endIndex else { return nil }
        if bytes[i] == 0x23 {  // '#'
            i += 1
            var radix: UInt32 = 10
            if i < bytes.endIndex, bytes[i] == 0x78 || bytes[i] == 0x58 { radix = 16; i += 1 }
            let digitsStart = i
            var value: UInt32 = 0
            while i < bytes.endIndex, let d = digit(bytes[i], radix: radix), i - digitsStart < 8 {
                value = value * radix + d
                i += 1
            }
            guard i > digitsStart else { return nil }
            if i < bytes.endIndex, bytes[i] == 0x3B { i += 1 }
            if let mapped = windows1252[value] { value = mapped }
            // NUL, surrogates and out-of-range values are dropped rather than turned into U+FFFD.
            guard value != 0, let scalar = Unicode.Scalar(value) else { return ("", i - start) }
            if value == 0xA0 || (0x2000...0x200A).contains(value) {
                return (" ", i - start)
            }
            return (String(Character(scalar)), i - start)
        }
        let nameStart = i
        while i < bytes.endIndex, i - nameStart < 12, isAlphanumeric(bytes[i]) { i += 1 }
        guard i > nameStart else { return nil }
        let name = String(decoding: bytes[nameStart..<i], as: UTF8.self)
        if i < bytes.endIndex, bytes[i] == 0x3B, let text = named[name] {
            return (text, i + 1 - start)
        }
        // Without a semicolon only the legacy names, and only as a prefix of the run of letters.
        for legacy in legacyWithoutSemicolon where name.hasPrefix(legacy) {
            return (named[legacy] ?? "", legacy.utf8.count + 1)
        }
        return nil
    }

    private static func digit(_ b: UInt8, radix: UInt32) -> UInt32? {
        switch b {
        case 0x30...0x39: return UInt32(b - 0x30)
        case 0x61...0x66 where radix == 16: return UInt32(b - 0x61 + 10)
        case 0x41...0x46 where radix == 16: return UInt32(b - 0x41 + 10)
        default: return nil
        }
    }

    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }
}
