#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Extracts the main text and the title of an HTML page.
///
/// Tags, scripts, styles, comments and hidden elements are removed and character references
/// decoded (see `HTMLTree`). Block elements (`p`, `div`, `li`, `h1`–`h6`, `tr`, `br` …) end lines,
/// table cells are separated by a tab (so a metadata table reads `索引号：<TAB>620722024/2024-00036`),
/// and white space collapses as in a browser (a line break between two Chinese characters vanishes).
///
/// Site furniture is dropped, first by element and then by line, so that it reaches neither titles
/// nor snippets:
/// - elements that are mostly links with short texts (menus), `nav`, `aside`, buttons and elements
///   whose `id`/`class` names a menu, navigation, breadcrumb or footer;
/// - breadcrumbs (`当前位置：首页 > …`, `您的位置`, `首页 >> …`);
/// - footers: short blocks with `版权所有`, `ICP备`, `网站标识码`, `公网安备`, `©` …;
/// - banner and tool lines (`网站支持IPV6`, `无障碍`, `【打印】`, `字体：大 中 小`, `上一篇` …).
///
/// Blocks that carry disclosure metadata (索引号, 发布机构 …) or a heading are never dropped as
/// menus or footers.
public enum HTMLTextExtractor {
    /// The text and title of `html`. Never fails: broken markup still gives text.
    public static func text(of html: String) -> HTMLDocument {
        let tree = HTMLTree(parsing: html)
        let stats = NodeStats.compute(tree)
        var emitter = Emitter(tree: tree, stats: stats)
        emitter.emit(0, context: Emitter.Context())
        emitter.endLine()

        var lines = emitter.lines
        for i in lines.indices where isBoilerplateLine(lines[i]) {
            lines[i].isDropped = true
        }
        let title = chooseTitle(tree: tree, lines: lines, headings: emitter.headings)
        dropSiteNames(in: &lines, before: title, pageTitle: tree.title)
        let text = lines.filter { !$0.isDropped }.map(\.text).joined(separator: "\n")
        return HTMLDocument(text: text, title: title)
    }

    // MARK: - Words

    static let breadcrumbPrefixes = [
        "当前位置", "您的位置", "你的位置", "您现在的位置", "你现在的位置", "您当前的位置", "您当前位置",
        "您所在的位置", "你所在的位置", "所在位置", "当前页面", "现在位置", "您现在所在位置",
    ]
    /// Words that only footers carry (ICP registration and the site code are required on Chinese
    /// government sites); the other footer lines (主办单位, 地址, 电话) go with the block holding them.
    static let footerMarkers = [
        "版权所有", "ICP备", "ICP证", "网站标识码", "公网安备", "Copyright", "copyright", "COPYRIGHT", "©",
    ]
    /// Words of site banners and page tools; a short line without a sentence end holding one is dropped.
    static let bannerWords = [
        "网站支持IPV6", "网站支持IPv6", "无障碍阅读", "无障碍浏览", "无障碍模式", "适老化模式", "适老化版", "长者模式",
        "关怀版", "设为首页", "加入收藏", "收藏本站", "繁體", "简体版", "打印本页", "关闭窗口", "返回顶部", "【打印",
        "【关闭", "[打印", "[关闭", "打印】", "关闭】", "字体：大", "字号：大", "字体:大", "字号:大", "【字体", "【字号",
        "分享到", "扫一扫在手机", "今天是", "欢迎访问", "上一篇", "下一篇", "上一条", "下一条",
    ]
    static let metadataMarkers = ["索引号", "发文字号", "发布机构", "生成日期", "成文日期", "公开形式", "责任部门", "发文机关"]
    private static let footerMarkerSet = MarkerSet(footerMarkers)
    private static let bannerWordSet = MarkerSet(bannerWords)
    private static let metadataMarkerSet = MarkerSet(metadataMarkers)
    static let hintWords = ["nav", "menu", "footer", "copyright", "crumb", "sitemap", "topbar", "toolbar", "share"]

    // MARK: - Lines

