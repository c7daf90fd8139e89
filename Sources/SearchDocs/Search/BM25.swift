import Foundation

/// Okapi BM25 with index-wide statistics.
struct BM25: Sendable {
    var k1: Double = 1.2
    var b: Double = 0.75

    /// Inverse document frequency (Lucene's non-negative form).
    func idf(df: Int, documents: Int) -> Double {
        log(1 + (Double(documents) - Double(df) + 0.5) / (Double(df) + 0.5))
    }

    /// The score of one term or string occurring `tf` times in a document of length `dl`.
    func score(tf: Int, df: Int, documents: Int, dl: Double, avgdl: Double) -> Double {
        let norm = k1 * (1 - b + b * dl / max(avgdl, 1e-9))
        return idf(df: df, documents: documents) * Double(tf) * (k1 + 1) / (Double(tf) + norm)
    }
}
