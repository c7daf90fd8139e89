/// Parses the query language into a `QueryNode` tree.
///
/// Grammar, loosest binding first (operators are ASCII only; see `QueryLexer` for where
/// `"`, `(`, `)`, `-`, `:` are syntax and where they are text):
///
///     query       = sequence
///     sequence    = alternation { alternation }          adjacent parts are ANDed
///     alternation = unary { "OR" unary }                 OR binds tighter than AND
///     unary       = ( "-" | "NOT" ) unary | primary      excludes the next part only
///     primary     = word | "\"" phrase "\"" | name ":" value | "(" sequence ")"
///
/// So `a b OR c d` is `and[a, or[b, c], d]` and `NOT a OR b` is `or[not a, b]`.
/// Parentheses only group: `(a b) c` is `and[a, b, c]` and `(a OR b) OR c` is `or[a, b, c]`.
/// Groups and exclusions may nest at most 100 levels deep, so that no input exhausts the stack.
///
/// Besides syntax errors, the parser rejects queries that cannot be answered without
/// enumerating every document: a query (or group ANDed into it) made only of excluded
/// parts, an excluded part as one side of `OR`, and a part excluded twice (`-(-a)`).
public struct QueryParser: Sendable {
    /// Field names recognized in `name:value`; any other `name:` is ordinary text.
    let knownFields: Set<String>

    /// Creates a parser that recognizes `knownFields` as field names (case-sensitive).
    public init(knownFields: Set<String> = ["title", "org", "date", "id"]) {
        self.knownFields = knownFields
    }

    /// Parses `input` (raw, before any Unicode normalization) into a query tree.
    public func parse(_ input: String) throws(QuerySyntaxError) -> QueryNode {
        let tokens = try QueryLexer(query: input, knownFields: knownFields).tokens()
        guard !tokens.isEmpty else {
            throw QuerySyntaxError(message: "empty query", column: 0, query: input)
        }
        var state = ParseState(tokens: tokens, query: input)
        let parts = try state.sequence()
        if let stray = state.peek {
            // The lexer only emits `)` for an open group, so this cannot happen; stay safe anyway.
            throw state.error("unbalanced parenthesis", at: stray.column)
        }
        let root = Draft.combine(parts)
        try state.validate(root)
        if case .exclude(_, let column) = root {
            throw state.error(Self.needsIncludedPart, at: column)
        }
        return root.node
    }

    /// The input taken literally as one text query (for natural-language questions): never throws.
    public func literal(_ input: String) -> QueryNode {
        .text(input, quoted: false)
    }

    fileprivate static let needsIncludedPart = "a query needs at least one part that is not excluded"
}

/// A query tree that remembers where each node starts, for error messages.
private indirect enum Draft {
    case leaf(QueryNode, column: Int)
    case all([Draft], column: Int)
    case any([Draft], column: Int)
    case exclude(Draft, column: Int)

    var column: Int {
        switch self {
        case .leaf(_, let column), .all(_, let column), .any(_, let column), .exclude(_, let column):
            return column
        }
    }

    var isExclude: Bool {
        if case .exclude = self { return true }
        return false
    }

    var node: QueryNode {
        switch self {
        case .leaf(let node, _): return node
        case .all(let parts, _): return .and(parts.map(\.node))
        case .any(let parts, _): return .or(parts.map(\.node))
        case .exclude(let part, _): return .not(part.node)
        }
    }

    /// ANDs `parts` (at least one), splicing in the parts of nested ANDs.
    static func combine(_ parts: [Draft]) -> Draft {
        let flat = parts.flatMap { part -> [Draft] in
            if case .all(let inner, _) = part { return inner }
            return [part]
        }
        return flat.count == 1 ? flat[0] : .all(flat, column: flat[0].column)
    }
}

/// The recursive-descent parser over a token list.
private struct ParseState {
    let tokens: [QueryToken]
    let query: String
    var position = 0
    /// Current depth of groups and exclusions, bounded so that recursion cannot exhaust the stack.
    var nesting = 0
    static let maximumNesting = 100

