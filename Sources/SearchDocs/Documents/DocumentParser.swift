/// Reads and parses a document file for the indexer: decoding (`TextDecoder`), HTML to text
/// (`HTMLTextExtractor`) for `.html`, `.htm`, `.shtml` and `.xhtml` files, the title and the
/// disclosure metadata (`MetadataParser`).
///
/// The title of an HTML page is its own heading when it has one, otherwise (as for text files)
/// the one `TitleExtractor` finds in the text. The title is always a substring of the text: a page
/// heading the extracted text lacks becomes the text's first line.
public struct DocumentParser: Sendable {
    /// File name extensions (lowercase, without the dot) read as HTML.
    public static let htmlExtensions: Set<String> = ["html", "htm", "shtml", "xhtml"]

    /// The largest file, in bytes, that `read(path:)` accepts.
    public let maxFileSize: Int

    /// Creates a parser that rejects files larger than `maxFileSize` bytes (64 MiB by default).
    public init(maxFileSize: Int = 64 << 20) {
        self.maxFileSize = max(0, maxFileSize)
    }

    /// Reads and parses the file at `path`. The file is checked before it is read (a regular file,
    /// not empty, at most `maxFileSize` bytes by `fstat`, so a large sparse file is never read);
    /// then see `parse(bytes:path:)`. Throws one InputError naming `path` for any problem.
    public func read(path: String) throws(InputError) -> ParsedDocument {
        let bytes = try DocumentReader(maxFileSize: maxFileSize).readBytes(at: path)
        return try parse(bytes: bytes, path: path)
    }

    /// Parses the content of the file at `path` (whose extension decides whether it is HTML).
    /// Throws InputError for an empty or binary file, an encoding that cannot be determined, and a
    /// file without any text (only white space, or markup only).
    public func parse(bytes: [UInt8], path: String) throws(InputError) -> ParsedDocument {
        let isHTML = Self.isHTML(path: path)
        let decoded = try TextDecoder().decode(bytes, path: path, isHTML: isHTML)

        var text = decoded.text
        var headingTitle: String?
        if isHTML {
            let page = HTMLTextExtractor.text(of: decoded.text)
            text = page.text
            headingTitle = page.title.map { $0.trimmingBlanks() }.flatMap { $0.isEmpty ? nil : $0 }
        }
        guard text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else {
            throw InputError(path: path, reason: isHTML ? "no text in the page (markup only)" : "no text (only white space)")
        }

        let title: String
        let titleRange: Range<Int>
        if let heading = headingTitle {
            if let range = Self.utf8Range(of: heading, in: text) {
                titleRange = range
            } else {
                text = heading + "\n" + text
                titleRange = 0..<heading.utf8.count
            }
            title = heading
        } else {
            var (t, r) = TitleExtractor.title(of: text)
            // What stands above the title line is site furniture (banner, breadcrumb): it is not
            // the document, so it must not reach snippets or matches. Text starts at the title's line.
            if r.lowerBound > 0 {
                let bytes = Array(text.utf8)
                var lineStart = r.lowerBound
                while lineStart > 0 && bytes[lineStart - 1] != 0x0A { lineStart -= 1 }
                let above = String(decoding: bytes[0..<lineStart], as: UTF8.self)
                if lineStart > 0 && Self.isSiteFurniture(above) {
                    text = String(decoding: bytes[lineStart...], as: UTF8.self)
                    r = (r.lowerBound - lineStart)..<(r.upperBound - lineStart)
                }
            }
            (title, titleRange) = (t, r)
        }

        var metadata = MetadataParser.parse(text)
        if metadata.date == nil {
            metadata.date = MetadataParser.statedDate(in: text)
        }
        return ParsedDocument(text: text, title: title, titleRange: titleRange, metadata: metadata,
                              encoding: decoded.encoding)
    }

    /// Whether every non-empty line is a site banner (items separated by `|`) or a breadcrumb
    /// (当前位置 / 您的位置 / 首页 >) — short lines only; anything else is document text and stays.
    static func isSiteFurniture(_ lines: String) -> Bool {
        let prefixes = ["当前位置", "您的位置", "您现在的位置", "首页"]
        return lines.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).allSatisfy { raw in
            let line = raw.trimming { $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }
            guard !line.isEmpty else { return true }
            guard line.count <= 200 else { return false }
            return line.contains("|") || prefixes.contains { line.hasPrefix($0) }
        }
    }

    /// The UTF-8 byte range of the first occurrence of `needle`'s exact bytes in `text`.
    static func utf8Range(of needle: String, in text: String) -> Range<Int>? {
        let pattern = Array(needle.utf8)
        guard let first = pattern.first else { return nil }
        let bytes = Array(text.utf8)
        var i = 0
        while i + pattern.count <= bytes.count {
            guard let hit = bytes[i...].firstIndex(of: first) else { return nil }
            if hit + pattern.count > bytes.count { return nil }
            if bytes[hit..<(hit + pattern.count)].elementsEqual(pattern) { return hit..<(hit + pattern.count) }
            i = hit + 1
        }
        return nil
    }

    /// Whether the file at `path` is read as HTML (by its extension).
    public static func isHTML(path: String) -> Bool {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return false }
        return htmlExtensions.contains(path[path.index(after: dot)...].lowercased())
    }
}
