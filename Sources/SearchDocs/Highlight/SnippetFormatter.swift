/// How highlights are drawn in text output.
public enum HighlightStyle: Sendable, Equatable {
    /// ANSI bold red, for terminals.
    case ansi
    /// Plain markers around each highlight.
    case markers(open: String, close: String)

    /// The default plain markers: characters that do not occur in Chinese documents
    /// (unlike 【 】, which do).
    public static let defaultMarkers = HighlightStyle.markers(open: "⟦", close: "⟧")
}

/// Renders a snippet's text with its highlights drawn.
public struct SnippetFormatter: Sendable {
    /// How highlights are drawn.
    public var style: HighlightStyle
    /// A formatter that draws highlights in `style`.
    public init(style: HighlightStyle) { self.style = style }

    /// The snippet with every highlight wrapped.
    public func format(_ snippet: Snippet) -> String {
        let (open, close): (String, String)
        switch style {
        case .ansi: (open, close) = ("\u{1B}[1;31m", "\u{1B}[0m")
        case .markers(let o, let c): (open, close) = (o, c)
        }
        var out = ""
        var at = snippet.text.startIndex
        for h in snippet.highlights {
            out += snippet.text[at..<h.range.lowerBound]
            out += open + snippet.text[h.range] + close
            at = h.range.upperBound
        }
        out += snippet.text[at...]
        return out
    }
}
