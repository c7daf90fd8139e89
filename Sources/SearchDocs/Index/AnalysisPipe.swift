#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Hands documents analysed on one thread to a ``SegmentBuilder`` on another, chunk by chunk:
/// re-analysing stored documents (merges, dictionary changes) runs ICU on other threads than the
/// postings. Bounded, so that memory stays flat whatever the documents' size: the
/// producer waits while `capacity` chunks are waiting.
///
/// `@unchecked Sendable`: every field is read and written only while `condition` is locked.
final class AnalysisPipe: @unchecked Sendable {
    enum Item {
        /// A document begins: what it is and its text.
        case start(SourceDocument, SegmentBuilder.PreparedText)
        case chunk(AnalyzedChunk)
        /// The document ends: its match-text length.
        case end(Int)
        /// The producer could not go on.
        case failed(any Error)
    }

    private let condition = Lock()
    private var items: [Item] = []
    private var head = 0
    private var cancelled = false
    private let capacity: Int

    init(capacity: Int = 64) { self.capacity = capacity }

    /// Queues an item, waiting while the pipe is full; false once the consumer has cancelled.
    @discardableResult
    func push(_ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count - head >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// The next item, waiting for it.
    func pop() -> Item {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count { condition.wait() }
        let item = items[head]
        head += 1
        if head >= 256 && head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return item
    }

    /// Tells the producer to stop (its next push returns false).
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}

extension AnalyzedChunk: @unchecked Sendable {}
