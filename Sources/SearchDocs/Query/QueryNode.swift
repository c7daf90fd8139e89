/// A parsed query: the syntax tree that `QueryParser` produces.
///
/// The tree is canonical: `and` and `or` always have at least two children, an `and`
/// never has an `and` child and an `or` never has an `or` child (grouping parentheses
/// that do not change the meaning are flattened away), and a single part is returned
/// as itself rather than wrapped in a one-element `and`.
///
/// A tree can also be built in code and given to ``SearchIndex/search(_:options:)-(QueryNode,_)``:
/// `.text(name, quoted: true)` finds `name` exactly as written, whatever characters it holds (no
/// operator, no quote inside it is syntax). Trees built in code need not follow the parser's
/// rules: `.not(a)` alone matches every document without `a`, and `.and([])` every document.
public indirect enum QueryNode: Equatable, Sendable {
    /// A run of text to match. `quoted` is true for "quoted text" (an exact phrase, may contain spaces).
    case text(String, quoted: Bool)
    /// `name:value` for a known field name (value may be quoted: title:"a b").
    case field(name: String, value: String, quoted: Bool)
    /// All children must match (at least 2 children).
    case and([QueryNode])
    /// At least one child must match (at least 2 children).
    case or([QueryNode])
    /// Documents matching the child are excluded.
    case not(QueryNode)
}
