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

    static let tfBits = 3, positionBits = 5

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
        }
    }

    init(doc: Int, tf: Int, first: Int, gap: Int) {
        self.doc = doc; self.tf = tf; self.first = first; self.gap = gap
    }

    /// Writes the header.
    func write(to w: inout BitWriter, hasPositions: Bool) {
        w.write(UInt32(tf), bits: PostingsCodes.tfBits)
        if hasPositions {
            w.write(UInt32(first), bits: PostingsCodes.positionBits)
            w.write(UInt32(gap), bits: PostingsCodes.positionBits)
        }
    }
}

/// Encodes the postings lists of a ``PostingsAccumulator`` in the segment format, one after
/// another in one byte stream: per list its header, then per document its gap, its frequency and
/// (with positions) its positions, all Rice-coded, the list padded to a whole byte.
struct PostingsEncoder: ~Copyable {
    private var writer: BitWriter
    private let documents: Int
    private var lists = DecodedPostings()

    /// An encoder for a segment of `documents` documents.
    init(documents: Int) {
        self.documents = documents
        writer = BitWriter()
    }

    /// The bytes encoded so far (valid until the next ``encode(_:of:)``).
    var bytes: UnsafeRawBufferPointer { writer.bytes }

    /// Encodes the postings of term `t` of `postings`; returns their length in bytes.
    mutating func encode(_ t: Int, of postings: borrowing PostingsAccumulator) -> UInt32 {
        let start = writer.count
        let hasPositions = postings.hasPositions(t)
        postings.decode(t, into: &lists)
        let n = lists.docCount
        let docK = PostingsCodes.docParameter(documents: documents, df: n)
        var bits = 0
        for i in 0..<n { bits += RiceCode.cost(lists.docGaps[i], docK) }
        let tf = RiceCode.parameter(lists.tfs, count: n, minus: 1, maxK: (1 << PostingsCodes.tfBits) - 1)
        var codes = PostingsCodes(doc: docK, tf: tf.k, first: 0, gap: 0)
        bits += tf.bits + PostingsCodes.tfBits
        if hasPositions {
            let maxK = 29
            let first = RiceCode.parameter(lists.firsts, count: n, maxK: maxK)
            let gap = RiceCode.parameter(lists.positionGaps, count: lists.positionGapCount, maxK: maxK)
            codes.first = first.k
            codes.gap = gap.k
            bits += first.bits + gap.bits + 2 * PostingsCodes.positionBits
        }
        writer.reserve(bits: bits)
        codes.write(to: &writer, hasPositions: hasPositions)
        var at = 0
        for i in 0..<n {
            let f = lists.tfs[i]
            writer.rice(lists.docGaps[i], codes.doc)
            writer.rice(f - 1, codes.tf)
            if hasPositions {
                writer.rice(lists.firsts[i], codes.first)
                for _ in 1..<f {
                    writer.rice(lists.positionGaps[at], codes.gap)
                    at += 1
                }
            }
        }
        writer.alignToByte()
        return UInt32(writer.count - start)
    }
}
