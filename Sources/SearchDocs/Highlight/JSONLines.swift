/// The machine-readable form of search results: JSON Lines, one JSON object per line, UTF-8.
///
/// Schema version 1. Fields are only ever added, never renamed or removed; readers should ignore
/// fields they do not know. Numbers are JSON numbers, strings JSON strings.
///
/// **A hit** (`searchdocs query --json` prints one per line; ``line(for:total:)``):
///
/// | field | type | meaning |
/// | --- | --- | --- |
/// | `v` | integer | schema version, 1 |
/// | `rank` | integer | 1-based rank among all matches |
/// | `score` | number | BM25 score, rounded to 6 decimals |
/// | `path` | string | path relative to the corpus root, or the id a document was added with |
/// | `title` | string | the document's title |
/// | `match` | string | `exact`, or `words` when a part matched by its words |
/// | `total` | integer | number of documents matching the query (independent of limit and offset) |
/// | `snippets` | array | `{"text": string, "highlights": [{"start", "end", "byte_start", "byte_end"}]}`: offsets (integers) in Unicode scalars and in UTF-8 bytes into `text`, end exclusive |
/// | `org` | string or null | 发布机构 (the publishing office), null when the document has none |
/// | `date` | string or null | 生成日期 as yyyy-MM-dd, or a date the text states; null when none |
/// | `id` | string or null | 索引号 (the disclosure index number), null when none |
/// | `versions` | array of strings | paths of earlier versions (same 索引号, older), when versions are grouped |
/// | `copies` | array of strings | paths of documents with exactly the same text, ranked after this one, when copies are grouped |
/// | `explain` | array of strings | only when an explanation was asked for: how the score was made |
///
/// **A query answer** (`searchdocs query --stdin` prints one per input line; ``line(for:query:)``):
///
/// | field | type | meaning |
/// | --- | --- | --- |
/// | `v` | integer | schema version, 1 |
/// | `query` | string | the input line |
/// | `total` | integer | number of documents matching the query |
/// | `hits` | array | hit objects as above without `v` and `total`: `rank`, `score`, `path`, `title`, `match`, `snippets` (and `explain`) |
///
/// **Facets** (`--facet org|year`): one more line after the hits,
/// `{"v":1,"facets":{"org":[["民乐县科学技术局",3],…],"year":[["2024",2],…]}}`.
///
/// **A malformed query** (``line(for:)``), in place of the answer:
///
/// | field | type | meaning |
/// | --- | --- | --- |
/// | `v` | integer | schema version, 1 |
/// | `query` | string | the input line |
/// | `error` | string | what is wrong, e.g. `unbalanced quote` |
/// | `column` | integer | 0-based index, in characters (grapheme clusters), of the offending character in `query` |
public enum JSONLines {
    /// The schema version written in `v`.
    public static let schemaVersion = 1

    /// One hit as a JSON object on one line (no line break): `v`, `rank`, `score`, `path`,
    /// `title`, `match`, `total`, `snippets` and, when the hit has an explanation, `explain`.
    public static func line(for hit: SearchHit, total: Int) -> String {
        var o = JSONObject()
        o.add("v", schemaVersion)
        addHitFields(of: hit, to: &o, total: total)
        return o.text
    }

    /// The answer to one query as a JSON object on one line (no line break): `v`, `query`,
    /// `total` and `hits`, each hit without `v` and `total`, then `facets` (as in
    /// ``facetsLine(_:)``) when the search counted any.
    public static func line(for results: SearchResults, query: String) -> String {
        var o = JSONObject()
        o.add("v", schemaVersion)
        o.add("query", query)
        o.add("total", results.total)
        let hits = results.hits.map { hit -> String in
            var h = JSONObject()
            addHitFields(of: hit, to: &h, total: nil)
            return h.text
        }
        o.addRaw("hits", "[" + hits.joined(separator: ",") + "]")
        if !results.facets.isEmpty { o.addRaw("facets", facetsObject(results.facets)) }
        return o.text
    }

