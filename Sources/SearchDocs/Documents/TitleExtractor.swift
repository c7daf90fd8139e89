/// Finds the line that names a document.
///
/// The rules, in order:
/// - leading empty lines, HTML comments, site banners (`网站支持IPV6 | 无障碍阅读 | 适老化模式`),
///   navigation lines (`当前位置: 首页>>…`, rows of `|`-separated short items), disclosure metadata
///   lines (`索引号 …`, `发布机构：…`) and lines made only of a date or punctuation are skipped;
/// - a Markdown heading (`# 标题`) is the title;
/// - otherwise the first remaining line is the title when it is short (at most 80 characters) and does
///   not end like a sentence (`。`, `！`, `？`, `；`);
/// - otherwise (a long line, typically a whole document on one line) the title is taken from the start of
///   the first sentence: space-separated leading segments are kept while they read like a headline
///   (no comma, no trailing colon, no unclosed bracket, no repetition), within 60 characters, and a
///   single longer run is cut at a comma or space before the 60th character.
enum TitleExtractor {
    /// The longest plain line (in Unicode scalars) that is taken as a title as it is.
    static let maxTitleLineLength = 80
    /// The longest title (in Unicode scalars) taken from the first sentence of a long line.
    static let maxSentenceTitleLength = 60
    /// How far (in Unicode scalars) the first sentence of a long line is looked for.
    static let sentenceScanLimit = 400
    /// The longest line (in Unicode scalars) that can be a banner, breadcrumb or metadata line.
    static let maxSkippableLineLength = 200
    /// How many non-empty lines are examined before falling back to the first one.
    static let maxLinesExamined = 40

    /// The document's title and its UTF-8 byte range in `text` (the title is always a substring of the text,
    /// trimmed of surrounding whitespace and Markdown heading marks such as `# `).
    static func title(of text: String) -> (title: String, utf8Range: Range<Int>) {
        let scalars = text.unicodeScalars
        var lineStart = scalars.startIndex
        var fallback: Range<String.Index>?
        var examined = 0

        while lineStart < scalars.endIndex, examined < maxLinesExamined {
            let lineEnd = scalars[lineStart...].firstIndex(where: isLineBreak) ?? scalars.endIndex
            defer { lineStart = lineEnd < scalars.endIndex ? scalars.index(after: lineEnd) : lineEnd }

            let line = trimmed(lineStart..<lineEnd, in: scalars)
            if line.isEmpty { continue }
            examined += 1

            let (content, isHeading) = headingContent(line, in: scalars)
            if content.isEmpty { continue }
            if fallback == nil { fallback = content }

            if isHeading { return result(content, in: text) }
            // Banners, breadcrumbs and metadata lines are short; a long line is never skipped.
            let length = boundedCount(content, limit: maxSkippableLineLength + 1, in: scalars)
            if length <= maxSkippableLineLength, isSkippable(Substring(scalars[content])) { continue }

            let last = scalars[scalars.index(before: content.upperBound)]
            if length <= maxTitleLineLength, !sentenceEnders.contains(last) {
                // A line broken after a comma (`…重要民生产业，`) loses the comma.
                return result(trimmingTrailingBreaks(content, in: scalars), in: text)
            }
            return result(sentenceTitle(content, in: scalars), in: text)
        }

        if let fallback {
            let length = boundedCount(fallback, limit: maxTitleLineLength + 1, in: scalars)
            if length <= maxTitleLineLength { return result(fallback, in: text) }
            return result(sentenceTitle(fallback, in: scalars), in: text)
        }
        return ("", 0..<0)
    }

    /// The number of scalars in `range`, counting no further than `limit`.
    private static func boundedCount(_ range: Range<String.Index>, limit: Int, in scalars: String.UnicodeScalarView) -> Int {
        var count = 0
        var index = range.lowerBound
        while index < range.upperBound, count < limit {
            index = scalars.index(after: index)
            count += 1
        }
        return count
    }

    // MARK: - Result

