/// A tolerant HTML parser that builds a simplified element tree for text extraction.
///
/// It never fails: a stray `<` that does not start a tag is text, a tag without its `>` is text,
/// an unterminated comment ends at the next `>` (or the end of the page), end tags without a
/// matching start tag are ignored and elements left open are closed at the end. Implied end tags
/// follow the HTML rules that matter for text (`<p>`, `<li>`, `<td>`, `<tr>`, `<option>` …).
/// The contents of `script`, `style`, `noscript`, `template`, `textarea`, `iframe` and similar
/// elements are skipped; the first `<title>` and `<meta name="ArticleTitle">` are kept apart.
struct HTMLTree {
    /// An element or a run of text.
    struct Node {
        /// The lowercased tag name; empty for text, `#root` for the root.
        var name: String
        /// For text nodes, the text with character references decoded.
        var text: String = ""
        var parent: Int
        var children: [Int] = []
        /// Lowercased `id` and `class` attribute values, separated by spaces.
        var hint: String = ""
        /// `hidden` attribute, or a style with `display:none` or `visibility:hidden`.
        var isHidden = false

        var isText: Bool { name.isEmpty }
    }

    /// All nodes; index 0 is the root. A node's children come after it.
    private(set) var nodes: [Node] = [Node(name: "#root", parent: -1)]
    /// The text of the first `<title>` element.
    private(set) var title: String?
    /// The `content` of `<meta name="ArticleTitle">` (used by many government site templates).
    private(set) var metaTitle: String?

    /// Elements deeper than this are not nested further (their content joins the deepest element).
    static let maxDepth = 100

    /// Elements whose content is never text of the page.
    static let skippedElements: Set<String> = [
        "script", "style", "noscript", "template", "textarea", "iframe", "noembed", "noframes", "xmp",
        "object", "svg", "math", "canvas", "select", "datalist",
    ]
    /// Elements without content.
    static let voidElements: Set<String> = [
        "br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "param", "source",
        "track", "wbr", "keygen", "basefont", "bgsound", "frame", "spacer",
    ]
    /// Elements whose start closes an open `<p>`.
    private static let closesParagraph: Set<String> = [
        "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl",
        "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hgroup", "hr", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "ul", "li",
        "dd", "dt",
    ]
    /// Elements that bound the search for an open `<p>`, `<li>` … to close.
    private static let scopeBoundaries: Set<String> = [
        "#root", "html", "body", "table", "td", "th", "caption", "button", "marquee", "object", "applet",
    ]

    /// Parses `html`.
    init(parsing html: String) {
        let bytes = Array(html.utf8)
        var parser = Parser(bytes: bytes)
        parser.run(into: &self)
    }

    // MARK: - Building

    fileprivate var stack: [Int] = [0]

    private var current: Int { stack[stack.count - 1] }

    fileprivate mutating func appendText(_ text: String) {
        guard !text.isEmpty else { return }
        let parent = current
        if let last = nodes[parent].children.last, nodes[last].isText {
            nodes[last].text += text
            return
        }
        nodes.append(Node(name: "", text: text, parent: parent))
        nodes[parent].children.append(nodes.count - 1)
    }

    fileprivate mutating func startElement(_ name: String, attributes: [(String, String)]) {
        if name == "meta" {
            let metaName = attributes.first { $0.0 == "name" }?.1.lowercased()
            if metaName == "articletitle", metaTitle == nil,
               let content = attributes.first(where: { $0.0 == "content" })?.1
            {
                metaTitle = content
            }
            return
        }
        closeImplied(by: name)
        var node = Node(name: name, parent: current)
        var hint = ""
        for (key, value) in attributes {
            switch key {
            case "id", "class":
                hint += (hint.isEmpty ? "" : " ") + value.lowercased()
            case "hidden":
                node.isHidden = true
            case "style":
                let style = value.lowercased().filter { !$0.isWhitespace }
                if style.contains("display:none") || style.contains("visibility:hidden") { node.isHidden = true }
            default:
                break
            }
        }
        node.hint = hint
        nodes.append(node)
        let index = nodes.count - 1
        nodes[current].children.append(index)
        if !Self.voidElements.contains(name), stack.count < Self.maxDepth {
            stack.append(index)
        }
    }

