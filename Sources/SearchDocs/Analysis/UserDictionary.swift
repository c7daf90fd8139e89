/// Terms that analysis keeps whole as single words: names and terms ICU's dictionary lacks
/// (青龙管业, 科技特派员 …). Applied as the longest match over ICU's segments, so a term is
/// found whenever ICU's boundaries fall at its edges. Terms are normalized like all text.
/// Immutable and thread safe.
public final class UserDictionary: Sendable {
    /// The normalized terms, in file order, without duplicates.
    public let terms: [String]
    /// A hash of the terms (stored in the index, to notice a changed dictionary).
    public let fingerprint: UInt32
    private let table: WordTable
    /// The longest term, in UTF-16 units.
    let maxLength: Int
    /// Bit sets of the UTF-16 units terms start and end with: most ICU segments start no term,
    /// and most spans end with no term's last unit, so few spans are looked up in `table`.
    private let firstUnits: [UInt64]
    private let lastUnits: [UInt64]

    /// A dictionary of these terms (blank lines and lines starting with # are ignored).
    public init(terms raw: [String]) {
        var seen = Set<String>()
        var terms: [String] = []
        for line in raw {
            let t = line.trimmingSpaces
            guard !t.isEmpty, !t.hasPrefix("#") else { continue }
            let folded = String(decoding: TextNormalizer.folded(of: t), as: UTF16.self)
            guard folded.utf16.count > 1, seen.insert(folded).inserted else { continue }
            terms.append(folded)
        }
        var table = WordTable(capacity: max(16, terms.count))
        var isNew = false
        var longest = 0
        var first = [UInt64](repeating: 0, count: 1024), last = [UInt64](repeating: 0, count: 1024)
        for t in terms {
            let units = Array(t.utf16)
            longest = max(longest, units.count)
            _ = units.withUnsafeBufferPointer { table.id(for: $0, isNew: &isNew) }
            first[Int(units[0] >> 6)] |= 1 << UInt64(units[0] & 63)
            last[Int(units[units.count - 1] >> 6)] |= 1 << UInt64(units[units.count - 1] & 63)
        }
        self.terms = terms
        self.table = table
        maxLength = longest
        firstUnits = first
        lastUnits = last
        fingerprint = crc32(Array(terms.joined(separator: "\n").utf8))
    }

    /// Reads a dictionary file (UTF-8, one term per line).
    public convenience init(contentsOf path: String) throws(InputError) {
        let text = try DocumentReader().readText(at: path)
        self.init(terms: text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init))
    }

    /// The file text that stores this dictionary in an index.
    var serialized: String { terms.joined(separator: "\n") + "\n" }

    /// The dictionary an index stores as `text` (what ``serialized`` wrote).
    convenience init(serialized text: String) {
        self.init(terms: text.split(separator: "\n").map(String.init))
    }

    @inline(__always) func contains(_ s: UnsafeBufferPointer<UInt16>) -> Bool {
        s.count <= maxLength && table.find(s) != nil
    }

    /// Merges ICU segments `starts/ends/statuses[0..<count]` over `text` where consecutive
    /// segments spell a term (longest first). Returns the new count; arrays are rewritten in place.
    func merge(_ text: UnsafeBufferPointer<UInt16>, starts: inout [Int32], ends: inout [Int32],
               statuses: inout [Int32], count: Int) -> Int {
        guard !terms.isEmpty else { return count }
        @inline(__always) func has(_ set: [UInt64], _ u: UInt16) -> Bool { set[Int(u >> 6)] & (1 << UInt64(u & 63)) != 0 }
        var out = 0
        var i = 0
        while i < count {
            var j = i + 1
            var best = i + 1
            let a = Int(starts[i])
            if a < text.count && has(firstUnits, text[a]) {
                while j < count && Int(ends[j]) - a <= maxLength {
                    j += 1
                    let e = Int(ends[j - 1])
                    if has(lastUnits, text[e - 1]) && contains(UnsafeBufferPointer(rebasing: text[a..<e])) { best = j }
                }
            }
            starts[out] = starts[i]
            ends[out] = ends[best - 1]
            statuses[out] = best > i + 1 ? 400 : statuses[i]
            out += 1
            i = best
        }
        return out
    }
}

