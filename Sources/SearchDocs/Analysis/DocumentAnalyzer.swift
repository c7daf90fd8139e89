/// One analysed chunk of a text, valid only during the visitor call that receives it.
struct AnalyzedChunk {
    /// The chunk's range in the text's UTF-16 units.
    var range: Range<Int>
    /// Match-text position of the chunk's first code point within the whole text.
    var matchStart: Int
    /// Match-text rules' state at the chunk's start.
    var startState: MatchTextState
    /// The normalizer, holding the chunk's folded text and match text.
    var normalizer: TextNormalizer
    /// The folded text's segments (their arrays may be longer).
    var words: WordSegments
    /// How many segments `words` holds.
    var segmentCount: Int
}

/// Segments of a text as the word breaker found them: starts, ends (UTF-16 offsets into the
/// folded text) and ICU rule statuses. Shares the breaker's arrays until it segments again.
struct WordSegments {
    var starts: [Int32]
    var ends: [Int32]
    var statuses: [Int32]
}

/// Analyses whole texts chunk by chunk: normalization, match text and ICU words.
/// Holds buffers and an ICU iterator: one per thread. A visitor may keep a chunk (its arrays are
/// then copied when the analyser reuses them).
final class DocumentAnalyzer {
    private var normalizer = TextNormalizer()
    private let breaker: WordBreaker
    let dictionary: UserDictionary?

    /// `runMemory`: where the word breaker remembers how ICU split short Han runs (shared by the
    /// analysers of an index build); `nil`, a memory of its own once it has seen enough text.
    init(dictionary: UserDictionary? = nil, runMemory: RunMemory? = nil) throws(AnalysisError) {
        breaker = try WordBreaker(memory: runMemory)
        self.dictionary = dictionary
    }

    /// Analyses `units`, calling `visit` once per chunk in order. Returns the match-text length.
    @discardableResult
    func analyze(_ units: UnsafeBufferPointer<UInt16>, chunkTarget: Int = ChunkCutter.target,
                 _ visit: (inout AnalyzedChunk) -> Void) -> Int {
        var state = MatchTextState()
        var start = 0
        var matchPos = 0
        let n = units.count
        if n == 0 { return 0 }
        while start < n {
            let end = ChunkCutter.cut(units, from: start, target: chunkTarget)
            let startState = state
            let slice = UnsafeBufferPointer(rebasing: units[start..<end])
            normalizer.normalize(slice, state: &state)
            if end == n { normalizer.finish(state: &state) }
            var segs = normalizer.folded.withUnsafeBufferPointer { breaker.segment($0) }
            if let dictionary {
                segs = normalizer.folded.withUnsafeBufferPointer { breaker.applyDictionary(dictionary, text: $0, count: segs) }
            }
            var chunk = AnalyzedChunk(range: start..<end, matchStart: matchPos, startState: startState,
                                      normalizer: normalizer,
                                      words: WordSegments(starts: breaker.starts, ends: breaker.ends, statuses: breaker.statuses),
                                      segmentCount: segs)
            // Hand the buffers over without copying; take them back afterwards.
            normalizer = TextNormalizer()
            visit(&chunk)
            normalizer = chunk.normalizer
            matchPos += normalizer.scalars.count
            start = end
        }
        return matchPos
    }
}

/// A token as `searchdocs analyze` shows it.
public struct AnalyzedToken: Sendable, Equatable, Codable {
    /// The normalized term.
    public var term: String
    /// What ICU says the word is.
    public var kind: WordKind
    /// The token's ordinal among the text's tokens.
    public var position: Int
    /// Where the token starts, in Unicode scalars into the original text.
    public var start: Int
    /// Where the token ends (exclusive), in Unicode scalars into the original text.
    public var end: Int
    /// The original text the token covers.
    public var original: String
}

/// The analysis of a text as users see it: its words and its match text.
public struct Analysis: Sendable {
    /// The ICU words (with dictionary terms whole), punctuation included.
    public var tokens: [AnalyzedToken]
    /// The match text that exact matching works on (boundary marks shown as `|`).
    public var matchText: String
}

extension Analysis {
    /// Analyses a text the way documents and queries are analysed (with a user dictionary's
    /// terms kept whole, when one is given).
    public static func of(_ text: String, dictionary: UserDictionary? = nil) throws(AnalysisError) -> Analysis {
        let analyzer = try DocumentAnalyzer(dictionary: dictionary)
        let units = Array(text.utf16)
        // UTF-16 offset → scalar offset.
        var scalarIndex = [Int](repeating: 0, count: units.count + 1)
        var k = 0
        var i = 0
        while i < units.count {
            scalarIndex[i] = k
            if units[i] & 0xFC00 == 0xD800, i + 1 < units.count { scalarIndex[i + 1] = k; i += 2 } else { i += 1 }
            k += 1
        }
        scalarIndex[units.count] = k
        var tokens: [AnalyzedToken] = []
        var match = String.UnicodeScalarView()
        _ = units.withUnsafeBufferPointer { buf in
            analyzer.analyze(buf) { chunk in
                let nz = chunk.normalizer
                for c in nz.scalars {
                    if c == MatchText.boundary { match.append("|") } else if let u = Unicode.Scalar(c) { match.append(u) }
                }
                for s in 0..<chunk.segmentCount {
                    let a = Int(chunk.words.starts[s]), b = Int(chunk.words.ends[s])
                    let folded = nz.folded[a..<b]
                    var kind = WordKind(status: chunk.words.statuses[s])
                    let term = String(decoding: folded, as: UTF16.self)
                    if kind == .other {
                        if term.unicodeScalars.allSatisfy({ CharClass.of($0.value).contains(.whitespace) }) { continue }
                        kind = .punctuation
                    }
                    let os = chunk.range.lowerBound + Int(nz.foldedStart[a])
                    let oe = chunk.range.lowerBound + Int(nz.foldedEnd[b - 1])
                    tokens.append(AnalyzedToken(term: term, kind: kind, position: tokens.count,
                                                start: scalarIndex[os], end: scalarIndex[oe],
                                                original: String(decoding: units[os..<oe], as: UTF16.self)))
                }
            }
        }
        return Analysis(tokens: tokens, matchText: String(match))
    }
}