    fileprivate mutating func endElement(_ name: String) {
        if name == "br" || name == "p", !stack.contains(where: { nodes[$0].name == name }) {
            // `</br>` and a stray `</p>` act as line breaks in browsers.
            startElement("br", attributes: [])
            return
        }
        // Close up to the innermost open element of that name, but not across a table cell
        // or table for inline elements (a stray `</span>` must not close the layout).
        var i = stack.count - 1
        while i > 0 {
            let open = nodes[stack[i]].name
            if open == name {
                stack.removeSubrange(i...)
                return
            }
            if Self.scopeBoundaries.contains(open), !Self.closesAcrossCells(name) { return }
            i -= 1
        }
    }

    private static func closesAcrossCells(_ name: String) -> Bool {
        name == "table" || name == "tr" || name == "tbody" || name == "thead" || name == "tfoot"
            || name == "td" || name == "th" || name == "body" || name == "html"
    }

    /// Closes the elements that the start of `name` implies closed.
    private mutating func closeImplied(by name: String) {
        switch name {
        case "li":
            closeOpen(["li"], boundaries: ["ul", "ol", "menu", "dir"])
        case "dt", "dd":
            closeOpen(["dt", "dd"], boundaries: ["dl"])
        case "tr":
            closeOpen(["tr"], boundaries: ["table", "tbody", "thead", "tfoot"])
        case "td", "th":
            closeOpen(["td", "th"], boundaries: ["tr", "table"])
        case "tbody", "thead", "tfoot":
            closeOpen(["tbody", "thead", "tfoot"], boundaries: ["table"])
        case "option", "optgroup":
            closeOpen(["option"], boundaries: ["select", "datalist"])
        case "a":
            closeOpen(["a"], boundaries: [])
        case "h1", "h2", "h3", "h4", "h5", "h6":
            // A heading directly inside a heading closes it.
            if ["h1", "h2", "h3", "h4", "h5", "h6"].contains(nodes[current].name) { stack.removeLast() }
        default:
            break
        }
        if Self.closesParagraph.contains(name) {
            closeOpen(["p"], boundaries: [])
        }
    }

    /// Pops to and including the innermost open element named in `names`, unless one of
    /// `boundaries` or a scope boundary (a table cell, the body …) comes first.
    private mutating func closeOpen(_ names: Set<String>, boundaries: Set<String>) {
        var i = stack.count - 1
        while i > 0 {
            let open = nodes[stack[i]].name
            if names.contains(open) {
                stack.removeSubrange(i...)
                return
            }
            if boundaries.contains(open) || Self.scopeBoundaries.contains(open) { return }
            i -= 1
        }
    }

    fileprivate mutating func setTitle(_ text: String) {
        if title == nil { title = text }
    }
}

// MARK: - Tokenizer

/// Splits the bytes of a page into text, tags, comments and skipped content, feeding the tree.
private struct Parser {
    let bytes: [UInt8]
    var i = 0
    /// The last '>' of the page: no tag can start after it (keeps stray '<' linear).
    let lastGreaterThan: Int
    /// The last "-->" of the page: no comment closes after it.
    let lastCommentClose: Int

    init(bytes: [UInt8]) {
        self.bytes = bytes
        lastGreaterThan = bytes.lastIndex(of: 0x3E) ?? -1
        var close = -1
        var k = bytes.count - 3
        while k >= 0 {
            if bytes[k] == 0x2D, bytes[k + 1] == 0x2D, bytes[k + 2] == 0x3E { close = k; break }
            k -= 1
        }
        lastCommentClose = close
    }

