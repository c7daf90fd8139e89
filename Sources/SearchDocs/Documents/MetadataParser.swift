import CICUShim
/// Parses the disclosure metadata block (索引号, 发文字号, 发布机构, 生成日期 …) from a document's text,
/// and finds the date a document states when it has no such block.
///
/// A metadata line starts with a known label; a line may hold several fields. A label is followed by
/// `：`, `:`, white space or the end of the line, and its value runs to the next label (which must
/// follow white space, a tab or `|`) or the end of the line. This reads both the text form
///
///     索引号 620722024/2024-00036 发文字号
///     关键词 发布机构 民乐县科技局
///
/// and HTML tables after `HTMLTextExtractor` (`索引号：<TAB>620722024/2024-00036<TAB>发文字号：<TAB>`).
/// Labels may be spaced out (`索 引 号`). The first value of each field wins. Dates are normalized to
/// `yyyy-MM-dd`.
public enum MetadataParser {
    private enum Field {
        case indexNumber, documentNumber, keywords, publisher, disclosureForm, responsibleDepartment
        case date(priority: Int), validity, category
        /// A label of another field, which ends the value before it.
        case other
    }

    /// Labels, longest first within a shared prefix so that `信息索引号` wins over `索引号`.
    private static let labels: [(label: [Unicode.Scalar], field: Field)] = {
        let table: [(String, Field)] = [
            ("信息索引号", .indexNumber), ("索引号", .indexNumber), ("索取号", .indexNumber),
            ("发文字号", .documentNumber), ("发文文号", .documentNumber), ("发文编号", .documentNumber),
            ("文件编号", .documentNumber), ("文号", .documentNumber),
            ("关键词", .keywords), ("关键字", .keywords), ("主题词", .keywords),
            ("发布机构", .publisher), ("发文机关", .publisher), ("发文单位", .publisher), ("发布单位", .publisher),
            ("发文机构", .publisher), ("制发机关", .publisher), ("发布部门", .publisher), ("成文机关", .publisher),
            ("公开形式", .disclosureForm), ("公开方式", .disclosureForm),
            ("责任部门", .responsibleDepartment), ("责任单位", .responsibleDepartment), ("责任科室", .responsibleDepartment),
            ("生成日期", .date(priority: 0)), ("成文日期", .date(priority: 1)), ("发文日期", .date(priority: 2)),
            ("印发日期", .date(priority: 3)), ("发布日期", .date(priority: 4)), ("公开日期", .date(priority: 5)),
            ("发布时间", .date(priority: 6)), ("公开时间", .date(priority: 7)), ("生成时间", .date(priority: 8)),
            ("是否有效", .validity), ("有效性", .validity), ("时效性", .validity), ("效力状态", .validity),
            ("主题分类", .category), ("信息分类", .category),
            ("公开范围", .other), ("公开时限", .other), ("体裁分类", .other), ("组配分类", .other),
            ("服务对象分类", .other), ("服务对象", .other), ("信息来源", .other), ("来源", .other), ("作者", .other),
            ("浏览次数", .other), ("阅读次数", .other), ("点击数", .other), ("访问量", .other), ("有效期", .other),
            ("废止日期", .other), ("失效日期", .other), ("实施日期", .other), ("施行日期", .other),
            ("责任编辑", .other), ("信息名称", .other), ("文件名称", .other), ("标题", .other), ("名称", .other),
            ("内容概述", .other), ("摘要", .other), ("所属主题", .other), ("字号", .other),
        ]
        return table.map { (Array($0.0.unicodeScalars), $0.1) }
            .sorted { $0.label.count > $1.label.count }
    }()

    /// Lines longer than this (in Unicode scalars) are body text, not metadata.
    static let maxLineLength = 300

