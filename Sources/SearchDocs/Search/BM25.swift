#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        score(tf: tf, idf: idf(df: df, documents: documents), dl: dl, avgdl: avgdl)
    }

    /// The same with the inverse document frequency computed once for many documents.
    @inline(__always) func score(tf: Int, idf: Double, dl: Double, avgdl: Double) -> Double {
        let norm = k1 * (1 - b + b * dl / max(avgdl, 1e-9))
        return idf * Double(tf) * (k1 + 1) / (Double(tf) + norm)
    }

    /// Scoring for one average length, its constants worked out once: no division for the
    /// length normalization (for the long loops of the question ranker).
    struct Scorer {
        private let base: Double, perUnit: Double, kPlusOne: Double

        init(_ bm25: BM25, avgdl: Double) {
            base = bm25.k1 * (1 - bm25.b)
            perUnit = bm25.k1 * bm25.b / max(avgdl, 1e-9)
            kPlusOne = bm25.k1 + 1
        }

        /// ``BM25/score(tf:idf:dl:avgdl:)`` (equal up to rounding).
        @inline(__always) func score(tf: Int32, idf: Double, dl: Double) -> Double {
            let t = Double(tf)
            return idf * t * kPlusOne / (t + base + perUnit * dl)
        }
    }
}
