/// Turns the bytes of a file into text, detecting the encoding with ICU and decoding strictly.
///
/// The encoding is decided in this order:
/// 1. a byte order mark (UTF-8, UTF-16LE/BE, UTF-32LE/BE);
/// 2. NUL bytes: UTF-16 without a byte order mark when one byte order decodes strictly to plausible
///    text (ASCII characters have a NUL byte in UTF-16); otherwise the file is binary;
/// 3. valid UTF-8 (crawlers often re-save pages as UTF-8 and keep a stale `<meta charset=gbk>`),
///    except a very short text that reads as unlikely characters in UTF-8 and as Chinese in GB18030;
/// 4. for HTML, the charset of `<meta charset=…>` or `<meta http-equiv="Content-Type" content="…; charset=…">`,
///    unless ICU's detection confidently names the other Chinese charset (GB18030 against Big5);
/// 5. ICU's charset detection: GB18030 (which covers GBK and GB2312) and Big5 candidates at or above
///    `confidenceFloor` (30); EUC-JP, Shift_JIS and EUC-KR only as ICU's first choice and when the text
///    has kana or hangul (Chinese GBK text scores high as EUC-JP and EUC-KR too);
/// 6. strict GB18030, then Big5, when the result is convincing Chinese text (short files, where
///    detection has too little to go on);
/// 7. UTF-16 without a byte order mark and without NUL bytes (Chinese text with no ASCII at all).
///
/// Every decoding is strict (an illegal or unmapped sequence fails it, nothing is substituted) and
/// its result must look like text (no control characters or unassigned code points beyond a trace;
/// guesses must be convincing Chinese), so a file is never turned into mojibake: when nothing works
/// it is rejected. Single-byte charsets such as ISO-8859-1 are never guessed, because any byte
/// sequence decodes in them.
public struct TextDecoder: Sendable {
    /// The lowest ICU detection confidence (0–100) that is tried.
    static let confidenceFloor = 30
    /// How many bytes at the start of an HTML page are searched for a `<meta>` charset.
    static let metaScanLimit = 8192
    /// Charsets that ICU's detector may choose (ICU's names).
    static let detectableCharsets: Set<String> = ["GB18030", "Big5", "EUC-JP", "Shift_JIS", "EUC-KR"]

    /// Creates a decoder.
    public init() {}

