/// The machine-readable form of search results: JSON Lines, one object per hit.
///
/// Schema version 1 (fields are only ever added, never renamed):
/// `v` (1), `rank`, `score`, `path` (relative to the corpus root), `title`, `match`
/// (`exact` or `words`), `total` (documents matching the query), `snippets`: an array of
/// `{text, highlights: [{start, end, byte_start, byte_end}]}` with offsets in Unicode scalars and
/// in UTF-8 bytes into `text`; `org` (发布机构), `date` (生成日期, yyyy-MM-dd) and `id` (索引号),
/// each null when the document has none; `versions`: paths of earlier versions (same 索引号);
/// with explain, `explain`: an array of lines. With facets, one more line follows the hits:
/// `{"v":1,"facets":{"org":[["民乐县科技局",3],…],"year":[["2024",2],…]}}`.
public enum JSONLines {
    /// The schema version written in `v`.
    public static let schemaVersion = 1

    /// One hit as a JSON object on one line.
    public static func line(for hit: SearchHit, total: Int) -> String {
        var o = JSONObject()
        o.add("v", schemaVersion)
        o.add("rank", hit.rank)
        o.add("score", hit.score)
        o.add("path", hit.path)
        o.add("title", hit.title)
        o.add("match", hit.match.rawValue)
        o.add("total", total)
        o.addOptional("org", hit.metadata.publisher)
        o.addOptional("date", hit.metadata.date)
        o.addOptional("id", hit.metadata.indexNumber)
        o.addRaw("versions", "[" + hit.earlierVersions.map(JSONObject.quote).joined(separator: ",") + "]")
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
        return o.text
    }
}

extension JSONLines {
    /// The facet counts as one JSON line.
    public static func facetsLine(_ facets: [Facet: [(value: String, count: Int)]]) -> String {
        var f = JSONObject()
        for (k, counts) in facets.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            f.addRaw(k.rawValue, "[" + counts.map { "[\(JSONObject.quote($0.value)),\($0.count)]" }.joined(separator: ",") + "]")
        }
        var o = JSONObject()
        o.add("v", schemaVersion)
        o.addRaw("facets", f.text)
        return o.text
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