    mutating func run(into tree: inout HTMLTree) {
        var textStart = 0
        func flushText(upTo end: Int, _ tree: inout HTMLTree) {
            if end > textStart {
                tree.appendText(HTMLEntities.decode(bytes[textStart..<end]))
            }
        }
        while i < bytes.count {
            guard bytes[i] == 0x3C else {  // '<'
                // Jump to the next '<'.
                i = bytes[i...].firstIndex(of: 0x3C) ?? bytes.count
                continue
            }
            let start = i
            let next = i + 1 < bytes.count ? bytes[i + 1] : 0
            if next == 0x21 {  // "<!"
                flushText(upTo: start, &tree)
                i = endOfDeclaration(from: start)
                textStart = i
            } else if next == 0x3F {  // "<?"
                flushText(upTo: start, &tree)
                i = (bytes[start...].firstIndex(of: 0x3E) ?? (bytes.count - 1)) + 1
                textStart = i
            } else if next == 0x2F {  // "</"
                if let (name, end) = tag(from: start + 2, attributesWanted: false) {
                    flushText(upTo: start, &tree)
                    tree.endElement(name.name)
                    i = end
                    textStart = i
                } else if start + 2 < bytes.count, bytes[start + 2] == 0x3E {
                    // "</>" is ignored.
                    flushText(upTo: start, &tree)
                    i = start + 3
                    textStart = i
                } else {
                    i += 1
                }
            } else if isASCIILetter(next), let (parsed, end) = tag(from: start + 1, attributesWanted: true) {
                flushText(upTo: start, &tree)
                i = end
                textStart = i
                let name = parsed.name
                if name == "title" {
                    var close = closingTag("title", from: i)
                    if close.contentEnd == bytes.count {
                        // Without `</title>` the title ends at the next tag.
                        let next = bytes[i...].firstIndex(of: 0x3C) ?? bytes.count
                        close = (next, next)
                    }
                    tree.setTitle(HTMLEntities.decode(bytes[i..<close.contentEnd]))
                    i = close.end
                    textStart = i
                } else if HTMLTree.skippedElements.contains(name) {
                    i = closingTag(name, from: i).end
                    textStart = i
                } else {
                    tree.startElement(name, attributes: parsed.attributes)
                }
            } else {
                // A stray '<' is text.
                i += 1
            }
        }
        flushText(upTo: bytes.count, &tree)
    }

    /// The end of a comment, doctype or CDATA section starting at `start` ("<!").
    func endOfDeclaration(from start: Int) -> Int {
        if hasPrefix("<!--", at: start) {
            if start + 4 <= lastCommentClose, let end = find(Array("-->".utf8), from: start + 4) { return end + 3 }
            // "<!-->" and "<!--->" are empty comments.
            if hasPrefix("<!-->", at: start) { return start + 5 }
            if hasPrefix("<!--->", at: start) { return start + 6 }
            // Unterminated: end at the next '>' rather than swallowing the rest of the page.
            if let gt = bytes[(start + 4)...].firstIndex(of: 0x3E) { return gt + 1 }
            return bytes.count
        }
        if hasPrefix("<![CDATA[", at: start), let end = find(Array("]]>".utf8), from: start + 9) {
            return end + 3
        }
        return (bytes[start...].firstIndex(of: 0x3E) ?? (bytes.count - 1)) + 1
    }

    struct Tag {
        var name: String
        var attributes: [(String, String)]
    }

