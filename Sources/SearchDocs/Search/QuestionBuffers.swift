import Synchronization

/// The large arrays of one question's ranking: evidence per document, the pairs' decoded
/// postings, the words' live postings (in an index with deletions), candidates and the leading
/// candidates' occurrences.
///
/// `@unchecked Sendable`: a ``QuestionBufferPool`` hands it to one ranking at a time.
final class QuestionBuffers: @unchecked Sendable {
    /// Evidence per document, in memory of its own: the hot loops write it through a pointer
    /// (an array's element update checks that the array is not shared, every time).
    private var evidence = UnsafeMutableBufferPointer<QuestionRanker.Evidence>(start: nil, count: 0)
    var postings: [QuestionRanker.PairPosting] = []
    var wordPostings: [QuestionRanker.WordPosting] = []
    var candidates: [QuestionRanker.Candidate] = []
    var occurrences: [Int64] = []

    deinit { evidence.deallocate() }

    /// `count` evidence slots, zeroed; valid until the next call.
    func zeroedEvidence(_ count: Int) -> UnsafeMutableBufferPointer<QuestionRanker.Evidence> {
        if evidence.count < count {
            evidence.deallocate()
            evidence = .allocate(capacity: count)
        }
        let slots = UnsafeMutableBufferPointer(rebasing: evidence[0..<count])
        slots.initialize(repeating: QuestionRanker.Evidence())
        return slots
    }

    /// The bytes the arrays hold on to.
    var capacityBytes: Int {
        evidence.count * MemoryLayout<QuestionRanker.Evidence>.stride
            + postings.capacity * MemoryLayout<QuestionRanker.PairPosting>.stride
            + wordPostings.capacity * MemoryLayout<QuestionRanker.WordPosting>.stride
            + candidates.capacity * MemoryLayout<QuestionRanker.Candidate>.stride
            + occurrences.capacity * 8
    }
}

/// Keeps a few ``QuestionBuffers`` of an open index for the questions to come. A question over
/// thousands of documents fills a few hundred KB to a few MB of arrays; allocated afresh for
/// every question, their pages are faulted in every time (a fifth of a warm question's time).
final class QuestionBufferPool: Sendable {
    private let free = Mutex<[QuestionBuffers]>([])
    /// How many buffers are kept (one per thread that ranks questions at the same time).
    static let kept = 4
    /// The most bytes all kept buffers may hold together (a huge index lets its largest go).
    static let keptBytes = 64 << 20

    /// Buffers kept from an earlier question, or new ones.
    func take() -> QuestionBuffers {
        free.withLock { $0.popLast() } ?? QuestionBuffers()
    }

    /// Returns buffers (emptied, their capacity kept) for the next question.
    func give(_ buffers: QuestionBuffers) {
        let bytes = buffers.capacityBytes
        free.withLock { kept in
            let held = kept.reduce(0) { $0 + $1.capacityBytes }
            if kept.count < QuestionBufferPool.kept && held + bytes <= QuestionBufferPool.keptBytes { kept.append(buffers) }
        }
    }
}