    /// Decodes `bytes`, the content of the file at `path` (used in errors only), as text.
    /// `isHTML` enables the `<meta>` charset and makes detection ignore markup.
    /// Returns the text (without a byte order mark) and the name of the encoding used
    /// (`UTF-8`, `GB18030`, `Big5`, `UTF-16LE` …).
    public func decode(_ bytes: [UInt8], path: String, isHTML: Bool) throws(InputError) -> (text: String, encoding: String) {
        if bytes.isEmpty { throw InputError(path: path, reason: "empty file") }

        if let (bom, charset) = Self.byteOrderMark(bytes) {
            let body = bytes[bom...]
            if body.isEmpty { throw InputError(path: path, reason: "empty file (only a byte order mark)") }
            switch Self.strictDecode(body, charset: charset) {
            case .success(let decoded) where TextPlausibility(decoded.text).isSane:
                return (decoded.text, charset)
            case .failure(.illegalSequence(let offset)):
                throw InputError(path: path, reason: "not valid \(charset) despite its byte order mark (invalid sequence at offset \(offset + bom))")
            default:
                throw InputError(path: path, reason: "not valid \(charset) despite its byte order mark")
            }
        }

        let all = bytes[...]
        if bytes.contains(0) {
            if let decoded = Self.utf16ByNULPositions(all) { return decoded }
            throw InputError(path: path, reason: "binary file (contains NUL bytes)")
        }

        if let text = bytes.withUnsafeBufferPointer({ String(validating: $0, as: UTF8.self) }) {
            if let gb18030 = Self.misreadGB18030(text, all) { return gb18030 }
            return (text, "UTF-8")
        }

        let candidates = CharsetConverter.detect(all, stripMarkup: isHTML)

        if isHTML, let label = Self.metaCharset(all.prefix(Self.metaScanLimit)),
           let charset = Self.supportedCharset(forLabel: label), charset != "UTF-8",
           !Self.detectionContradicts(charset, candidates),
           case .success(let decoded) = Self.strictDecode(all, charset: charset),
           TextPlausibility(decoded.text).isSane
        {
            return decoded
        }

        // Chinese charsets at or above the floor; Japanese and Korean ones only as ICU's first choice
        // (Chinese GBK text also scores high as EUC-JP and EUC-KR) and only with kana or hangul.
        var failure: String?
        var tried: Set<String> = []
        for (rank, candidate) in candidates.enumerated()
        where candidate.confidence >= Self.confidenceFloor && Self.detectableCharsets.contains(candidate.name) {
            let isChinese = candidate.name == "GB18030" || candidate.name == "Big5"
            guard isChinese || rank == 0, tried.insert(candidate.name).inserted else { continue }
            // On short input ICU often ranks Big5 first for GB text (which decodes as traditional
            // characters): there, convincing GB18030 wins.
            if candidate.name == "Big5", Self.isConvincingGB18030(all) { continue }
            switch Self.strictDecode(all, charset: candidate.name) {
            case .success(let decoded):
                let profile = TextPlausibility(decoded.text)
                let plausible: Bool
                switch candidate.name {
                case "EUC-JP", "Shift_JIS":
                    plausible = profile.isPlausibleJapanese && !Self.isConvincingGB18030(all)
                case "EUC-KR":
                    plausible = profile.isPlausibleKorean && !Self.isConvincingGB18030(all)
                default: plausible = profile.isSane
                }
                if plausible { return decoded }
                if failure == nil, rank == 0 {
                    failure = "looks like \(candidate.name) but does not decode to plausible text"
                }
            case .failure(.illegalSequence(let offset)):
                if failure == nil, rank == 0 {
                    failure = "looks like \(candidate.name) but has an invalid byte sequence at offset \(offset)"
                }
            case .failure:
                break
            }
        }

        // GB18030 first; Big5 only when GB18030 fails or gives something uncommon (Big5 text read
        // as GB18030 gives symbols, kana or private use characters).
        var gb18030Failed = true
        if case .success(let decoded) = Self.strictDecode(all, charset: "GB18030") {
            let profile = TextPlausibility(decoded.text)
            if profile.isConvincingChinese || (profile.bad == 0 && profile.nonASCII == 0) { return decoded }
            gb18030Failed = profile.bad > 0 || profile.commonNonASCII < profile.nonASCII
        }
        if gb18030Failed, case .success(let decoded) = Self.strictDecode(all, charset: "Big5"),
           TextPlausibility(decoded.text).isConvincingChinese
        {
            return decoded
        }

        if let decoded = Self.utf16WithoutNULs(all) { return decoded }
        let detail = failure.map { " (\($0))" } ?? ""
        throw InputError(path: path, reason: "encoding could not be determined\(detail), skipped")
    }

    // MARK: - Steps

    /// A few GB18030 characters can form valid UTF-8 by chance (`通知` is `CD A8 D6 AA`, which is
    /// UTF-8 for U+0368 U+05AA). For a short text (at most 96 bytes) whose GB18030 reading is convincing
    /// Chinese and whose UTF-8 reading is unlikely, the GB18030 reading. The UTF-8 reading is unlikely
    /// when its non-ASCII characters are all combining marks, IPA, Latin-1 symbols or unassigned; or
    /// mix two or more alphabets (`Լ֤ȯ` for `约证券`); or, for at most three of them, are letters other
    /// than Latin-1 ones (`С` for `小`). A non-ASCII space (U+00A0) keeps UTF-8.
    static func misreadGB18030(_ utf8Text: String, _ bytes: ArraySlice<UInt8>) -> (text: String, encoding: String)? {
        guard bytes.count <= 96 else { return nil }
        let nonASCII = utf8Text.unicodeScalars.filter { !$0.isASCII }
        guard !nonASCII.isEmpty, !nonASCII.contains(where: { $0.properties.isWhitespace }) else { return nil }
        func block(_ v: UInt32) -> Int? {
            switch v {
            case 0x80...0xB6, 0xB8...0xBF, 0xD7, 0xF7: return 0   // Latin-1 symbols (not the middle dot)
            case 0x100...0x24F: return 1   // Latin extended
            case 0x250...0x2FF: return 2   // IPA, spacing modifiers
            case 0x300...0x36F: return 3   // combining marks
            case 0x370...0x3FF: return 4   // Greek
            case 0x400...0x52F: return 5   // Cyrillic
            case 0x530...0x58F: return 6   // Armenian
            case 0x590...0x5FF: return 7   // Hebrew
            case 0x600...0x7FF: return 8   // Arabic, Syriac, Thaana, NKo
            default: return nil
            }
        }
        let blocks = Set(nonASCII.compactMap { block($0.value) })
        let strictlyUnlikely = nonASCII.allSatisfy { s in
            let v = s.value
            let category = s.properties.generalCategory
            return block(v) == 0 || (0x250...0x2FF).contains(v) || category == .unassigned
                || ((0x300...0x7FF).contains(v) && (category == .nonspacingMark || category == .enclosingMark))
        }
        let fewForeignLetters = nonASCII.count <= 3 && nonASCII.allSatisfy { s in
            (block(s.value) ?? 0) > 0
        }
        guard strictlyUnlikely || blocks.count >= 2 || fewForeignLetters,
              case .success(let decoded) = strictDecode(bytes, charset: "GB18030")
        else { return nil }
        let profile = TextPlausibility(decoded.text)
        return profile.isConvincingChinese && profile.ideographs > 0 ? decoded : nil
    }