    /// Parses a tag whose name starts at `nameStart`, up to its `>`. Returns nil when there is no
    /// name or no `>` (the '<' is then text).
    func tag(from nameStart: Int, attributesWanted: Bool) -> (Tag, Int)? {
        var j = nameStart
        guard j < bytes.count, j < lastGreaterThan, isASCIILetter(bytes[j]) else { return nil }
        while j < bytes.count, !isSpace(bytes[j]), bytes[j] != 0x3E, bytes[j] != 0x2F, j - nameStart < 64 {
            j += 1
        }
        let name = String(decoding: bytes[nameStart..<j].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 },
                          as: UTF8.self)
        var attributes: [(String, String)] = []
        // Attributes, with quoted values that may contain '>'.
        var k = j
        while k < bytes.count {
            let b = bytes[k]
            if b == 0x3E { return (Tag(name: name, attributes: attributes), k + 1) }
            if isSpace(b) || b == 0x2F { k += 1; continue }
            let keyStart = k
            while k < bytes.count, !isSpace(bytes[k]), bytes[k] != 0x3E, bytes[k] != 0x3D, bytes[k] != 0x2F {
                k += 1
            }
            let keyEnd = k
            while k < bytes.count, isSpace(bytes[k]) { k += 1 }
            var value = ""
            if k < bytes.count, bytes[k] == 0x3D {
                k += 1
                while k < bytes.count, isSpace(bytes[k]) { k += 1 }
                if k < bytes.count, bytes[k] == 0x22 || bytes[k] == 0x27 {
                    let quote = bytes[k]
                    guard let close = bytes[(k + 1)...].firstIndex(of: quote) else {
                        // An unterminated quote: the tag ends at the first '>' after the name.
                        guard let gt = bytes[j...].firstIndex(of: 0x3E) else { return nil }
                        return (Tag(name: name, attributes: attributes), gt + 1)
                    }
                    if attributesWanted { value = HTMLEntities.decode(bytes[(k + 1)..<close]) }
                    k = close + 1
                } else {
                    let valueStart = k
                    while k < bytes.count, !isSpace(bytes[k]), bytes[k] != 0x3E { k += 1 }
                    if attributesWanted { value = HTMLEntities.decode(bytes[valueStart..<k]) }
                }
            }
            if attributesWanted, keyEnd > keyStart {
                let key = String(decoding: bytes[keyStart..<keyEnd].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 },
                                 as: UTF8.self)
                attributes.append((key, value))
            }
        }
        return nil
    }

    /// The end of the content of a raw-text element and the index after its end tag; the end of
    /// the page when the end tag is missing.
    func closingTag(_ name: String, from start: Int) -> (contentEnd: Int, end: Int) {
        let pattern = Array(("</" + name).utf8)
        var k = start
        while let found = findCaseInsensitive(pattern, from: k) {
            let after = found + pattern.count
            if after >= bytes.count || isSpace(bytes[after]) || bytes[after] == 0x3E || bytes[after] == 0x2F {
                let gt = bytes[after...].firstIndex(of: 0x3E) ?? (bytes.count - 1)
                return (found, gt + 1)
            }
            k = found + 1
        }
        return (bytes.count, bytes.count)
    }

    private func hasPrefix(_ prefix: String, at index: Int) -> Bool {
        let p = Array(prefix.utf8)
        guard index + p.count <= bytes.count else { return false }
        return bytes[index..<(index + p.count)].elementsEqual(p)
    }

    private func find(_ pattern: [UInt8], from start: Int) -> Int? {
        guard let first = pattern.first, start < bytes.count else { return nil }
        var k = start
        while k + pattern.count <= bytes.count {
            guard let hit = bytes[k...].firstIndex(of: first) else { return nil }
            if hit + pattern.count > bytes.count { return nil }
            if bytes[hit..<(hit + pattern.count)].elementsEqual(pattern) { return hit }
            k = hit + 1
        }
        return nil
    }

    private func findCaseInsensitive(_ pattern: [UInt8], from start: Int) -> Int? {
        var k = start
        while k + pattern.count <= bytes.count {
            guard let hit = bytes[k...].firstIndex(of: 0x3C) else { return nil }
            if hit + pattern.count > bytes.count { return nil }
            var equal = true
            for (offset, p) in pattern.enumerated() {
                let b = bytes[hit + offset]
                let lowered = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
                if lowered != p { equal = false; break }
            }
            if equal { return hit }
            k = hit + 1
        }
        return nil
    }

    private func isASCIILetter(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    private func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0C || b == 0x0D
    }
}