    private static func isBoilerplateLine(_ line: Line) -> Bool {
        let text = line.text
        let length = line.chars
        if length <= 200, isBreadcrumb(text) { return true }
        if length <= 60, bannerWordSet.matches(text), sentenceEnds(text) == 0, !containsMetadata(text) { return true }
        if length <= 200, footerMarkerSet.matches(text), sentenceEnds(text) <= 1,
           !containsMetadata(text)
        {
            return true
        }
        // Menu lines: mostly links with short texts, or many links. Attachment lines stay.
        if line.links > 0, line.linkChars * 10 >= line.chars * 7,
           line.linkChars <= 20 * line.links || line.links >= 5, !text.hasPrefix("附件")
        {
            return true
        }
        return false
    }

    /// `当前位置：首页 > …`, or a short line starting with `首页` followed by path separators
    /// (`首页 > 政务公开 > 通知公告`, `首页 / 信息公开`).
    static func isBreadcrumb(_ text: String) -> Bool {
        let trimmed = text.drop(while: { $0.isWhitespace || $0 == "【" || $0 == "[" })
        if breadcrumbPrefixes.contains(where: { trimmed.hasPrefix($0) }) { return true }
        guard trimmed.hasPrefix("首页"), text.unicodeScalars.count <= 120, sentenceEnds(text) == 0 else { return false }
        return pathSeparators.matches(text)
    }

    private static let pathSeparators = MarkerSet([">", "＞", "»", "→", "›", " / ", "＞＞"])

    static func containsMetadata(_ text: String) -> Bool {
        metadataMarkerSet.matches(text)
    }

