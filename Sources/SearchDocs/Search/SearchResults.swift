/// How a hit matched the query.
public enum MatchKind: String, Sendable, Codable {
    /// Every part of the query occurs in the document as an exact character sequence.
    case exact
    /// At least one part occurs nowhere exactly and matched by its words instead.
    case words
}

/// Options of one search.
///
/// ```swift
/// var options = SearchOptions(limit: 20)
/// options.snippets = false
/// let results = try index.search("孵化器", options: options)
/// ```
public struct SearchOptions: Sendable, Equatable {
    /// How many hits to return (after `offset`). 0 returns no hits, only ``SearchResults/total``.
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
    ///
    /// The text is one unquoted part: when no document contains it exactly, documents are
    /// matched by its words (``MatchKind/words``). For an exact lookup of a name, search for
    /// the phrase ``QueryNode/text(_:quoted:)`` with `quoted: true` instead.
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
    /// Show documents with exactly the same text (a page saved under several names) as one hit,
    /// the first in rank order, with the others' paths listed as its copies. Off by default, so
    /// that hits are documents; `searchdocs query` turns it on.
    public var groupCopies = false
    /// How questions (parts no document contains exactly) are ranked.
    public var questionRanking = QuestionRanking()
    /// How many threads one search may use: to match its parts in several segments at once (when
    /// the parts are common enough for that to pay) and to make several hits' snippets at once;
    /// nil: as many as there are processors. A program that runs many searches at once may
    /// prefer 1.
    public var threads: Int? = nil
    /// Below how many documents holding the parts' rarest character pairs a search matches on one
    /// thread (lowered by tests, so that every search takes the threaded path).
    var parallelMatchDocuments = Searcher.parallelMatchDocuments
    /// Whether the parts of a query that only ANDs them are matched rarest first, the later ones
    /// only in the documents the earlier ones matched (turned off by tests, to compare).
    var restrictConjunctions = true

    /// Options with the given values; every parameter has the default shown.
    public init(limit: Int = 10, offset: Int = 0, snippets: Bool = true, snippetsPerHit: Int = 2,
                explain: Bool = false, literal: Bool = false) {
        self.limit = limit
        self.offset = offset
        self.snippets = snippets
        self.snippetsPerHit = snippetsPerHit
        self.explain = explain
        self.literal = literal
    }
}

/// The order of hits.
public enum SortOrder: String, Sendable, CaseIterable {
    /// Best first (title matches, score, path).
    case relevance
    /// Newest 生成日期 first (undated last), then relevance.
    case date
}

/// One value of a facet and how many matching documents have it.
public struct FacetCount: Sendable, Equatable {
    public var value: String
    public var count: Int
    public init(value: String, count: Int) { self.value = value; self.count = count }
}

/// A metadata field to count matching documents by.
public enum Facet: String, Sendable, CaseIterable {
    /// 发布机构 (with aliases applied).
    case org
    /// The year of 生成日期.
    case year
}

/// A highlighted range of a snippet's text: the characters that matched a part of the query.
public struct Highlight: Sendable, Equatable {
    /// The range in the snippet's ``Snippet/text``.
    public var range: Range<String.Index>
    /// Where the range starts, in Unicode scalars from the start of the snippet's text.
    public var start: Int
    /// Where the range ends (exclusive), in Unicode scalars from the start of the snippet's text.
    public var end: Int
    /// Where the range starts, in UTF-8 bytes from the start of the snippet's text.
    public var byteStart: Int
    /// Where the range ends (exclusive), in UTF-8 bytes from the start of the snippet's text.
    public var byteEnd: Int

    /// A highlight with its range and offsets (they must describe the same characters).
    public init(range: Range<String.Index>, start: Int, end: Int, byteStart: Int, byteEnd: Int) {
        self.range = range
        self.start = start
        self.end = end
        self.byteStart = byteStart
        self.byteEnd = byteEnd
    }
}

/// A passage of a hit's text with the query's matches highlighted.
public struct Snippet: Sendable, Equatable {
    /// The passage (white space runs shown as one space; `…` where it was cut mid-sentence).
    public var text: String
    /// The matched spans, in order, not overlapping.
    public var highlights: [Highlight]

    /// A snippet of `text` with `highlights` on it.
    public init(text: String, highlights: [Highlight]) {
        self.text = text
        self.highlights = highlights
    }
}

/// One matching document.
public struct SearchHit: Sendable, Equatable {
    /// 1-based rank among all matches.
    public var rank: Int
    /// The BM25 score (summed over the query's parts).
    public var score: Double
    /// The document's path relative to the corpus root, or the id it was added with
    /// (``IndexWriter/addDocument(path:text:source:size:modificationTimeNs:metadata:)``).
    public var path: String
    /// The document's title.
    public var title: String
    /// Whether it matched exactly or by words.
    public var match: MatchKind
    /// How many of the query's parts occur in the title.
    public var titleMatches: Int
    /// Passages with highlights (empty when snippets are off).
    public var snippets: [Snippet]
    /// How the score was made (when asked for), one line per part and a line for the rank.
    public var explanation: [String]
    /// The disclosure metadata (索引号, 发布机构, 生成日期 …).
    public var metadata: DisclosureMetadata = DisclosureMetadata()
    /// Paths of earlier versions (same 索引号, older), when versions are grouped.
    public var earlierVersions: [String] = []
    /// Paths of documents with exactly the same text, after this one in rank order, when copies
    /// are grouped.
    public var copies: [String] = []

    /// A hit with the given fields (for tests and for results made elsewhere).
    public init(rank: Int, score: Double, path: String, title: String, match: MatchKind = .exact,
                titleMatches: Int = 0, snippets: [Snippet] = [], explanation: [String] = [],
                metadata: DisclosureMetadata = DisclosureMetadata(), earlierVersions: [String] = []) {
        self.rank = rank
        self.score = score
        self.path = path
        self.title = title
        self.match = match
        self.titleMatches = titleMatches
        self.snippets = snippets
        self.explanation = explanation
        self.metadata = metadata
        self.earlierVersions = earlierVersions
    }
}

/// The answer to a search.
public struct SearchResults: Sendable, Equatable {
    /// The number of documents that match (independent of limit and offset). Every document
    /// counts once.
    public var total: Int
    /// The hits from `offset`, at most `limit`.
    public var hits: [SearchHit]
    /// Per requested facet, the values and their document counts, most documents first.
    public var facets: [Facet: [FacetCount]] = [:]

    /// Results with the given total and hits.
    public init(total: Int, hits: [SearchHit], facets: [Facet: [FacetCount]] = [:]) {
        self.total = total
        self.hits = hits
        self.facets = facets
    }
}
