/// The Rice parameters of one postings list (see ``SegmentFormat``): the document gaps' comes
/// from the segment's document count and the term's document frequency; the others are the
/// list's header.
struct PostingsCodes: Equatable {
    /// Document gaps (number minus the previous one minus one).
    var doc = 0
    /// Frequencies minus one (3 bits in the header).
    var tf = 0
    /// A document's first position, and the gaps between its next ones (5 bits each in the
    /// header, for lists with positions).
    var first = 0
    var gap = 0
    /// With positions and df > ``walkedDocs``, the bits of the documents' stream after the header (see
    /// ``SegmentFormat``); else -1.
    var docBits = -1

    static let tfBits = 3, positionBits = 5
    /// Lists with positions of at most this many documents do not say where the unary parts
    /// of their positions start: a reader passes over the documents to find it.
    static let walkedDocs = 32

    /// The parameter of document gaps: ⌊log2(0.69 × documents / df)⌋, the one suited to gaps of
    /// mean documents / df.
    static func docParameter(documents: Int, df: Int) -> Int {
        RiceCode.floorLog2(UInt64(documents) * 11 / (16 * UInt64(max(df, 1))))
    }

    /// Reads the header at the start of a list.
    init(reading r: inout BitReader, documents: Int, df: Int, hasPositions: Bool) throws(ReadError) {
        doc = PostingsCodes.docParameter(documents: documents, df: df)
        tf = Int(try r.read(bits: PostingsCodes.tfBits))
        if hasPositions {
            first = Int(try r.read(bits: PostingsCodes.positionBits))
            gap = Int(try r.read(bits: PostingsCodes.positionBits))
            guard first < 30, gap < 30 else { throw .truncated }
            if df > PostingsCodes.walkedDocs {
                let extra = try r.gamma() - 1
                guard extra < UInt64(Int32.max) else { throw .truncated }
                docBits = leastDocBits(df: df) + Int(extra)
            }
        }
    }

    /// The fewest bits the documents' stream of a list with positions can take: per document
    /// one-bit unary parts and the low parts of its gap, frequency and first position.
    func leastDocBits(df: Int) -> Int { df * (2 + doc + tf + first) }

    init(doc: Int, tf: Int, first: Int, gap: Int) {
        self.doc = doc; self.tf = tf; self.first = first; self.gap = gap
    }

    /// Writes the header (for a list of `df` documents).
    func write(to w: inout BitWriter, hasPositions: Bool, df: Int) {
        w.write(UInt32(tf), bits: PostingsCodes.tfBits)
        if hasPositions {
            w.write(UInt32(first), bits: PostingsCodes.positionBits)
            w.write(UInt32(gap), bits: PostingsCodes.positionBits)
            if df > PostingsCodes.walkedDocs { w.gamma(UInt64(docBits - leastDocBits(df: df) + 1)) }
        }
    }
}

/// Encodes the postings lists of a ``PostingsAccumulator`` in the segment format, one after
/// another in one byte stream: per list its header, then per document its gap, its frequency and
/// (with positions) the low parts of its positions, then (with positions) the unary parts of all
/// positions, all Rice-coded, the list padded to a whole byte.
struct PostingsEncoder: ~Copyable {
    private var writer: BitWriter
    private var unary: BitWriter
    private let documents: Int
    private var lists = DecodedPostings()

    /// An encoder for a segment of `documents`, its output buffer sized for `capacity` bytes (the
    /// accumulated size: growing the buffer would copy it, with both copies in memory at once,
    /// and pages reserved but never written cost no memory).
    init(documents: Int, capacity: Int = 1 << 16) {
        self.documents = documents
        writer = BitWriter(capacity: capacity)
        unary = BitWriter()
    }

    /// The bytes encoded so far (valid until the next ``encode(_:of:)``).
    var bytes: UnsafeRawBufferPointer { writer.bytes }