    static func sentenceEnds(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + ($1 == "。" || $1 == "！" || $1 == "？" ? 1 : 0) }
    }

    // MARK: - Title

    /// Separators between a page's title and the site's name in `<title>`.
    private static let titleSeparators = ["_", "|", "｜", " - ", " – ", " — ", "——", "－", "--", "-"]
    /// Words of a site's name.
    private static let siteWords = ["人民政府", "政府网", "门户", "网站", "网", "官网", "首页", "信息公开", "平台", "在线"]

    /// `标题_某某县人民政府` → `标题`; `标题 - 政府信息公开 - 某某网` → `标题`.
    static func cleanPageTitle(_ raw: String) -> (title: String, siteParts: [String]) {
        var title = collapseWhitespace(raw)
        var siteParts: [String] = []
        var changed = true
        while changed {
            changed = false
            for separator in titleSeparators {
                guard let range = title.ranges(of: separator).last else { continue }
                let head = String(title[..<range.lowerBound]).trimmingBlanks()
                let tail = String(title[range.upperBound...]).trimmingBlanks()
                guard !head.isEmpty else { continue }
                let tailIsSite = siteWords.contains { tail.contains($0) }
                    && !tail.unicodeScalars.contains(where: { ("0"..."9").contains($0) })
                // A plain hyphen separates only a site name (`2022-2025年` stays whole).
                let short = tail.unicodeScalars.count <= 12 && head.unicodeScalars.count > tail.unicodeScalars.count
                if tail.isEmpty || tailIsSite || (separator != "-" && short) {
                    if !tail.isEmpty { siteParts.append(tail) }
                    title = head
                    changed = true
                    break
                }
            }
        }
        // A site name in front: `某某县人民政府_标题`.
        for separator in titleSeparators where separator != "-" {
            guard let range = title.firstRange(of: separator) else { continue }
            let head = String(title[..<range.lowerBound]).trimmingBlanks()
            let tail = String(title[range.upperBound...]).trimmingBlanks()
            if !tail.isEmpty, siteWords.contains(where: { head.hasSuffix($0) }),
               tail.unicodeScalars.count > head.unicodeScalars.count
            {
                siteParts.append(head)
                title = tail
                break
            }
        }
        return (title, siteParts)
    }

    /// Drops lines that are only the site's name (a logo heading such as `张掖市人民政府`, or the
    /// site part of `<title>`) above the title line, or among the first lines when there is no title.
    /// A site name below the title is kept: it is usually the signature of a notice.
    private static func dropSiteNames(in lines: inout [Line], before title: String?, pageTitle: String?) {
        let siteParts = pageTitle.map { cleanPageTitle($0).siteParts } ?? []
        var names = Set<String>()
        for part in siteParts {
            let name = compact(part)
            names.insert(name)
            for suffix in ["门户网站", "网站", "网"] where name.hasSuffix(suffix) {
                names.insert(String(name.dropLast(suffix.count)))
            }
        }
        let titleKey = title.map(compact)
        var seen = 0
        for i in lines.indices where !lines[i].isDropped {
            let key = compact(lines[i].text)
            if let titleKey, !titleKey.isEmpty, key.contains(titleKey) { return }
            seen += 1
            if titleKey == nil, seen > 10 { return }
            if names.contains(key) || isSiteName(lines[i].text) { lines[i].isDropped = true }
        }
    }

    private static func chooseTitle(tree: HTMLTree, lines: [Line], headings: [Heading]) -> String? {
        let page = tree.title.map(cleanPageTitle)
        let meta = tree.metaTitle.map(collapseWhitespace).flatMap { $0.isEmpty ? nil : $0 }
        let siteParts = Set((page?.siteParts ?? []).map(compact))

        // Heading texts from kept lines (a heading broken by <br> is joined).
        var candidates: [(level: Int, text: String)] = []
        for heading in headings {
            let kept = lines[heading.lines].filter { !$0.isDropped }.map(\.text)
            guard !kept.isEmpty else { continue }
            let text = kept.count == 1 ? kept[0] : kept.joined()
            let length = text.unicodeScalars.count
            guard length >= 2, length <= 200 else { continue }
            if siteParts.contains(compact(text)) || isSiteName(text) { continue }
            candidates.append((heading.level, text))
        }

        let references = [meta, page?.title].compactMap { $0 }.filter { !$0.isEmpty }
        for reference in references {
            let key = compact(reference)
            if let match = candidates.first(where: { compact($0.text) == key }) { return match.text }
            if let line = lines.first(where: { !$0.isDropped && compact($0.text) == key }) { return line.text }
            if let match = candidates.first(where: { overlaps(compact($0.text), key) }) { return match.text }
        }
        for levels in [1...2, 7...7, 3...3] {
            if let match = candidates.first(where: { levels.contains($0.level) && $0.text.unicodeScalars.count >= 4 }) {
                return match.text
            }
        }
        return references.first
    }

    /// One contains the other and the shorter is at least 60% of the longer.
    private static func overlaps(_ a: String, _ b: String) -> Bool {
        let (short, long) = a.count <= b.count ? (a, b) : (b, a)
        guard !short.isEmpty, long.contains(short) else { return false }
        return short.count * 10 >= long.count * 6
    }

    private static func isSiteName(_ text: String) -> Bool {
        let length = text.unicodeScalars.count
        return length <= 16 && (text.hasSuffix("人民政府") || text.hasSuffix("政府网") || text.hasSuffix("门户网站")
            || text.hasSuffix("网站") || text.hasSuffix("政务网"))
    }

    /// Without any white space, for comparisons.
    private static func compact(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.filter { !$0.properties.isWhitespace }))
    }

    static func collapseWhitespace(_ s: String) -> String {
        s.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    // MARK: - Tree statistics

    /// Counts per element, summed over its visible descendants.
    struct NodeStats {
        var chars = 0
        var linkChars = 0
        var links = 0
        var sentenceEnds = 0
        var hasFooterMarker = false
        var hasMetadata = false
        var hasHeading = false

        static func compute(_ tree: HTMLTree) -> [NodeStats] {
            var stats = [NodeStats](repeating: NodeStats(), count: tree.nodes.count)
            // Children come after their parents, so a reverse pass sees every child first.
            for index in tree.nodes.indices.reversed() {
                let node = tree.nodes[index]
                if node.isHidden { stats[index] = NodeStats(); continue }
                if node.isText {
                    var s = NodeStats()
                    for scalar in node.text.unicodeScalars where !scalar.properties.isWhitespace {
                        s.chars += 1
                        if scalar == "。" || scalar == "！" || scalar == "？" { s.sentenceEnds += 1 }
                    }
                    if s.chars > 0 {
                        s.hasFooterMarker = HTMLTextExtractor.footerMarkerSet.matches(node.text)
                        s.hasMetadata = HTMLTextExtractor.containsMetadata(node.text)
                    }
                    stats[index] = s
                } else {
                    if node.name == "a", stats[index].chars > 0 {
                        stats[index].linkChars = stats[index].chars
                        stats[index].links += 1
                    }
                    if node.name.count == 2, node.name.hasPrefix("h"), let last = node.name.last, ("1"..."6").contains(last),
                       stats[index].chars > 0
                    {
                        stats[index].hasHeading = true
                    }
                }
                if node.parent >= 0 {
                    let s = stats[index]
                    stats[node.parent].chars += s.chars
                    stats[node.parent].linkChars += s.linkChars
                    stats[node.parent].links += s.links
                    stats[node.parent].sentenceEnds += s.sentenceEnds
                    stats[node.parent].hasFooterMarker = stats[node.parent].hasFooterMarker || s.hasFooterMarker
                    stats[node.parent].hasMetadata = stats[node.parent].hasMetadata || s.hasMetadata
                    stats[node.parent].hasHeading = stats[node.parent].hasHeading || s.hasHeading
                }
            }
            return stats
        }
    }

    // MARK: - Emitting lines

    /// A line of extracted text with its link statistics.
    struct Line {
        var text: String
        var chars: Int
        var linkChars: Int
        var links: Int
        var isDropped = false
    }

    /// Lines produced by a heading (`h1`–`h6` as level 1–6) or a heading-like element (level 7).
    struct Heading {
        var level: Int
        var lines: Range<Int>
    }

    struct Emitter {
        struct Context {
            var inLink = false
            var preformatted = false
        }

        let tree: HTMLTree
        let stats: [NodeStats]
        var lines: [Line] = []
        var headings: [Heading] = []

        private var buffer = ""
        private var chars = 0
        private var linkChars = 0
        private var links = 0
        private var pendingSpace = false
        private var pendingSpaceHasNewline = false
        private var pendingTab = false
        private var last: Unicode.Scalar?

        init(tree: HTMLTree, stats: [NodeStats]) {
            self.tree = tree
            self.stats = stats
        }

        static let blockElements: Set<String> = [
            "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog", "dir", "div",
            "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
            "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "p", "pre", "section",
            "summary", "table", "tbody", "thead", "tfoot", "tr", "ul", "caption", "option", "marquee", "frameset",
        ]
        static let droppedElements: Set<String> = ["nav", "aside", "button", "map", "head"]
        /// `id`/`class` words of a page's own heading.
        static let titleHints: Set<String> = [
            "title", "biaoti", "bt", "tit", "article-title", "article_title", "detail-title", "detail_title",
            "news-title", "news_title", "con-title", "con_title", "content-title", "content_title", "xl-title",
            "xl_title", "art_title", "arttitle", "wz_title", "show_title", "info-title", "info_title", "main-title",
        ]

        mutating func emit(_ index: Int, context: Context) {
            let node = tree.nodes[index]
            if node.isText {
                append(node.text, context: context)
                return
            }
            if index != 0, isBoilerplate(index) { return }
            let name = node.name
            switch name {
            case "br":
                endLine()
                return
            case "hr":
                endLine()
                return
            case "td", "th":
                if !buffer.isEmpty { pendingTab = true }
            default:
                break
            }
            var inner = context
            if name == "a" { inner.inLink = true }
            if name == "pre" || name == "listing" || name == "plaintext" { inner.preformatted = true }

            let level = headingLevel(of: node)
            let isBlock = Self.blockElements.contains(name) || level != nil
            if isBlock { endLine() }
            let firstLine = lines.count
            let charsBefore = chars
            for child in node.children {
                emit(child, context: inner)
            }
            if name == "a", chars > charsBefore { links += 1 }
            if isBlock { endLine() }
            if let level, lines.count > firstLine {
                headings.append(Heading(level: level, lines: firstLine..<lines.count))
            }
        }

        /// 1–6 for `h1`–`h6`; 7 for an element (not a table cell) whose `id` or `class` marks a title.
        private func headingLevel(of node: HTMLTree.Node) -> Int? {
            let name = node.name
            if name.count == 2, name.hasPrefix("h"), let digit = name.last?.wholeNumberValue, (1...6).contains(digit) {
                return digit
            }
            guard !node.hint.isEmpty, name != "td", name != "th", name != "tr", name != "table", name != "body" else {
                return nil
            }
            let words = node.hint.split(whereSeparator: { $0 == " " })
            return words.contains(where: { Self.titleHints.contains(String($0)) }) ? 7 : nil
        }

        private func isBoilerplate(_ index: Int) -> Bool {
            let node = tree.nodes[index]
            if node.isHidden || Self.droppedElements.contains(node.name) { return true }
            if node.name == "html" || node.name == "body" { return false }
            let s = stats[index]
            if s.chars == 0 { return false }
            let protected = s.hasMetadata
            if node.name == "footer", !protected, !s.hasHeading, s.sentenceEnds <= 1 { return true }
            // A menu: mostly links, with short texts or many of them.
            if !protected, s.links >= 3, s.linkChars * 10 >= s.chars * 7,
               s.linkChars <= 20 * s.links || s.links >= 5
            {
                return true
            }
            if protected || s.hasHeading { return false }
            // A footer: short, with a copyright or ICP line, hardly any sentences.
            if s.hasFooterMarker, s.chars <= 400, s.sentenceEnds <= 1 { return true }
            // A breadcrumb spread over several elements.
            if s.chars <= 150, HTMLTextExtractor.isBreadcrumb(leadingText(index, limit: 24)) { return true }
            if !node.hint.isEmpty, s.sentenceEnds <= 2 {
                let words = node.hint.split(whereSeparator: { $0 == " " })
                if words.contains(where: { word in HTMLTextExtractor.hintWords.contains { word.contains($0) } }) {
                    return true
                }
            }
            return false
        }

        /// The first `limit` non-blank characters of an element's text.
        private func leadingText(_ index: Int, limit: Int) -> String {
            var out = ""
            var stack = [index]
            while let current = stack.popLast(), out.count < limit {
                let node = tree.nodes[current]
                if node.isHidden { continue }
                if node.isText {
                    out += node.text.filter { !$0.isWhitespace }
                } else {
                    stack.append(contentsOf: node.children.reversed())
                }
            }
            return String(out.prefix(limit))
        }

        private static func isWide(_ s: Unicode.Scalar) -> Bool {
            switch s.value {
            case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
                 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
                return true
            default:
                return false
            }
        }

        private static func isCollapsible(_ s: Unicode.Scalar) -> Bool {
            s == " " || s == "\n" || s == "\t" || s == "\r" || s == "\u{0C}" || s == "\u{A0}"
        }

        mutating func append(_ text: String, context: Context) {
            for scalar in text.unicodeScalars {
                if context.preformatted {
                    if scalar == "\n" { endLine(); continue }
                    if scalar == "\r" { continue }
                } else if Self.isCollapsible(scalar) {
                    pendingSpace = true
                    if scalar == "\n" || scalar == "\r" { pendingSpaceHasNewline = true }
                    continue
                }
                if pendingTab {
                    buffer += "\t"
                } else if pendingSpace, !buffer.isEmpty {
                    // A source line break between two Chinese characters is not a space.
                    let joined = pendingSpaceHasNewline && last.map(Self.isWide) == true && Self.isWide(scalar)
                    if !joined { buffer += " " }
                }
                pendingTab = false
                pendingSpace = false
                pendingSpaceHasNewline = false
                buffer.unicodeScalars.append(scalar)
                last = scalar
                if !scalar.properties.isWhitespace {
                    chars += 1
                    if context.inLink { linkChars += 1 }
                }
            }
        }

        mutating func endLine() {
            let trimmed = buffer.trimmingBlanks()
            if !trimmed.isEmpty {
                lines.append(Line(text: trimmed, chars: chars, linkChars: linkChars, links: links))
            }
            buffer = ""
            chars = 0
            linkChars = 0
            links = 0
            pendingSpace = false
            pendingSpaceHasNewline = false
            pendingTab = false
            last = nil
        }
    }
}
