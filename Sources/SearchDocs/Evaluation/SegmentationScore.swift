/// Word segmentation measured against a gold standard, as the SIGHAN bakeoff scores it: words
/// are compared as character spans, punctuation counts as words, precision, recall and F1.
public struct SegmentationScore: Sendable {
    public var goldWords = 0
    public var systemWords = 0
    public var correct = 0

    public var precision: Double { systemWords == 0 ? 0 : Double(correct) / Double(systemWords) }
    public var recall: Double { goldWords == 0 ? 0 : Double(correct) / Double(goldWords) }
    public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }

    /// Scores the analyzer on gold text: one sentence per line, words separated by spaces.
    public static func measure(gold: String, dictionary: UserDictionary? = nil) throws(AnalysisError) -> SegmentationScore {
        var score = SegmentationScore()
        let analyzer = try DocumentAnalyzer(dictionary: dictionary)
        for line in gold.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            // Gold spans in characters (Unicode scalars) of the unsegmented sentence.
            var goldSpans = Set<Range<Int>>()
            var text = ""
            var at = 0
            for word in line.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" || $0 == "\t" }) {
                let n = word.unicodeScalars.count
                goldSpans.insert(at..<(at + n))
                at += n
                text += word
            }
            guard !goldSpans.isEmpty else { continue }
            // System spans: the analyzer's tokens (words and punctuation), in original characters.
            let units = Array(text.utf16)
            var scalarAt = [Int](repeating: 0, count: units.count + 1)
            var k = 0
            for i in units.indices {
                scalarAt[i] = k
                if units[i] & 0xFC00 != 0xD800 { k += 1 }
            }
            scalarAt[units.count] = k
            var systemSpans: [Range<Int>] = []
            _ = units.withUnsafeBufferPointer { buf in
                analyzer.analyze(buf) { chunk in
                    let nz = chunk.normalizer
                    for s in 0..<chunk.segmentCount {
                        let a = Int(chunk.words.starts[s]), b = Int(chunk.words.ends[s])
                        let os = chunk.range.lowerBound + Int(nz.foldedStart[a])
                        let oe = chunk.range.lowerBound + Int(nz.foldedEnd[b - 1])
                        if os < oe { systemSpans.append(scalarAt[os]..<scalarAt[oe]) }
                    }
                }
            }
            score.goldWords += goldSpans.count
            score.systemWords += systemSpans.count
            score.correct += systemSpans.filter { goldSpans.contains($0) }.count
        }
        return score
    }
}