    /// Whether `bytes` decode strictly as GB18030 to convincing Chinese text, for a short text:
    /// Chinese is preferred to a Japanese or Korean guess of ICU's, which is unreliable on little
    /// input. Longer texts are left to ICU.
    static func isConvincingGB18030(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count < 512 else { return false }
        guard case .success(let decoded) = strictDecode(bytes, charset: "GB18030") else { return false }
        return TextPlausibility(decoded.text).isConvincingChinese
    }

    /// The length of a byte order mark at the start of `bytes` and the charset it announces.
    static func byteOrderMark(_ bytes: [UInt8]) -> (length: Int, charset: String)? {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return (3, "UTF-8") }
        if bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) { return (4, "UTF-32LE") }
        if bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) { return (4, "UTF-32BE") }
        if bytes.starts(with: [0xFF, 0xFE]) { return (2, "UTF-16LE") }
        if bytes.starts(with: [0xFE, 0xFF]) { return (2, "UTF-16BE") }
        return nil
    }

    /// Strict decoding; the reported encoding is the charset asked for when ICU's converter name is
    /// an internal table name (`windows-950-2000` for Big5).
    static func strictDecode(_ bytes: ArraySlice<UInt8>, charset: String) -> Result<(text: String, encoding: String), CharsetConverter.Failure> {
        if charset == "UTF-8" {
            guard let text = bytes.withUnsafeBufferPointer({ String(validating: $0, as: UTF8.self) }) else {
                return .failure(.illegalSequence(offset: 0))
            }
            return .success((text, "UTF-8"))
        }
        return CharsetConverter.decode(bytes, charset: charset).map { ($0.text, charset) }
    }

    /// UTF-16 without a byte order mark, recognized by its NUL bytes (the high bytes of ASCII
    /// characters, and the low bytes of characters such as U+4E00 一): the byte order whose strict
    /// decoding is plausible text (no control characters, at least 90% common characters). When both
    /// are, the one with more NULs in high-byte positions wins.
    static func utf16ByNULPositions(_ bytes: ArraySlice<UInt8>) -> (text: String, encoding: String)? {
        guard bytes.count >= 2, bytes.count % 2 == 0 else { return nil }
        var evenNULs = 0
        var oddNULs = 0
        for (i, byte) in bytes.enumerated() where byte == 0 {
            if i % 2 == 0 { evenNULs += 1 } else { oddNULs += 1 }
        }
        var found: [(text: String, encoding: String)] = []
        for charset in ["UTF-16LE", "UTF-16BE"] {
            guard case .success(let decoded) = strictDecode(bytes, charset: charset) else { continue }
            let profile = TextPlausibility(decoded.text)
            if profile.bad == 0, profile.commonShare >= 0.9 { found.append(decoded) }
        }
        if found.count == 2 { return oddNULs >= evenNULs ? found[0] : found[1] }
        return found.first
    }

    /// UTF-16 without a byte order mark or NUL bytes (text made only of non-ASCII characters):
    /// the byte order whose decoding is convincing Chinese text, if exactly one is.
    /// Only tried when the bytes are not sane GB18030 (short GB18030 texts can look like UTF-16).
    static func utf16WithoutNULs(_ bytes: ArraySlice<UInt8>) -> (text: String, encoding: String)? {
        // Fewer than 8 characters cannot be told from other bytes that happen to pair up
        // (Latin-1 `caf\u{E9}` reads as 捡曩 in UTF-16BE): never guess mojibake.
        guard bytes.count >= 16, bytes.count % 2 == 0 else { return nil }
        if case .success(let decoded) = strictDecode(bytes, charset: "GB18030"), TextPlausibility(decoded.text).isSane {
            return nil
        }
        var found: [(text: String, encoding: String)] = []
        for charset in ["UTF-16LE", "UTF-16BE"] {
            if case .success(let decoded) = strictDecode(bytes, charset: charset) {
                let profile = TextPlausibility(decoded.text)
                // Stricter than for other guesses: mostly ideographs, nearly all common.
                if profile.isConvincingChinese, profile.commonNonASCII * 20 >= profile.nonASCII * 19,
                   profile.ideographs * 2 >= profile.nonASCII
                {
                    found.append(decoded)
                }
            }
        }
        return found.count == 1 ? found[0] : nil
    }

    // MARK: - HTML <meta>

    /// Whether ICU's detection confidently names another Chinese charset than the declared one
    /// (GB18030 and Big5 bytes often decode in each other without error, to mojibake): its first
    /// Chinese candidate scores at least 50 and 20 more than the declared charset.
    static func detectionContradicts(_ declared: String, _ candidates: [CharsetConverter.Candidate]) -> Bool {
        guard declared == "GB18030" || declared == "Big5",
              let top = candidates.first(where: { $0.name == "GB18030" || $0.name == "Big5" }),
              top.name != declared, top.confidence >= 50
        else { return false }
        let declaredConfidence = candidates.first(where: { $0.name == declared })?.confidence ?? 0
        return top.confidence >= declaredConfidence + 20
    }

    /// The charset label declared by a `<meta>` tag among `bytes` (`gbk`, `utf-8` …), lowercased,
    /// or by an XML declaration (`<?xml version="1.0" encoding="gb2312"?>`) at the start.
    static func metaCharset(_ bytes: ArraySlice<UInt8>) -> String? {
        let lower = bytes.map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 | 0x20 : $0 }
        if lower.starts(with: Array("<?xml".utf8)), let end = lower.firstIndex(of: 0x3E) {
            let declaration = lower[..<end]
            let key = Array("encoding".utf8)
            if let at = declaration.indices.first(where: { declaration[$0...].starts(with: key) }) {
                var k = at + key.count
                while k < end, lower[k] == 0x20 || lower[k] == 0x3D || lower[k] == 0x22 || lower[k] == 0x27 { k += 1 }
                let start = k
                while k < end, Self.isLabelByte(lower[k]) { k += 1 }
                if k > start { return String(decoding: lower[start..<k], as: UTF8.self) }
            }
        }
        var i = 0
        let meta = Array("<meta".utf8)
        let charset = Array("charset".utf8)
        while i + meta.count <= lower.count {
            guard lower[i] == 0x3C, lower[i..<(i + meta.count)].elementsEqual(meta) else { i += 1; continue }
            let tagEnd = lower[i...].firstIndex(of: 0x3E) ?? lower.count
            var j = i + meta.count
            while j + charset.count <= tagEnd {
                if lower[j..<(j + charset.count)].elementsEqual(charset) {
                    var k = j + charset.count
                    while k < tagEnd, lower[k] == 0x20 || lower[k] == 0x09 || lower[k] == 0x0A || lower[k] == 0x0D { k += 1 }
                    if k < tagEnd, lower[k] == 0x3D {
                        k += 1
                        while k < tagEnd, lower[k] == 0x20 || lower[k] == 0x09 || lower[k] == 0x22 || lower[k] == 0x27 { k += 1 }
                        let start = k
                        while k < tagEnd, Self.isLabelByte(lower[k]) { k += 1 }
                        if k > start { return String(decoding: lower[start..<k], as: UTF8.self) }
                    }
                }
                j += 1
            }
            i = tagEnd
        }
        return nil
    }

    private static func isLabelByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x5F || b == 0x2E || b == 0x3A
    }

    /// The charset used to decode a declared label, for the labels of encodings this decoder
    /// accepts (GBK and GB2312 are decoded as GB18030, their superset); nil for others.
    static func supportedCharset(forLabel label: String) -> String? {
        switch label {
        case "utf-8", "utf8", "unicode-1-1-utf-8": return "UTF-8"
        case "gbk", "gb2312", "gb_2312", "gb_2312-80", "gb18030", "x-gbk", "cp936", "ms936", "windows-936",
             "euc-cn", "csgb2312", "chinese", "iso-ir-58", "csiso58gb231280", "gb-2312":
            return "GB18030"
        case "big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5", "x-big5", "cp950", "windows-950", "ms950":
            return "Big5"
        case "euc-jp", "x-euc-jp", "cseucpkdfmtjapanese": return "EUC-JP"
        case "shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis", "windows-31j", "cp932":
            return "Shift_JIS"
        case "euc-kr", "cseuckr", "ks_c_5601-1987", "windows-949", "cp949": return "EUC-KR"
        default: return nil
        }
    }
}