    /// The metadata fields found in `text`.
    public static func parse(_ text: String) -> DisclosureMetadata {
        var metadata = DisclosureMetadata()
        var bestDatePriority = Int.max
        text.enumerateLines(maxLength: maxLineLength, startingWith: { labelInitials.contains($0) || $0 == "【" || $0 == "[" }) { line in
            for (field, value) in fields(in: line) {
                switch field {
                case .indexNumber: if metadata.indexNumber == nil { metadata.indexNumber = value }
                case .documentNumber: if metadata.documentNumber == nil { metadata.documentNumber = value }
                case .keywords: if metadata.keywords == nil { metadata.keywords = value }
                case .publisher: if metadata.publisher == nil { metadata.publisher = value }
                case .disclosureForm: if metadata.disclosureForm == nil { metadata.disclosureForm = value }
                case .responsibleDepartment:
                    if metadata.responsibleDepartment == nil { metadata.responsibleDepartment = value }
                case .validity: if metadata.validity == nil { metadata.validity = value }
                case .category: if metadata.category == nil { metadata.category = value }
                case .date(let priority):
                    if priority < bestDatePriority, let date = normalizeDate(value) {
                        metadata.date = date
                        bestDatePriority = priority
                    }
                case .other:
                    break
                }
            }
        }
        return metadata
    }

    /// The fields of one line, or none when the line does not start with a label.
    private static func fields(in line: [Unicode.Scalar]) -> [(Field, String)] {
        var start = 0
        while start < line.count, isBlank(line[start]) || line[start] == "【" || line[start] == "[" { start += 1 }
        guard let first = label(in: line, at: start) else { return [] }

        var matches: [(field: Field, labelStart: Int, valueStart: Int)] = [(first.field, start, first.end)]
        var i = first.end
        while i < line.count {
            if isSeparator(line[i]), i + 1 < line.count {
                var j = i + 1
                while j < line.count, isSeparator(line[j]) { j += 1 }
                if let next = label(in: line, at: j) {
                    matches.append((next.field, j, next.end))
                    i = next.end
                    continue
                }
                i = j
                continue
            }
            i += 1
        }
        var out: [(Field, String)] = []
        for (n, match) in matches.enumerated() {
            let end = n + 1 < matches.count ? matches[n + 1].labelStart : line.count
            var lower = match.valueStart
            var upper = max(lower, end)
            while lower < upper, isBlank(line[lower]) || line[lower] == "：" || line[lower] == ":" { lower += 1 }
            while upper > lower, isBlank(line[upper - 1]) || isSeparator(line[upper - 1]) { upper -= 1 }
            var value = String(String.UnicodeScalarView(line[lower..<upper]))
            if value.hasSuffix("】") || value.hasSuffix("]") { value.removeLast() }
            out.append((match.field, value))
        }
        return out
    }

    /// The label at `start` and the index after it (and after `】`), when it is followed by a
    /// separator, a colon or the end of the line. Blanks inside the label are allowed (`索 引 号`).
    private static func label(in line: [Unicode.Scalar], at start: Int) -> (field: Field, end: Int)? {
        guard start < line.count else { return nil }
        for (label, field) in labels where line[start] == label[0] {
            var i = start
            var matched = 0
            while matched < label.count, i < line.count {
                if line[i] == label[matched] {
                    matched += 1
                    i += 1
                } else if matched > 0, isBlank(line[i]), i - start < label.count * 3 {
                    i += 1
                } else {
                    break
                }
            }
            guard matched == label.count else { continue }
            if i < line.count, line[i] == "】" || line[i] == "]" { i += 1 }
            if i == line.count || isBlank(line[i]) || line[i] == "：" || line[i] == ":" || isSeparator(line[i]) {
                return (field, i)
            }
        }
        return nil
    }

    private static func isBlank(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x80 { return s == " " || s == "\t" || s == "\n" || s == "\r" || s == "\u{0B}" || s == "\u{0C}" }
        return s == "\u{3000}" || s == "\u{A0}" || s.properties.isWhitespace
    }

    /// The first scalars of all labels, to pass over most lines without looking further.
    private static let labelInitials: Set<Unicode.Scalar> = Set(labels.map { $0.label[0] })

    /// What may come before a label inside a line.
    private static func isSeparator(_ s: Unicode.Scalar) -> Bool {
        isBlank(s) || s == "|" || s == "｜" || s == "】" || s == "【" || s == "[" || s == "]" || s == "；" || s == ";"
    }

    // MARK: - Dates

