/// A metadata condition of the query language: `org:`, `date:` and `id:`.
enum FieldFilter: Sendable {
    /// 发布机构 contains the name (normalized), or belongs to the same office by the alias file.
    case org(String)
    /// 生成日期 within bounds (inclusive; bounds are date prefixes such as 2024 or 2024-06).
    case date(lower: String?, upper: String?)
    /// 索引号 equals the value.
    case id(String)

    /// Parses `name:value`; throws a message for a bad date.
    init(name: String, value: String) throws(SearchError) {
        switch name {
        case "org": self = .org(value)
        case "id": self = .id(value.trimmingSpaces)
        case "date":
            guard let (lo, hi) = FieldFilter.dateBounds(value) else { throw .badFieldValue(field: name, value: value) }
            self = .date(lower: lo, upper: hi)
        default: throw .unsupportedField(name)
        }
    }

    /// `2024-01-01..2024-06-30`, `>=2024`, `<=2024-06`, `>2024`, `<2025`, `2024`, `2024-07`.
    static func dateBounds(_ v: String) -> (String?, String?)? {
        func date(_ s: Substring) -> String? {
            let t = String(s).trimmingSpaces
            guard !t.isEmpty else { return nil }
            if let d = MetadataParser.normalizeDate(t) { return d }
            // A year or a year and month.
            let parts = t.split(separator: "-")
            guard parts.count <= 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
                  parts[0].count == 4 else { return nil }
            if parts.count == 2 {
                // A month: 1 to 12, in one or two digits (2024-13 and 2024-123 are not dates).
                guard parts[1].count <= 2, let month = Int(parts[1]), (1...12).contains(month) else { return nil }
                return parts[0] + "-" + (parts[1].count == 1 ? "0" + parts[1] : String(parts[1]))
            }
            return String(parts[0])
        }
        let end = "~"  // sorts after every digit and '-': an upper bound on a prefix
        if let r = v.firstRange(of: "..") {
            let a = v[..<r.lowerBound], b = v[r.upperBound...]
            let lo = a.isEmpty ? nil : date(a), hi = b.isEmpty ? nil : date(b)
            if (!a.isEmpty && lo == nil) || (!b.isEmpty && hi == nil) || (lo == nil && hi == nil) { return nil }
            return (lo, hi.map { $0 + end })
        }
        for (op, f) in [(">=", 0), ("<=", 1), (">", 2), ("<", 3)] where v.hasPrefix(op) {
            guard let d = date(v.dropFirst(op.count)) else { return nil }
            switch f {
            case 0: return (d, nil)
            case 1: return (nil, d + end)
            case 2: return (d + end, nil)
            default: return (nil, d)
            }
        }
        guard let d = date(Substring(v)) else { return nil }
        return (d, d + end)
    }

    func matches(_ m: DisclosureMetadata, aliases: OrgAliases) -> Bool {
        switch self {
        case .org(let name):
            guard let p = m.publisher, !p.isEmpty else { return false }
            return aliases.matches(publisher: p, query: name)
        case .date(let lo, let hi):
            guard let d = m.date, !d.isEmpty else { return false }
            if let lo, d < lo { return false }
            if let hi, d >= hi && !(hi.hasSuffix("~") && d <= hi) { return false }
            return true
        case .id(let v):
            return m.indexNumber.map { $0.trimmingSpaces == v } ?? false
        }
    }
}

/// The names one office goes by (民乐县科技局 = 民乐县科学技术局), from
/// `.searchdocs/aliases.txt` in the corpus folder: one office per line, names separated by `=`;
/// the first name is the one facets show.
public struct OrgAliases: Sendable {
    /// Where a corpus folder keeps its alias file.
    public static let fileName = ".searchdocs/aliases.txt"
    private var canonical: [String: String] = [:]
    private var groups: [String: [String]] = [:]

    /// No aliases.
    public init() {}

    /// Reads an alias file; a missing file gives no aliases.
    public init(file: String) {
        guard FileIO.exists(file), let text = try? DocumentReader().readText(at: file) else { return }
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let names = line.split(separator: "=").map { OrgAliases.key(String($0)) }.filter { !$0.isEmpty }
            guard let first = names.first else { continue }
            for n in names { canonical[n] = first }
            groups[first] = names
        }
    }

    /// The match-text form of a name (normalized, folded, no layout).
    static func key(_ s: String) -> String {
        String(String.UnicodeScalarView(TextNormalizer.matchScalars(of: s).filter { $0 != MatchText.boundary }.compactMap(Unicode.Scalar.init)))
    }

    /// The name facets show for a publisher.
    public func displayName(_ publisher: String) -> String {
        let k = OrgAliases.key(publisher)
        guard let c = canonical[k] else { return publisher.trimmingSpaces }
        return c
    }

    /// Whether `org:query` selects this publisher: a normalized substring, or the same office.
    func matches(publisher: String, query: String) -> Bool {
        let p = OrgAliases.key(publisher), q = OrgAliases.key(query)
        guard !q.isEmpty else { return false }
        if p.contains(q) { return true }
        if let cq = canonical[q] {
            if canonical[p] == cq { return true }
            return (groups[cq] ?? []).contains { p.contains($0) }
        }
        return false
    }
}
