/// A malformed query: what is wrong and where.
public struct QuerySyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong, e.g. "unbalanced quote", "OR needs a query part on both sides".
    public let message: String
    /// 0-based index in Characters (grapheme clusters) of the offending character in `query`.
    public let column: Int
    /// The query as the user typed it.
    public let query: String

    /// Creates an error pointing at `column` (a Character index) of `query`.
    init(message: String, column: Int, query: String) {
        self.message = message
        self.column = column
        self.query = query
    }

    /// Two lines: the query, then a caret under the column, indented by East Asian display width
    /// (wide/fullwidth characters such as Han, full-width punctuation, and most emoji count 2 columns, combining marks 0).
    ///
    /// Control characters in the query (tabs, line breaks) are shown as one space each so
    /// that the query stays on one line and the caret stays aligned.
    public func caretDiagram() -> String {
        var line = ""
        var indent = 0
        for (index, character) in query.enumerated() {
            let shown: Character = DisplayWidth.isControl(character) ? " " : character
            line.append(shown)
            if index < column {
                indent += DisplayWidth.columns(of: shown)
            }
        }
        return line + "\n" + String(repeating: " ", count: indent) + "^"
    }

    /// "query syntax error at character N: message", a line break, then `caretDiagram()`.
    public var description: String {
        "query syntax error at character \(column): \(message)\n" + caretDiagram()
    }
}