    /// The first date in `text`, as `yyyy-MM-dd`: `2024-07-24 17:08:31`, `2024年7月24日`, `2024/7/24`,
    /// `2024.07.24`, `20240724` (the whole text), `二〇二四年七月二十四日`; full-width digits too.
    /// Nil when there is no valid date (years 1900–2100).
    public static func normalizeDate(_ text: String) -> String? {
        let scalars = Array(text.unicodeScalars.map(asciiDigit))
        if let date = arabicDate(in: scalars) { return date }
        if let date = chineseDate(in: scalars) { return date }
        let digits = scalars.filter { !isBlank($0) }
        if digits.count == 8, digits.allSatisfy({ ("0"..."9").contains($0) }) {
            let n = digits.map { Int($0.value - 0x30) }
            return formatDate(year: n[0] * 1000 + n[1] * 100 + n[2] * 10 + n[3], month: n[4] * 10 + n[5], day: n[6] * 10 + n[7])
        }
        return nil
    }

    private static func asciiDigit(_ s: Unicode.Scalar) -> Unicode.Scalar {
        if ("０"..."９").contains(s), let ascii = Unicode.Scalar(s.value - 0xFF10 + 0x30) { return ascii }
        return s
    }

    private static func isDigit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) }

    /// `yyyy-M-d`, `yyyy/M/d`, `yyyy.M.d`, `yyyy年M月d日` (not inside a longer number).
    private static func arabicDate(in s: [Unicode.Scalar]) -> String? {
        var i = 0
        while i + 4 <= s.count {
            guard isDigit(s[i]), i == 0 || !isDigit(s[i - 1]) else { i += 1; continue }
            var j = i
            var year = 0
            while j < s.count, isDigit(s[j]), j - i < 5 { year = year * 10 + Int(s[j].value - 0x30); j += 1 }
            guard j - i == 4, j < s.count else { i = j; continue }
            // `2024 年 7 月 24 日`: blanks only around the Chinese separators.
            var k = j
            while k < s.count, isBlank(s[k]) { k += 1 }
            if k < s.count, s[k] == "年" { j = k }
            let separator = s[j]
            guard separator == "-" || separator == "/" || separator == "." || separator == "年" else { i = j; continue }
            j += 1
            while j < s.count, isBlank(s[j]) { j += 1 }
            var month = 0
            let monthStart = j
            while j < s.count, isDigit(s[j]), j - monthStart < 3 { month = month * 10 + Int(s[j].value - 0x30); j += 1 }
            guard j > monthStart, j - monthStart <= 2, j < s.count else { i = j; continue }
            if separator == "年" {
                k = j
                while k < s.count, isBlank(s[k]) { k += 1 }
                if k < s.count, s[k] == "月" { j = k }
            }
            let second = s[j]
            let expected: Unicode.Scalar = separator == "年" ? "月" : separator
            guard second == expected else { i = j; continue }
            j += 1
            while j < s.count, isBlank(s[j]) { j += 1 }
            var day = 0
            let dayStart = j
            while j < s.count, isDigit(s[j]), j - dayStart < 3 { day = day * 10 + Int(s[j].value - 0x30); j += 1 }
            guard j > dayStart, j - dayStart <= 2 else { i = j; continue }
            if let date = formatDate(year: year, month: month, day: day) { return date }
            i = j
        }
        return nil
    }

    private static let chineseDigits: [Unicode.Scalar: Int] = [
        "〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "0": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
        "六": 6, "七": 7, "八": 8, "九": 9,
    ]

    /// `二〇二四年七月二十四日`, `二○一一年十一月十七日`.
    private static func chineseDate(in s: [Unicode.Scalar]) -> String? {
        var i = 0
        while i + 4 < s.count {
            guard s[i] != "年" else { i += 1; continue }
            // Four year digits followed by 年.
            var year = 0
            var j = i
            while j < s.count, j - i < 4, let d = chineseDigits[s[j]] { year = year * 10 + d; j += 1 }
            guard j - i == 4, j < s.count, s[j] == "年" else { i += 1; continue }
            j += 1
            guard let (month, afterMonth) = chineseNumber(s, from: j), afterMonth < s.count, s[afterMonth] == "月",
                  let (day, afterDay) = chineseNumber(s, from: afterMonth + 1), afterDay < s.count,
                  s[afterDay] == "日" || s[afterDay] == "号"
            else { i += 1; continue }
            if let date = formatDate(year: year, month: month, day: day) { return date }
            i += 1
        }
        return nil
    }

    /// A Chinese number from 1 to 39 (`七`, `十一`, `二十四`, `三十`).
    private static func chineseNumber(_ s: [Unicode.Scalar], from start: Int) -> (Int, Int)? {
        var i = start
        var value = 0
        if i < s.count, let d = chineseDigits[s[i]], d > 0 {
            value = d
            i += 1
        }
        if i < s.count, s[i] == "十" {
            value = (value == 0 ? 1 : value) * 10
            i += 1
            if i < s.count, let d = chineseDigits[s[i]], d > 0 {
                value += d
                i += 1
            }
        }
        return i > start && value > 0 ? (value, i) : nil
    }

    private static func formatDate(year: Int, month: Int, day: Int) -> String? {
        guard (1900...2100).contains(year), (1...12).contains(month), day >= 1 else { return nil }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard day <= days else { return nil }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))"
    }

    // MARK: - Stated dates

    /// Words that make a date in the first lines the document's own (`2011年11月17日 … 通过`).
    private static let promulgationMarkers = MarkerSet(["通过", "公布", "发布", "印发", "批准", "颁布", "施行", "修订", "修正", "制定", "发文"])

    /// The date a document without a metadata block states, as `yyyy-MM-dd`, looked for in order:
    /// a date field (`发布日期：…`, `成文日期：…`) in the first lines; a promulgation line in the first
    /// lines (`2011年11月17日 上海市…会议通过`, `（2020年5月14日…公布）`); a line that is only a date (or a
    /// short signature ending with one) among the last lines, as official documents end, or the date
    /// that ends the last line; a line that is only a date among the first lines.
    public static func statedDate(in text: String) -> String? {
        let head = firstLines(of: text, count: 30)
        let labeled = parse(head.joined(separator: "\n"))
        if let date = labeled.date { return date }

        for line in head.prefix(15) where line.utf8.count <= 900 {
            if promulgationMarkers.matches(line), let date = normalizeDate(line) {
                return date
            }
        }
        let tail = lastLines(of: text, count: 8)
        for line in tail.reversed() where isDateLine(line, allowingPrefix: 30) {
            if let date = normalizeDate(line) { return date }
        }
        // A document on one long line ends with its signature and date: `… 国家税务总局河南省税务局 2020年2月7日`.
        if let last = tail.last, let date = trailingDate(of: last) { return date }
        for line in head.prefix(10) where isDateLine(line, allowingPrefix: 0) {
            if let date = normalizeDate(line) { return date }
        }
        return nil
    }

    /// The date that ends `line` (possibly followed by `印发` or `发布`), for lines too long for a date line.
    private static func trailingDate(of line: String) -> String? {
        var scalars = Array(line.unicodeScalars.map(asciiDigit))
        while let last = scalars.last, isBlank(last) { scalars.removeLast() }
        for word in ["印发", "发布", "公布"] where scalars.count > 2 {
            if String(String.UnicodeScalarView(scalars.suffix(2))) == word { scalars.removeLast(2) }
        }
        while let last = scalars.last, isBlank(last) || last == "）" || last == ")" { scalars.removeLast() }
        guard let last = scalars.last, last == "日" || last == "号" || isDigit(last) else { return nil }
        // The shortest suffix that is a whole date.
        for length in 8...min(20, scalars.count) {
            let suffix = String(String.UnicodeScalarView(scalars.suffix(length)))
            if let date = normalizeDate(suffix), isDateLine(suffix, allowingPrefix: 0),
               length == scalars.count || !isDigit(scalars[scalars.count - length - 1])
            {
                return date
            }
        }
        return nil
    }

    /// A line made of a date (with an optional time, brackets) after at most `prefix` other characters.
    private static func isDateLine(_ line: String, allowingPrefix prefix: Int) -> Bool {
        let scalars = Array(line.unicodeScalars.map(asciiDigit))
        guard scalars.count <= prefix + 40 else { return false }
        // Strip the date and time characters from the end; what is left is the prefix.
        var end = scalars.count
        let dateScalars: Set<Unicode.Scalar> = ["年", "月", "日", "号", "-", "/", ".", ":", "：", " ", "\u{3000}",
                                                "（", "）", "(", ")", "〇", "○", "零", "一", "二", "三", "四", "五",
                                                "六", "七", "八", "九", "十", "时", "分", "秒"]
        while end > 0, isDigit(scalars[end - 1]) || dateScalars.contains(scalars[end - 1]) { end -= 1 }
        guard end <= prefix else { return false }
        // The prefix must not be a sentence (a signature such as 民乐县科学技术局 is fine).
        return !scalars[..<end].contains(where: { $0 == "，" || $0 == "。" || $0 == "," || $0 == "；" })
    }

    /// Lines longer than this (in UTF-8 bytes) are cut for date finding: a date line is short.
    private static let maxDateLineBytes = 1200

    /// The first `count` non-blank lines, trimmed; a long line is cut after `maxDateLineBytes`.
    private static func firstLines(of text: String, count: Int) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            var out: [String] = []
            var start = 0
            while out.count < count, start < bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
                var cut = min(end, start + maxDateLineBytes)
                while cut > start, cut < bytes.count, (bytes[cut] & 0xC0) == 0x80 { cut -= 1 }
                let line = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<cut]), as: UTF8.self).trimmingBlanks()
                if !line.isEmpty { out.append(line) }
                start = end + 1
            }
            return out
        }
    }

    /// The last `count` non-blank lines, trimmed, in text order; a long line keeps only its last
    /// `maxDateLineBytes`.
    private static func lastLines(of text: String, count: Int) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            var out: [String] = []
            var end = bytes.count
            while out.count < count, end > 0 {
                var start = end
                while start > 0, bytes[start - 1] != 0x0A, bytes[start - 1] != 0x0D { start -= 1 }
                var cut = max(start, end - maxDateLineBytes)
                while cut < end, (bytes[cut] & 0xC0) == 0x80 { cut += 1 }
                let line = String(decoding: UnsafeBufferPointer(rebasing: bytes[cut..<end]), as: UTF8.self).trimmingBlanks()
                if !line.isEmpty { out.append(line) }
                end = start - 1
            }
            return out.reversed()
        }
    }
}

