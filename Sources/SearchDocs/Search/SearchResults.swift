/// How a hit matched the query.
public enum MatchKind: String, Sendable, Codable {
    /// Every part of the query occurs in the document as an exact character sequence.
    case exact
    /// At least one part occurs nowhere exactly and matched by its words instead.
    case words
}

/// Options of one search.
public struct SearchOptions: Sendable {
    /// How many hits to return (after `offset`).
    public var limit: Int = 10
    /// How many of the best hits to skip.
    public var offset: Int = 0
    /// Whether hits carry snippets.
    public var snippets: Bool = true
    /// The most snippets per hit.
    public var snippetsPerHit: Int = 2
    /// About how many characters a snippet shows.
    public var snippetLength: Int = 100
    /// Whether hits carry an explanation of their score.
    public var explain: Bool = false
    /// Take the query text literally (no operators): for natural-language questions.
    public var literal: Bool = false
    /// Only documents whose 发布机构 matches (as `org:`).
    public var org: String?
    /// Only documents dated on or after / on or before (as `date:`; 2024, 2024-06 or 2024-06-30).
    public var since: String?
    public var until: String?
    /// Order of hits.
    public var sort: SortOrder = .relevance
    /// Facets to count over all matching documents.
    public var facets: [Facet] = []
    /// Show documents with the same 索引号 as one hit (the newest) with earlier versions listed.
    public var groupVersions = true
    /// How questions (parts no document contains exactly) are ranked.
    public var questionRanking = QuestionRanking()

    public init() {}
}

/// The order of hits.
public enum SortOrder: String, Sendable, CaseIterable {
    /// Best first (title matches, score, path).
    case relevance
    /// Newest 生成日期 first (undated last), then relevance.
    case date
}

/// A metadata field to count matching documents by.
public enum Facet: String, Sendable, CaseIterable {
    /// 发布机构 (with aliases applied).
    case org
    /// The year of 生成日期.
    case year
}

/// A highlighted range of a snippet's text.
public struct Highlight: Sendable, Equatable {
    /// The range in the snippet's text.
    public var range: Range<String.Index>
    /// Offsets in Unicode scalars into the snippet's text.
    public var start: Int
    public var end: Int
    /// Offsets in UTF-8 bytes into the snippet's text.
    public var byteStart: Int
    public var byteEnd: Int
}

/// A passage of a hit's text with the query's matches highlighted.
public struct Snippet: Sendable {
    /// The passage (white space runs shown as one space; `…` where it was cut mid-sentence).
    public var text: String
    /// The matched spans, in order, not overlapping.
    public var highlights: [Highlight]
}

/// One matching document.
public struct SearchHit: Sendable {
    /// 1-based rank among all matches.
    public var rank: Int
    /// The BM25 score (summed over the query's parts).
    public var score: Double
    /// Path relative to the corpus root.
    public var path: String
    /// The document's title.
    public var title: String
    /// Whether it matched exactly or by words.
    public var match: MatchKind
    /// How many of the query's parts occur in the title.
    public var titleMatches: Int
    /// Passages with highlights (empty when snippets are off).
    public var snippets: [Snippet]
    /// How the score was made (when asked for).
    public var explanation: [String]
    /// The disclosure metadata (索引号, 发布机构, 生成日期 …).
    public var metadata: DisclosureMetadata = DisclosureMetadata()
    /// Paths of earlier versions (same 索引号, older), when versions are grouped.
    public var earlierVersions: [String] = []
}

/// The answer to a search.
public struct SearchResults: Sendable {
    /// The number of documents that match (independent of limit and offset).
    public var total: Int
    /// The hits from `offset`, at most `limit`.
    public var hits: [SearchHit]
    /// Per requested facet, (value, documents) pairs, most documents first.
    public var facets: [Facet: [(value: String, count: Int)]] = [:]
}
