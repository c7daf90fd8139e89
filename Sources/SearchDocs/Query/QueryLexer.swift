/// Splits a query into tokens: words, phrases, fields, parentheses and operators.
///
/// Syntax characters are ASCII only and are syntax only at the edges of a part (a part
/// being a whitespace-separated run), so that text taken from real questions, such as
/// `COVID-19`, `2020-2021`, `f(x)`, `村(社区)防控` or `新加坡"SCV"`, stays text:
///
/// - `"` opens a phrase at the start of a part; the phrase runs to the next `"`, wherever it is,
///   and may contain whitespace. A `"` inside a word is text. An opening `"` with no closing
///   `"` is an "unbalanced quote".
/// - `(` opens a group at the start of a part; inside a word it is text.
/// - `)` closes the innermost open group wherever it appears, except that a `)` matching a
///   textual `(` earlier in the same word is text (`(f(x) OR g)` groups `f(x)` and `g`).
///   With no group open, `)` inside a word is text and `)` at the start of a part is an
///   "unbalanced parenthesis".
/// - `-` at the start of a part excludes what follows it. A `-` standing alone is text, unless
///   nothing follows it in the query or in its group, which is an error. A `-` inside a word is text.
/// - `OR` and `NOT` are operators only when they stand alone as a part (a `-OR` is text).
/// - `name:value` is a field when `name` is a known field name; the value is the rest of the
///   word, or a quoted phrase (`title:"a b"`).
struct QueryLexer {
    private let characters: [Character]
    private let query: String
    private let knownFields: Set<String>

    /// Prepares to split `query`, recognizing `knownFields` as field names.
    init(query: String, knownFields: Set<String>) {
        self.query = query
        self.characters = Array(query)
        self.knownFields = knownFields
    }

    /// The tokens of the query, in order.
    func tokens() throws(QuerySyntaxError) -> [QueryToken] {
        var tokens: [QueryToken] = []
        var openGroups: [Int] = []
        // Operators count only when they stand alone, not right after a `-` or a phrase.
        var operatorAllowed = true
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace {
                operatorAllowed = true
                index += 1
                continue
            }
            switch character {
            case "(":
                tokens.append(QueryToken(kind: .open, column: index))
                openGroups.append(index)
                operatorAllowed = true
                index += 1
            case ")":
                guard openGroups.popLast() != nil else {
                    throw error("unbalanced parenthesis", at: index)
                }
                tokens.append(QueryToken(kind: .close, column: index))
                operatorAllowed = true
                index += 1
            case "\"":
                let close = try closingQuote(after: index)
                let content = String(characters[(index + 1)..<close])
                if content.allSatisfy(\.isWhitespace) {
                    throw error("empty quoted phrase", at: index)
                }
                tokens.append(QueryToken(kind: .phrase(content), column: index))
                operatorAllowed = false
                index = close + 1
            case "-" where isPrefixMinus(at: index, groupOpen: !openGroups.isEmpty):
                tokens.append(QueryToken(kind: .minus, column: index))
                operatorAllowed = false
                index += 1
            default:
                if let end = try field(at: index, groupOpen: !openGroups.isEmpty, into: &tokens) {
                    index = end
                } else {
                    let end = wordEnd(from: index, groupOpen: !openGroups.isEmpty)
                    let word = String(characters[index..<end])
                    let kind: QueryToken.Kind
                    switch word {
                    case "OR" where operatorAllowed: kind = .or
                    case "NOT" where operatorAllowed: kind = .not
                    default: kind = .word(word)
                    }
                    tokens.append(QueryToken(kind: kind, column: index))
                    index = end
                }
                operatorAllowed = false
            }
        }
        if let unclosed = openGroups.last {
            throw error("unbalanced parenthesis", at: unclosed)
        }
        return tokens
    }

    /// Whether the `-` at `index` (at the start of a part) is the exclusion operator rather than text.
    private func isPrefixMinus(at index: Int, groupOpen: Bool) -> Bool {
        let next = index + 1
        if next < characters.count, !characters[next].isWhitespace {
            return true
        }
        // A lone `-` is text between other parts, but an operator (and so an error
        // in the parser) when nothing follows it in the query or in its group.
        var following = next
        while following < characters.count, characters[following].isWhitespace {
            following += 1
        }
        return following == characters.count || (groupOpen && characters[following] == ")")
    }

    /// Index of the `"` that closes the one at `open`.
    private func closingQuote(after open: Int) throws(QuerySyntaxError) -> Int {
        var index = open + 1
        while index < characters.count {
            if characters[index] == "\"" { return index }
            index += 1
        }
        throw error("unbalanced quote", at: open)
    }

    /// The end (exclusive) of the unquoted word starting at `start`.
    ///
    /// A word ends at whitespace or at a `)` that closes an open group; parentheses that
    /// open inside the word are text and so are the `)` that match them.
    private func wordEnd(from start: Int, groupOpen: Bool) -> Int {
        var textualDepth = 0
        var index = start
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace { break }
            if character == "(" {
                textualDepth += 1
            } else if character == ")" {
                if textualDepth > 0 {
                    textualDepth -= 1
                } else if groupOpen {
                    break
                }
            }
            index += 1
        }
        return index
    }

    /// Lexes `name:value` at `start` if it begins with a known field name; returns the index
    /// after the field, or nil when the part is not a field.
    private func field(
        at start: Int, groupOpen: Bool, into tokens: inout [QueryToken]
    ) throws(QuerySyntaxError) -> Int? {
        var colon = start
        while colon < characters.count {
            let character = characters[colon]
            if character == ":" || character.isWhitespace || "()\"".contains(character) { break }
            colon += 1
        }
        guard colon > start, colon < characters.count, characters[colon] == ":" else { return nil }
        let name = String(characters[start..<colon])
        guard knownFields.contains(name) else { return nil }

        let valueStart = colon + 1
        if valueStart == characters.count || characters[valueStart].isWhitespace
            || (groupOpen && characters[valueStart] == ")")
        {
            throw error("field \(name): needs a value", at: colon)
        }
        switch characters[valueStart] {
        case "\"":
            let close = try closingQuote(after: valueStart)
            let value = String(characters[(valueStart + 1)..<close])
            if value.allSatisfy(\.isWhitespace) {
                throw error("field \(name): needs a value", at: valueStart)
            }
            tokens.append(
                QueryToken(kind: .field(name: name, value: value, quoted: true), column: start))
            return close + 1
        case "(":
            throw error("a field value cannot be a group; put it in quotes", at: valueStart)
        default:
            let end = wordEnd(from: valueStart, groupOpen: groupOpen)
            let value = String(characters[valueStart..<end])
            tokens.append(
                QueryToken(kind: .field(name: name, value: value, quoted: false), column: start))
            return end
        }
    }

    private func error(_ message: String, at column: Int) -> QuerySyntaxError {
        QuerySyntaxError(message: message, column: column, query: query)
    }
}
