/// A document as the index stores it: for `searchdocs show` and callers that display one.
public struct StoredDocument: Sendable {
    /// Path relative to the corpus folder (or the id a library caller chose).
    public var path: String
    public var title: String
    public var metadata: DisclosureMetadata
    /// The full text as indexed.
    public var text: String
}

extension SearchIndex {
    /// The document with this path, or nil.
    public func document(path: String) throws(IndexError) -> StoredDocument? {
        for seg in segments {
            for d in 0..<seg.reader.docCount where !seg.isDeleted(Int32(d)) {
                let rec = try seg.doc(d)
                guard rec.path == path else { continue }
                var bytes: [UInt8] = []
                for k in 0..<Int(rec.blockCount) { bytes += try seg.reader.block(Int(rec.blockFirst) + k).text }
                return StoredDocument(path: rec.path, title: rec.title, metadata: rec.metadata,
                                      text: String(decoding: bytes, as: UTF8.self))
            }
        }
        return nil
    }

    /// Where the query's text parts occur exactly in `text` (leftmost, not overlapping), as ranges
    /// of the original characters.
    public func highlights(in text: String, query: String) throws -> [Range<String.Index>] {
        var needles: [[UInt32]] = []
        func collect(_ n: QueryNode) {
            switch n {
            case .text(let t, _): needles.append(TextNormalizer.matchScalars(of: t))
            case .field(let name, let v, _): if name == "title" { needles.append(TextNormalizer.matchScalars(of: v)) }
            case .and(let c), .or(let c): c.forEach(collect)
            case .not: break
            }
        }
        collect(try QueryParser(knownFields: SearchIndex.fieldNames).parse(query))
        let units = Array(text.utf16)
        var nz = TextNormalizer()
        var state = MatchTextState()
        units.withUnsafeBufferPointer { nz.normalize($0, state: &state) }
        nz.finish(state: &state)
        let ranges = SnippetBuilder.occurrences(of: needles.filter { !$0.isEmpty }, in: nz)
        return ranges.map { r in
            String.Index(utf16Offset: r.lowerBound, in: text)..<String.Index(utf16Offset: r.upperBound, in: text)
        }
    }
}