    init(tokens: [QueryToken], query: String) {
        self.tokens = tokens
        self.query = query
    }

    var peek: QueryToken? { position < tokens.count ? tokens[position] : nil }

    /// Whether the next token can start an operand (not the end, `)` or `OR`).
    var operandFollows: Bool {
        guard let next = peek else { return false }
        return next.kind != .close && next.kind != .or
    }

    mutating func enterNested(at column: Int) throws(QuerySyntaxError) {
        nesting += 1
        if nesting > Self.maximumNesting {
            throw error("query nested too deeply (more than \(Self.maximumNesting) levels)", at: column)
        }
    }

    mutating func advance() -> QueryToken {
        defer { position += 1 }
        return tokens[position]
    }

    func error(_ message: String, at column: Int) -> QuerySyntaxError {
        QuerySyntaxError(message: message, column: column, query: query)
    }

    /// Parts up to the end of input or the next `)`; at least one.
    mutating func sequence() throws(QuerySyntaxError) -> [Draft] {
        var parts: [Draft] = []
        while let next = peek, next.kind != .close {
            parts.append(try alternation())
        }
        return parts
    }

    mutating func alternation() throws(QuerySyntaxError) -> Draft {
        let first = try unary()
        var alternatives = [first]
        while let next = peek, next.kind == .or {
            let orToken = advance()
            guard operandFollows else {
                throw error("OR needs a query part on both sides", at: orToken.column)
            }
            alternatives.append(try unary())
        }
        guard alternatives.count > 1 else { return first }
        let flat = alternatives.flatMap { part -> [Draft] in
            if case .any(let inner, _) = part { return inner }
            return [part]
        }
        return .any(flat, column: first.column)
    }

    mutating func unary() throws(QuerySyntaxError) -> Draft {
        guard let token = peek else {
            // Callers only ask for an operand when one follows.
            throw error("unexpected end of query", at: max(0, query.count - 1))
        }
        switch token.kind {
        case .minus, .not:
            _ = advance()
            guard operandFollows else {
                let name = token.kind == .minus ? "-" : "NOT"
                throw error("\(name) needs a query part after it", at: token.column)
            }
            try enterNested(at: token.column)
            defer { nesting -= 1 }
            return .exclude(try unary(), column: token.column)
        case .or:
            throw error("OR needs a query part on both sides", at: token.column)
        default:
            return try primary()
        }
    }

    mutating func primary() throws(QuerySyntaxError) -> Draft {
        let token = advance()
        switch token.kind {
        case .word(let text):
            return .leaf(.text(text, quoted: false), column: token.column)
        case .phrase(let text):
            return .leaf(.text(text, quoted: true), column: token.column)
        case .field(let name, let value, let quoted):
            return .leaf(.field(name: name, value: value, quoted: quoted), column: token.column)
        case .open:
            if peek?.kind == .close {
                throw error("empty group", at: token.column)
            }
            try enterNested(at: token.column)
            defer { nesting -= 1 }
            let parts = try sequence()
            guard peek?.kind == .close else {
                throw error("unbalanced parenthesis", at: token.column)
            }
            _ = advance()
            return Draft.combine(parts)
        case .close:
            throw error("unbalanced parenthesis", at: token.column)
        case .or, .not, .minus:
            // `unary` handles operators before calling `primary`.
            throw error("unexpected operator", at: token.column)
        }
    }

    /// Rejects exclusions that have nothing to be excluded from.
    func validate(_ draft: Draft) throws(QuerySyntaxError) {
        switch draft {
        case .leaf:
            return
        case .all(let parts, _):
            for part in parts { try validate(part) }
            if parts.allSatisfy(\.isExclude) {
                throw error(QueryParser.needsIncludedPart, at: parts[0].column)
            }
        case .any(let parts, _):
            for part in parts { try validate(part) }
            if let excluded = parts.first(where: \.isExclude) {
                throw error("each side of OR needs a part that is not excluded", at: excluded.column)
            }
        case .exclude(let part, _):
            try validate(part)
            if part.isExclude {
                throw error("a part cannot be excluded twice", at: part.column)
            }
        }
    }
}
