/// One lexical unit of a query, with the Character column where it starts.
struct QueryToken: Equatable, Sendable {
    /// What the token is.
    enum Kind: Equatable, Sendable {
        /// Unquoted text (may contain characters that are syntax elsewhere, like `f(x)`).
        case word(String)
        /// The text between a pair of ASCII double quotes.
        case phrase(String)
        /// `name:value` or `name:"value"` for a known field name.
        case field(name: String, value: String, quoted: Bool)
        /// `(` opening a group.
        case open
        /// `)` closing a group.
        case close
        /// The `OR` operator.
        case or
        /// The `NOT` operator.
        case not
        /// The `-` prefix operator.
        case minus
    }

    /// What the token is.
    let kind: Kind
    /// 0-based Character index of the token's first character in the input.
    let column: Int
}