    /// A malformed query as a JSON object on one line (no line break): `v`, `query` (the
    /// error's ``QuerySyntaxError/query``), `error` (its ``QuerySyntaxError/message``) and
    /// `column`.
    public static func line(for error: QuerySyntaxError) -> String {
        var o = JSONObject()
        o.add("v", schemaVersion)
        o.add("query", error.query)
        o.add("error", error.message)
        o.add("column", error.column)
        return o.text
    }

    /// Runs one query and returns its JSON line: the answer, or the syntax error when the query
    /// is malformed. This is what `searchdocs query --stdin` prints for each input line.
    ///
    /// - Throws: what ``SearchIndex/search(_:options:)-(String,_)`` throws, except
    ///   ``QuerySyntaxError``, which becomes the line.
    public static func answerLine(for query: String, in index: SearchIndex,
                                  options: SearchOptions = SearchOptions()) throws -> String {
        do {
            return line(for: try index.search(query, options: options), query: query)
        } catch let e as QuerySyntaxError {
            return line(for: e)
        }
    }

    /// The fields of a hit in schema order; `total` after `match` when given.
    private static func addHitFields(of hit: SearchHit, to o: inout JSONObject, total: Int?) {
        o.add("rank", hit.rank)
        o.add("score", hit.score)
        o.add("path", hit.path)
        o.add("title", hit.title)
        o.add("match", hit.match.rawValue)
        if let total { o.add("total", total) }
        o.addOptional("org", hit.metadata.publisher)
        o.addOptional("date", hit.metadata.date)
        o.addOptional("id", hit.metadata.indexNumber)
        o.addRaw("versions", "[" + hit.earlierVersions.map(JSONObject.quote).joined(separator: ",") + "]")
        o.addRaw("copies", "[" + hit.copies.map(JSONObject.quote).joined(separator: ",") + "]")
        let snippets = hit.snippets.map { s -> String in
            var so = JSONObject()
            so.add("text", s.text)
            let hs = s.highlights.map { h -> String in
                var ho = JSONObject()
                ho.add("start", h.start); ho.add("end", h.end)
                ho.add("byte_start", h.byteStart); ho.add("byte_end", h.byteEnd)
                return ho.text
            }
            so.addRaw("highlights", "[" + hs.joined(separator: ",") + "]")
            return so.text
        }
        o.addRaw("snippets", "[" + snippets.joined(separator: ",") + "]")
        if !hit.explanation.isEmpty {
            o.addRaw("explain", "[" + hit.explanation.map(JSONObject.quote).joined(separator: ",") + "]")
        }
    }
}

extension JSONLines {
    /// The facet counts as one JSON line.
    public static func facetsLine(_ facets: [Facet: [FacetCount]]) -> String {
        var o = JSONObject()
        o.add("v", schemaVersion)
        o.addRaw("facets", facetsObject(facets))
        return o.text
    }

    /// The facets as an object: per facet, in name order, its `[value, count]` pairs.
    private static func facetsObject(_ facets: [Facet: [FacetCount]]) -> String {
        var f = JSONObject()
        for (k, counts) in facets.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            f.addRaw(k.rawValue, "[" + counts.map { "[\(JSONObject.quote($0.value)),\($0.count)]" }.joined(separator: ",") + "]")
        }
        return f.text
    }
}

/// A JSON object written field by field, keeping the order of fields.
struct JSONObject {
    private var fields: [String] = []

    mutating func add(_ key: String, _ value: String) { fields.append(JSONObject.quote(key) + ":" + JSONObject.quote(value)) }
    mutating func add(_ key: String, _ value: Int) { fields.append(JSONObject.quote(key) + ":" + String(value)) }
    mutating func add(_ key: String, _ value: Double) {
        let v = value.isFinite ? String((value * 1e6).rounded() / 1e6) : "0"
        fields.append(JSONObject.quote(key) + ":" + v)
    }
    mutating func addOptional(_ key: String, _ value: String?) {
        if let v = value, !v.isEmpty { add(key, v) } else { addRaw(key, "null") }
    }
    mutating func addRaw(_ key: String, _ json: String) { fields.append(JSONObject.quote(key) + ":" + json) }

    var text: String { "{" + fields.joined(separator: ",") + "}" }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x2028 || u.value == 0x2029 {
                    out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
