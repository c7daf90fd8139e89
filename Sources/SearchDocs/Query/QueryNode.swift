/// A parsed query: the syntax tree that `QueryParser` produces.
///
/// The tree is canonical: `and` and `or` always have at least two children, an `and`
/// never has an `and` child and an `or` never has an `or` child (grouping parentheses
/// that do not change the meaning are flattened away), and a single part is returned
/// as itself rather than wrapped in a one-element `and`.
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