    private static func result(_ range: Range<String.Index>, in text: String) -> (title: String, utf8Range: Range<Int>) {
        let utf8 = text.utf8
        let lower = utf8.distance(from: utf8.startIndex, to: range.lowerBound)
        let upper = lower + utf8.distance(from: range.lowerBound, to: range.upperBound)
        return (String(Substring(text.unicodeScalars[range])), lower..<upper)
    }

    // MARK: - Character classes

    private static let sentenceEnders: Set<Unicode.Scalar> = ["。", "！", "？", "；", "!", "?", ";"]
    private static let clauseBreaks: Set<Unicode.Scalar> = ["，", ",", "、", "：", ":"]
    private static let openers: Set<Unicode.Scalar> = ["（", "(", "《", "“", "「", "『", "【", "[", "〔", "〈"]
    private static let closers: Set<Unicode.Scalar> = ["）", ")", "》", "”", "」", "』", "】", "]", "〕", "〉"]

    private static func isLineBreak(_ s: Unicode.Scalar) -> Bool {
        s == "\n" || s == "\r" || s == "\u{2028}" || s == "\u{2029}" || s == "\u{85}"
    }

    /// Whitespace, plus the invisible characters that web pages leave around text.
    private static func isBlank(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF: return true
        default: return s.properties.isWhitespace
        }
    }

    private static func isDigit(_ s: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(s) || ("０"..."９").contains(s)
    }

    private static func isPunctuationOrSymbol(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation,
             .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    // MARK: - Lines

    private static func trimmed(_ range: Range<String.Index>, in scalars: String.UnicodeScalarView) -> Range<String.Index> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, isBlank(scalars[lower]) { lower = scalars.index(after: lower) }
        while lower < upper {
            let before = scalars.index(before: upper)
            guard isBlank(scalars[before]) else { break }
            upper = before
        }
        return lower..<upper
    }

    /// Strips Markdown heading marks (`#` to `######` and a space, and optional closing `#`s).
    private static func headingContent(_ line: Range<String.Index>, in scalars: String.UnicodeScalarView)
        -> (content: Range<String.Index>, isHeading: Bool)
    {
        var index = line.lowerBound
        var hashes = 0
        while index < line.upperBound, scalars[index] == "#" {
            hashes += 1
            index = scalars.index(after: index)
        }
        guard (1...6).contains(hashes), index == line.upperBound || isBlank(scalars[index]) else {
            return (line, false)
        }
        var content = trimmed(index..<line.upperBound, in: scalars)
        // A closing sequence: `# 标题 ##`.
        var upper = content.upperBound
        while upper > content.lowerBound, scalars[scalars.index(before: upper)] == "#" {
            upper = scalars.index(before: upper)
        }
        if upper < content.upperBound, upper > content.lowerBound, isBlank(scalars[scalars.index(before: upper)]) {
            content = trimmed(content.lowerBound..<upper, in: scalars)
        }
        return (content, true)
    }

    private static let navigationPrefixes = [
        "当前位置", "您的位置", "你的位置", "您现在的位置", "你现在的位置", "您当前的位置", "您所在的位置",
        "你所在的位置", "所在位置", "当前页面", "首页",
    ]

    /// Disclosure metadata labels; a line starting with one of them and then a separator is skipped.
    private static let metadataLabels = [
        "索引号", "发文字号", "文号", "关键词", "关键字", "主题词", "发布机构", "发文机关", "发文单位", "发布单位",
        "公开形式", "公开方式", "公开范围", "公开时限", "公开日期", "责任部门", "生成日期", "成文日期", "发布日期", "发布时间",
        "发文日期", "更新时间", "更新日期", "是否有效", "有效性", "时效性", "主题分类", "信息分类", "体裁分类", "组配分类", "信息来源",
        "来源", "作者", "浏览次数", "阅读次数", "点击数", "访问次数", "字号", "字体", "【字体", "【字号", "责任编辑", "编辑",
        "打印", "【打印", "分享到",
    ]

    /// Words that mark a website banner or page tool rather than document text.
    private static let bannerWords = [
        "无障碍", "适老化", "ipv6", "繁體", "长者模式", "关怀版", "设为首页", "加入收藏", "打印本页", "关闭窗口",
        "返回顶部", "网站地图",
    ]

    private static func isSkippable(_ line: Substring) -> Bool {
        if line.hasPrefix("<!--") || line.hasPrefix("-->") { return true }
        if isNavigation(line) || isMetadata(line) || isBanner(line) { return true }
        return isDateOrPunctuation(line)
    }

    private static func isNavigation(_ line: Substring) -> Bool {
        for prefix in navigationPrefixes where line.hasPrefix(prefix) { return true }
        if line.contains(">>") || line.contains("»") || line.contains("＞＞") || line.contains("&gt;") { return true }
        if line.contains("首页"), line.contains(">") || line.contains("＞") || line.contains("→") || line.contains("/") {
            return true
        }
        // A row of short `|`-separated items: `网站支持IPV6 | 无障碍阅读 | 适老化模式`.
        let items = line.split(whereSeparator: { $0 == "|" || $0 == "｜" || $0 == "¦" })
            .map { $0.unicodeScalars.filter { !isBlank($0) }.count }
            .filter { $0 > 0 }
        let separators = line.unicodeScalars.filter { $0 == "|" || $0 == "｜" || $0 == "¦" }.count
        if separators >= 2, items.allSatisfy({ $0 <= 20 }) { return true }
        if separators == 1, items.allSatisfy({ $0 <= 10 }) { return true }
        return false
    }

    private static func isMetadata(_ line: Substring) -> Bool {
        let scalars = line.unicodeScalars
        for label in metadataLabels where line.hasPrefix(label) {
            let rest = scalars.dropFirst(label.unicodeScalars.count)
            guard let next = rest.first else { return true }
            if isBlank(next) || next == "：" || next == ":" || next == "】" || next == "]" { return true }
        }
        return false
    }

    /// A row of short items (separated by spaces, `/` or `·`) where one item is a banner word,
    /// or a single short item that is one.
    private static func isBanner(_ line: Substring) -> Bool {
        let items = line.split(whereSeparator: { ch in
            ch == "/" || ch == "·" || ch == "丨" || ch.unicodeScalars.allSatisfy(isBlank)
        })
        guard items.allSatisfy({ $0.unicodeScalars.count <= 12 }) else { return false }
        return items.contains { item in
            let lower = item.lowercased()
            return bannerWords.contains { lower.contains($0) } || lower.hasPrefix("网站支持")
        } && (items.count >= 2 || line.unicodeScalars.count <= 8)
    }

    private static let dateCharacters: Set<Unicode.Scalar> = [
        "年", "月", "日", "时", "分", "秒", "号", "星", "期", "周", "一", "二", "三", "四", "五", "六", "天",
        "〇", "零", "上", "下", "午",
    ]

    /// A line with nothing but digits, date words, spaces and punctuation: `2024-07-24 17:08:31`, `——`.
    private static func isDateOrPunctuation(_ line: Substring) -> Bool {
        line.unicodeScalars.allSatisfy { s in
            isBlank(s) || isDigit(s) || isPunctuationOrSymbol(s) || dateCharacters.contains(s)
        }
    }

    // MARK: - First sentence of a long line

    /// The title at the start of a long line: the headline-like leading segments of its first sentence.
    private static func sentenceTitle(_ line: Range<String.Index>, in scalars: String.UnicodeScalarView) -> Range<String.Index> {
        // The first sentence, looked for within a bounded prefix.
        var end = line.lowerBound
        var scanned = 0
        while end < line.upperBound, scanned < sentenceScanLimit {
            let s = scalars[end]
            if sentenceEnders.contains(s) { break }
            let next = scalars.index(after: end)
            // An ASCII full stop ends a sentence only before a space or the end (not in 3.6 or v1.0).
            if s == ".", next == line.upperBound || isBlank(scalars[next]) { break }
            end = next
            scanned += 1
        }
        let sentence = trimmed(line.lowerBound..<end, in: scalars)
        if sentence.isEmpty { return sentence }

        // Whitespace-separated segments of the sentence.
        var segments: [Range<String.Index>] = []
        var index = sentence.lowerBound
        while index < sentence.upperBound {
            while index < sentence.upperBound, isBlank(scalars[index]) { index = scalars.index(after: index) }
            let start = index
            while index < sentence.upperBound, !isBlank(scalars[index]) { index = scalars.index(after: index) }
            if start < index { segments.append(start..<index) }
        }

        let first = segments[0]
        if scalars.distance(from: sentence.lowerBound, to: first.upperBound) > maxSentenceTitleLength {
            return closingBrackets(cut(sentence.lowerBound..<first.upperBound, in: scalars), in: scalars)
        }
        var titleEnd = first.upperBound
        var lastIncluded = first
        for segment in segments.dropFirst() {
            // A headline that already names its document type (`…的通知`) is complete.
            if endsWithDocumentType(Array(scalars[lastIncluded])[...]) { break }
            if scalars.distance(from: sentence.lowerBound, to: segment.upperBound) > maxSentenceTitleLength { break }
            let candidate = Array(scalars[segment])
            if isBodyLike(candidate) || isDateOrPunctuation(Substring(scalars[segment])) { break }
            // A repeated headline (`福建省推出“八闽健康码” 我省推出“八闽健康码”`) is not part of the title.
            let previous = Array(scalars[sentence.lowerBound..<titleEnd])
            if longestCommonRun(previous, candidate) >= min(repeatedRunLength, candidate.count) { break }
            titleEnd = segment.upperBound
            lastIncluded = segment
        }
        return closingBrackets(trimmingTrailingBreaks(sentence.lowerBound..<titleEnd, in: scalars), in: scalars)
    }

    private static let bracketOpeners: Set<Unicode.Scalar> = ["（", "(", "《", "【", "[", "〔", "〈"]
    private static let bracketClosers: Set<Unicode.Scalar> = ["）", ")", "》", "】", "]", "〕", "〉"]

    /// Drops an unclosed bracket and what follows it (`莱昂德罗·内托（Leandro Netto de` becomes
    /// `莱昂德罗·内托`), unless nothing would be left. Quotation marks are left alone: web text often
    /// has them reversed (`”摆渡“`).
    private static func closingBrackets(_ range: Range<String.Index>, in scalars: String.UnicodeScalarView) -> Range<String.Index> {
        var unmatched: [String.Index] = []
        var index = range.lowerBound
        while index < range.upperBound {
            let s = scalars[index]
            if bracketOpeners.contains(s) {
                unmatched.append(index)
            } else if bracketClosers.contains(s), !unmatched.isEmpty {
                unmatched.removeLast()
            }
            index = scalars.index(after: index)
        }
        guard let open = unmatched.first else { return range }
        let kept = trimmingTrailingBreaks(range.lowerBound..<open, in: scalars)
        return scalars.distance(from: kept.lowerBound, to: kept.upperBound) >= 2 ? kept : range
    }

    /// A run of this many characters shared with the headline so far marks a repeated headline.
    static let repeatedRunLength = 7

    /// The document types that end an official title; a segment of at least 6 characters ending with one
    /// of them (possibly followed by a number such as `（第8号）`) completes the headline.
    private static let documentTypes: [[Unicode.Scalar]] = [
        "通知", "通告", "公告", "意见", "办法", "决定", "规定", "方案", "说明", "指引", "指南", "通报", "条例", "细则",
        "措施", "报告", "批复", "决议", "解读", "倡议书", "告知书", "公开信", "一封信", "预案", "公示", "声明", "的函",
    ].map { Array($0.unicodeScalars) }

    private static func endsWithDocumentType(_ segment: ArraySlice<Unicode.Scalar>) -> Bool {
        guard segment.count >= 6 else { return false }
        var body = segment
        // A trailing number: `（第8号）`, `第13号`.
        if let last = body.last, closers.contains(last), let open = body.lastIndex(where: { openers.contains($0) }) {
            body = body[..<open]
        }
        if body.last == "号", let number = body.lastIndex(of: "第") {
            body = body[..<number]
        }
        return documentTypes.contains { type in body.count >= type.count && body.suffix(type.count).elementsEqual(type) }
    }

    /// The length of the longest run of characters that `a` and `b` share.
    private static func longestCommonRun(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        var previous = [Int](repeating: 0, count: b.count + 1)
        var current = previous
        var best = 0
        for i in 1...a.count {
            for j in 1...b.count {
                current[j] = a[i - 1] == b[j - 1] ? previous[j - 1] + 1 : 0
                best = max(best, current[j])
            }
            swap(&previous, &current)
        }
        return best
    }

    /// A segment that starts the body rather than continuing a headline: it has a comma or colon, an
    /// unclosed bracket, a date (`2月16日`), a news dateline ending (`…讯`), or starts with a list number
    /// (`一、`, `1.`), a bullet or a metadata bracket (`【发文单位】`).
    private static func isBodyLike(_ segment: [Unicode.Scalar]) -> Bool {
        guard let firstScalar = segment.first, let lastScalar = segment.last else { return true }
        if firstScalar == "【" || firstScalar == "[" { return true }
        if !openers.contains(firstScalar), firstScalar.properties.generalCategory != .dashPunctuation,
           isPunctuationOrSymbol(firstScalar)
        {
            return true
        }
        if lastScalar == "：" || lastScalar == ":" || lastScalar == "讯" { return true }
        if startsWithListNumber(segment) || containsMonthDay(segment) { return true }
        var depth = 0
        for s in segment {
            if s == "，" || s == "," || s == "：" { return true }
            if openers.contains(s) { depth += 1 } else if closers.contains(s) { depth -= 1 }
        }
        return depth > 0
    }

    private static let chineseNumerals: Set<Unicode.Scalar> = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]

    /// `一、`, `十二、`, `1、`, `2.`, `（一）`.
    private static func startsWithListNumber(_ segment: [Unicode.Scalar]) -> Bool {
        var index = segment.startIndex
        if index < segment.endIndex, segment[index] == "（" || segment[index] == "(" { index += 1 }
        let start = index
        while index < segment.endIndex, isDigit(segment[index]) || chineseNumerals.contains(segment[index]) { index += 1 }
        guard index > start, index < segment.endIndex else { return false }
        let mark = segment[index]
        return mark == "、" || mark == "．" || (mark == "." && index + 1 < segment.endIndex && !isDigit(segment[index + 1]))
            || mark == "）" || mark == ")"
    }

    /// Digits followed by `月`, digits and `日`: a date such as `2月16日`.
    private static func containsMonthDay(_ segment: [Unicode.Scalar]) -> Bool {
        var index = 0
        while index < segment.count {
            guard isDigit(segment[index]) else { index += 1; continue }
            var end = index
            while end < segment.count, isDigit(segment[end]) { end += 1 }
            if end < segment.count, segment[end] == "月" {
                var day = end + 1
                while day < segment.count, isDigit(segment[day]) { day += 1 }
                if day > end + 1, day < segment.count, segment[day] == "日" { return true }
            }
            index = end
        }
        return false
    }

    /// Cuts a run longer than the limit at the last comma, enumeration mark, colon or space before it,
    /// or at the limit when there is none past the first few characters.
    private static func cut(_ range: Range<String.Index>, in scalars: String.UnicodeScalarView) -> Range<String.Index> {
        let limit = scalars.index(range.lowerBound, offsetBy: maxSentenceTitleLength)
        let minimum = scalars.index(range.lowerBound, offsetBy: 12)
        var index = limit
        while index > minimum {
            let before = scalars.index(before: index)
            let s = scalars[before]
            if clauseBreaks.contains(s) || isBlank(s) {
                return trimmingTrailingBreaks(range.lowerBound..<before, in: scalars)
            }
            index = before
        }
        return trimmingTrailingBreaks(range.lowerBound..<limit, in: scalars)
    }

    private static func trimmingTrailingBreaks(_ range: Range<String.Index>, in scalars: String.UnicodeScalarView) -> Range<String.Index> {
        var upper = range.upperBound
        while upper > range.lowerBound {
            let before = scalars.index(before: upper)
            let s = scalars[before]
            guard isBlank(s) || clauseBreaks.contains(s) else { break }
            upper = before
        }
        return range.lowerBound..<upper
    }
}