    /// Encodes the postings of the terms of `postings` in `order`; returns their lengths in
    /// bytes, in that order.
    mutating func encode(_ order: [Int], of postings: borrowing PostingsAccumulator) -> [UInt32] {
        var lengths: [UInt32] = []
        lengths.reserveCapacity(order.count)
        // Terms come in key order, not id order: their states and chunks are loaded ahead.
        let far = 16, near = 6
        for i in order.indices {
            if i + far < order.count { postings.prefetchPostings(order[i + far], near: false) }
            if i + near < order.count { postings.prefetchPostings(order[i + near], near: true) }
            lengths.append(encode(order[i], of: postings))
        }
        return lengths
    }

    /// Encodes the postings of term `t` of `postings`; returns their length in bytes.
    mutating func encode(_ t: Int, of postings: borrowing PostingsAccumulator) -> UInt32 {
        let start = writer.count
        let hasPositions = postings.hasPositions(t)
        postings.decode(t, into: &lists)
        let n = lists.docCount
        let docK = PostingsCodes.docParameter(documents: documents, df: n)
        var bits = 0
        var high: UInt64 = 0
        let gapsK = UInt32(docK)
        for i in 0..<n { high &+= UInt64(lists.docGaps[i] &>> gapsK) }
        bits += Int(high) + n * (1 + docK)
        let tf = RiceCode.parameter(lists.tfs, count: n, minus: 1, maxK: (1 << PostingsCodes.tfBits) - 1,
                                    sum: lists.tfSum - UInt64(n))
        var codes = PostingsCodes(doc: docK, tf: tf.k, first: 0, gap: 0)
        bits += tf.bits
        guard hasPositions else {
            writer.reserve(bits: bits + PostingsCodes.tfBits)
            codes.write(to: &writer, hasPositions: false, df: n)
            let docGaps = lists.docGaps, tfs = lists.tfs, kDoc = codes.doc, kTf = codes.tf
            writer.withSink { w in
                for i in 0..<n {
                    w.rice(docGaps[i], kDoc)
                    w.rice(tfs[i] &- 1, kTf)
                }
            }
            writer.alignToByte()
            return UInt32(writer.count - start)
        }
        let maxK = 29
        let first = RiceCode.parameter(lists.firsts, count: n, maxK: maxK, sum: lists.firstSum)
        let gap = RiceCode.parameter(lists.positionGaps, count: lists.positionGapCount, maxK: maxK, sum: lists.gapSum)
        codes.first = first.k
        codes.gap = gap.k
        let gaps = lists.positionGapCount
        codes.docBits = bits + n * first.k + gaps * gap.k
        writer.reserve(bits: codes.docBits + 2 * PostingsCodes.positionBits + PostingsCodes.tfBits + 80)
        unary.reserve(bits: first.bits + gap.bits - n * first.k - gaps * gap.k)
        codes.write(to: &writer, hasPositions: true, df: n)
        let kDoc = codes.doc, kTf = codes.tf, kFirst = codes.first, kGap = codes.gap
        let lowFirst = UInt32(1) << UInt32(kFirst) - 1, lowGap = UInt32(1) << UInt32(kGap) - 1
        let docGaps = lists.docGaps, tfs = lists.tfs, firsts = lists.firsts, positionGaps = lists.positionGaps
        writer.withSink { w in
            unary.withSink { u in
                var at = 0
                for i in 0..<n {
                    let f = tfs[i]
                    w.rice(docGaps[i], kDoc)
                    w.rice(f &- 1, kTf)
                    let v = firsts[i]
                    w.write(v & lowFirst, bits: kFirst)
                    u.rice(v &>> UInt32(truncatingIfNeeded: kFirst), 0)
                    var j: UInt32 = 1
                    while j < f {
                        let g = positionGaps[at]
                        w.write(g & lowGap, bits: kGap)
                        u.rice(g &>> UInt32(truncatingIfNeeded: kGap), 0)
                        at &+= 1
                        j &+= 1
                    }
                }
            }
        }
        writer.append(&unary)
        writer.alignToByte()
        return UInt32(writer.count - start)
    }
}