private extension String {
    /// The scalar whose UTF-8 starts at `i` (the text is valid UTF-8), without making a string.
    @inline(__always)
    private static func scalar(at i: Int, in bytes: UnsafeBufferPointer<UInt8>, end: Int) -> Unicode.Scalar? {
        let b0 = UInt32(bytes[i])
        if b0 < 0x80 { return Unicode.Scalar(b0) }
        let n = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : 2
        guard i + n <= end else { return nil }
        var v = b0 & (0x7F >> UInt32(n))
        for k in 1..<n { v = v << 6 | UInt32(bytes[i + k] & 0x3F) }
        return Unicode.Scalar(v)
    }

    /// Calls `body` with the scalars of each line (split at line breaks) that has at most `maxLength`
    /// scalars and whose first non-blank scalar satisfies `isStart`. Lines are found in the UTF-8
    /// bytes; other lines are passed over without decoding them.
    func enumerateLines(maxLength: Int, startingWith isStart: (Unicode.Scalar) -> Bool,
                        _ body: ([Unicode.Scalar]) -> Void)
    {
        var text = self
        text.withUTF8 { bytes in
            let count = bytes.count
            var start = 0
            while start < count {
                // The end of the line: \n, \r, U+0085 (C2 85), U+2028 and U+2029 (E2 80 A8/A9).
                var end = start
                var next = count
                while end < count {
                    end = sd_find_line_break_lead(bytes.baseAddress!, end, count)
                    if end == count { break }
                    let b = bytes[end]
                    if b == 0x0A || b == 0x0D { next = end + 1; break }
                    if b == 0xC2, end + 1 < count, bytes[end + 1] == 0x85 { next = end + 2; break }
                    if b == 0xE2, end + 2 < count, bytes[end + 1] == 0x80, bytes[end + 2] == 0xA8 || bytes[end + 2] == 0xA9 {
                        next = end + 3
                        break
                    }
                    end += 1
                }
                defer { start = next }
                // Leading blanks: ASCII space and tab, U+3000 (E3 80 80), U+00A0 (C2 A0).
                var first = start
                while first < end {
                    if bytes[first] == 0x20 || bytes[first] == 0x09 { first += 1; continue }
                    if bytes[first] == 0xE3, first + 2 < end, bytes[first + 1] == 0x80, bytes[first + 2] == 0x80 { first += 3; continue }
                    if bytes[first] == 0xC2, first + 1 < end, bytes[first + 1] == 0xA0 { first += 2; continue }
                    break
                }
                guard first < end, end - start <= maxLength * 4,
                      let initial = Self.scalar(at: first, in: bytes, end: end), isStart(initial)
                else { continue }
                let scalars = Array(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self).unicodeScalars)
                if scalars.count <= maxLength { body(scalars) }
            }
        }
    }
}
