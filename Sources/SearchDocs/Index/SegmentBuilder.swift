import CZstd
#if canImport(Glibc)
import Glibc
#endif

/// A document handed to the index: its text and what identifies its version.
struct SourceDocument: Sendable {
    /// Path relative to the corpus root (or an id chosen by a library caller).
    var path: String
    var text: String
    var size: UInt64
    var modificationTimeNs: Int64
    var contentHash: UInt64
    var flags: UInt32 = 0
    /// The title and its UTF-8 range in `text`, when the reader found one (HTML); else extracted.
    var title: (String, Range<Int>)? = nil
    var metadata = DisclosureMetadata()
}

/// Builds one segment in memory — postings, document table, compressed text blocks — and
/// writes it as a segment file. Owns an analyzer and a compression context: one per thread.
final class SegmentBuilder {
    private let analyzer: DocumentAnalyzer
    private let cctx: OpaquePointer
    private var grams = GramTable(capacity: 1 << 18)
    private var gramPostings = PostingsAccumulator()
    private var words = WordTable(capacity: 1 << 15)
    private var wordPostings = PostingsAccumulator()
    /// Per chunk: its grams' keys and positions, and the ids of its grams, then of its words
    /// (kept to reuse their memory).
    private var gramKeys: [UInt64] = []
    private var gramPositions: [Int32] = []
    private var termIds: [Int32] = []
    private var docTable = ByteWriter()
    private var docStrings = ByteWriter()
    private var blockTable = ByteWriter()
    private var blockData = ByteWriter()
    private var compressBuffer: [UInt8] = []
    /// The UTF-8 of the block being stored (kept to reuse its memory).
    private var blockUTF8: [UInt8] = []
    /// Text blocks kept uncompressed until the text dictionary is trained: their UTF-8 laid end
    /// to end, and per block its length, match start and state.
    private var pendingText: [UInt8] = []
    private var pendingBlocks: [(length: Int, matchStart: UInt32, state: UInt8)] = []
    private var dictionaryTrained = false
    private var textDictionary: [UInt8] = []
    private var cdict: UnsafeMutableRawPointer?
    private var blocksStored: UInt32 = 0
    private(set) var docCount: Int32 = 0
    private(set) var totalChars: UInt64 = 0
    private(set) var totalWords: UInt64 = 0
    /// Documents with a 索引号 (so queries know whether versions can occur).
    private(set) var withIndexNumber: UInt32 = 0
    /// UTF-16 units analysed so far, to decide when to flush.
    private(set) var unitsAdded = 0

    init(dictionary: UserDictionary? = nil, runMemory: RunMemory? = nil) throws(AnalysisError) {
        analyzer = try DocumentAnalyzer(dictionary: dictionary, runMemory: runMemory)
        cctx = OpaquePointer(sd_zstd_cctx_new())
    }

    deinit {
        sd_zstd_cctx_free(UnsafeMutableRawPointer(cctx))
        if let cdict { sd_zstd_cdict_free(cdict) }
    }

    var isEmpty: Bool { docCount == 0 }

    /// A document's text as it is analysed: its title, UTF-16 units and the title's place in them.
    struct PreparedText: @unchecked Sendable {
        var title: String
        var units: [UInt16]
        var titleUTF16: Range<Int>
    }

    /// The title and UTF-16 units of a document (for ``add(_:_:chunks:)``, on any thread).
    static func prepare(_ doc: SourceDocument) -> PreparedText {
        let (title, titleUTF8) = doc.title ?? TitleExtractor.title(of: doc.text)
        let (units, marked) = Transcode.utf16(of: doc.text, marking: titleUTF8)
        let titleUTF16 = titleUTF8.isEmpty ? 0..<0 : marked ?? utf16Range(of: titleUTF8, in: doc.text)
        return PreparedText(title: title, units: units, titleUTF16: titleUTF16)
    }

    /// Analyses and adds one document. Its text is let go once turned into UTF-16 units, which
    /// carry it from there (a caller that hands the document over keeps no copy of a long text
    /// through its analysis).
    func add(_ doc: consuming SourceDocument) {
        var doc = doc
        let prepared = SegmentBuilder.prepare(doc)
        doc.text = ""
        add(doc, prepared) { buf, visit in analyzer.analyze(buf, visit) }
    }

    /// Adds one document whose chunks `chunks` hands to its visitor in order, analysed from the
    /// units of `text` (here or ahead, on another thread); `chunks` returns the match-text length.
    func add(_ doc: SourceDocument, _ text: PreparedText,
             chunks: (UnsafeBufferPointer<UInt16>, (inout AnalyzedChunk) -> Void) -> Int) {
        let docNo = docCount
        let title = text.title, units = text.units, titleUTF16 = text.titleUTF16
        unitsAdded += units.count
        var prev: UInt32 = 0
        var wordCount: UInt32 = 0
        var titleStart = Int32.max, titleEnd: Int32 = 0
        let blockFirst = blocksStored
        var blockCount: UInt32 = 0
        var isNew = false
        // The hot loop works on locals moved out of the object (no copies, no dynamic
        // exclusivity checks on class properties); they are moved back at the end.
        var grams = GramTable(capacity: 1, placeholder: true), gramPostings = PostingsAccumulator(placeholder: true)
        var words = WordTable(capacity: 1), wordPostings = PostingsAccumulator(placeholder: true)
        var gramKeys: [UInt64] = [], gramPositions: [Int32] = [], termIds: [Int32] = []
        swap(&gramKeys, &self.gramKeys); swap(&gramPositions, &self.gramPositions); swap(&termIds, &self.termIds)
        swap(&grams, &self.grams); swap(&gramPostings, &self.gramPostings)
        swap(&words, &self.words); swap(&wordPostings, &self.wordPostings)
        defer {
            swap(&grams, &self.grams); swap(&gramPostings, &self.gramPostings)
            swap(&words, &self.words); swap(&wordPostings, &self.wordPostings)
            swap(&gramKeys, &self.gramKeys); swap(&gramPositions, &self.gramPositions); swap(&termIds, &self.termIds)
        }
        let charLength = units.withUnsafeBufferPointer { buf in
            chunks(buf) { chunk in
                let nz = chunk.normalizer
                let base = chunk.matchStart
                let origin = chunk.range.lowerBound
                // The chunk's grams in order (each code point, then the bigram it ends), then
                // their ids, then their postings: each pass prefetches what its lookups a little
                // further on will touch, so the cache misses of the large tables overlap.
                // At most two grams per code point: the buffers are sized once, then filled.
                let most = 2 * nz.scalars.count
                if gramKeys.count < most {
                    gramKeys = [UInt64](repeating: 0, count: most + most / 2)
                    gramPositions = [Int32](repeating: 0, count: most + most / 2)
                }
                var n = 0
                // Only a chunk that overlaps the title checks where its characters come from.
                let titleHere = chunk.range.overlaps(titleUTF16)
                nz.scalars.withUnsafeBufferPointer { sc in
                    gramKeys.withUnsafeMutableBufferPointer { keys in
                        gramPositions.withUnsafeMutableBufferPointer { ps in
                            for i in 0..<sc.count {
                                let c = sc[i]
                                let pos = Int32(base + i)
                                if c != MatchText.boundary && c != 0x20 {
                                    keys[n] = UInt64(c)
                                    ps[n] = pos
                                    n += 1
                                }
                                if pos > 0 {
                                    keys[n] = UInt64(prev) << 32 | UInt64(c)
                                    ps[n] = pos - 1
                                    n += 1
                                }
                                prev = c
                                if titleHere {
                                    let os = origin + Int(nz.originalStart[i]), oe = origin + Int(nz.originalEnd[i])
                                    if os >= titleUTF16.lowerBound && oe <= titleUTF16.upperBound && oe > os {
                                        titleStart = min(titleStart, pos)
                                        titleEnd = max(titleEnd, pos + 1)
                                    }
                                }
                            }
                        }
                    }
                }
                if termIds.count < n { termIds = [Int32](repeating: 0, count: n + n / 2) }
                let lookahead = 28
                gramKeys.withUnsafeBufferPointer { keys in
                    termIds.withUnsafeMutableBufferPointer { ids in
                        for j in 0..<n {
                            if j + lookahead < n { grams.prefetch(keys[j + lookahead]) }
                            let key = keys[j]
                            let t = grams.id(for: key, isNew: &isNew)
                            if isNew { gramPostings.addTerm(withPositions: key >> 32 != 0) }
                            ids[j] = t
                        }
                    }
                }
                termIds.withUnsafeBufferPointer { ids in
                    gramPositions.withUnsafeBufferPointer { ps in
                        for j in 0..<n {
                            if j + lookahead < n { gramPostings.prefetch(ids[j + lookahead]) }
                            gramPostings.add(ids[j], doc: docNo, pos: ps[j])
                        }
                    }
                }
                gramPostings.spillIfLarge()
                // The words' ids, then their postings (prefetching term states, as for grams).
                if termIds.count < chunk.segmentCount { termIds = [Int32](repeating: 0, count: chunk.segmentCount) }
                var m = 0
                nz.folded.withUnsafeBufferPointer { f in
                    termIds.withUnsafeMutableBufferPointer { ids in
                        for s in 0..<chunk.segmentCount {
                            let kind = WordKind(status: chunk.words.statuses[s])
                            guard kind.isIndexed else { continue }
                            let a = Int(chunk.words.starts[s]), b = Int(chunk.words.ends[s])
                            let t = words.id(for: UnsafeBufferPointer(rebasing: f[a..<b]), isNew: &isNew)
                            if isNew { wordPostings.addTerm(withPositions: false) }
                            ids[m] = t
                            m += 1
                        }
                    }
                }
                termIds.withUnsafeBufferPointer { ids in
                    for j in 0..<m {
                        if j + lookahead < m { wordPostings.prefetch(ids[j + lookahead]) }
                        wordPostings.add(ids[j], doc: docNo, pos: Int32(wordCount))
                        wordCount += 1
                    }
                }
                storeBlock(UnsafeBufferPointer(rebasing: buf[chunk.range]), matchStart: UInt32(base),
                           state: chunk.startState)
                blockCount += 1
            }
        }
        gramPostings.endDocument(docNo)
        wordPostings.endDocument(docNo)
        if titleStart == Int32.max { titleStart = 0; titleEnd = 0 }
        let matchTitle = TextNormalizer.matchString(of: title)
        writeRecord(doc, title: title, matchTitle: matchTitle, charLength: UInt32(charLength),
                    wordCount: wordCount, titleRange: (UInt32(titleStart), UInt32(titleEnd)),
                    blocks: (blockFirst, blockCount))
        docCount += 1
        if !(doc.metadata.indexNumber ?? "").isEmpty { withIndexNumber += 1 }
        totalChars += UInt64(charLength)
        totalWords += UInt64(wordCount)
    }

    private static func utf16Range(of utf8: Range<Int>, in text: String) -> Range<Int> {
        let u8 = text.utf8
        guard utf8.upperBound <= u8.count, !utf8.isEmpty else { return 0..<0 }
        let a = u8.index(u8.startIndex, offsetBy: utf8.lowerBound)
        let b = u8.index(a, offsetBy: utf8.count)
        return a.utf16Offset(in: text)..<b.utf16Offset(in: text)
    }

    private func storeBlock(_ units: UnsafeBufferPointer<UInt16>, matchStart: UInt32, state: MatchTextState) {
        blocksStored += 1
        if !dictionaryTrained {
            let before = pendingText.count
            Transcode.appendUTF8(of: units, to: &pendingText)
            pendingBlocks.append((pendingText.count - before, matchStart, state.byte))
            if pendingText.count >= SegmentFormat.trainingBytes { trainDictionary() }
            return
        }
        var raw: [UInt8] = []
        swap(&raw, &blockUTF8)
        defer { raw.removeAll(keepingCapacity: true); swap(&raw, &blockUTF8) }
        Transcode.appendUTF8(of: units, to: &raw)
        raw.withUnsafeBytes { compress($0, matchStart: matchStart, state: state.byte) }
    }

    /// Trains the text dictionary on the blocks kept so far (when there is enough text), then
    /// compresses them.
    private func trainDictionary() {
        dictionaryTrained = true
        if pendingText.count >= SegmentFormat.minTrainingBytes {
            let capacity = min(SegmentFormat.maxDictionaryBytes, pendingText.count / 16)
            var dict = [UInt8](repeating: 0, count: capacity)
            let sizes = pendingBlocks.map(\.length)
            let n = dict.withUnsafeMutableBytes { d in
                pendingText.withUnsafeBytes { t in
                    sizes.withUnsafeBufferPointer { sd_zdict_train(d.baseAddress, capacity, t.baseAddress, $0.baseAddress, UInt32($0.count)) }
                }
            }
            if n > 0 {
                dict.removeLast(capacity - n)
                cdict = dict.withUnsafeBytes { sd_zstd_cdict_new($0.baseAddress, n, SegmentFormat.textLevel) }
                if cdict != nil { textDictionary = dict }
            }
        }
        var at = 0
        pendingText.withUnsafeBytes { text in
            for b in pendingBlocks {
                compress(UnsafeRawBufferPointer(rebasing: text[at..<(at + b.length)]), matchStart: b.matchStart, state: b.state)
                at += b.length
            }
        }
        pendingText = []
        pendingBlocks = []
    }

    private func compress(_ raw: UnsafeRawBufferPointer, matchStart: UInt32, state: UInt8) {
        let bound = sd_zstd_bound(raw.count)
        if compressBuffer.count < bound { compressBuffer = [UInt8](repeating: 0, count: bound) }
        let n = compressBuffer.withUnsafeMutableBytes { dst in
            if let cdict {
                return sd_zstd_compress_cdict(UnsafeMutableRawPointer(cctx), dst.baseAddress, dst.count, raw.baseAddress, raw.count, cdict)
            }
            return sd_zstd_compress_cctx(UnsafeMutableRawPointer(cctx), dst.baseAddress, dst.count, raw.baseAddress, raw.count,
                                         SegmentFormat.textLevel)
        }
        let offset = UInt64(blockData.count)
        let crc: UInt32
        if n > 0 {
            crc = compressBuffer.withUnsafeBytes { crc32($0.baseAddress!, n) }
            compressBuffer.withUnsafeBytes { blockData.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        } else {
            crc = 0
        }
        var e = ByteWriter(capacity: SegmentFormat.blockEntrySize)
        e.u64(offset)
        e.u32(UInt32(n))
        e.u32(UInt32(raw.count))
        e.u32(matchStart)
        e.u32(UInt32(state))
        e.u32(crc)
        e.u32(crc32(e.bytes))
        blockTable.append(e.bytes)
    }

    private func writeRecord(_ doc: SourceDocument, title: String, matchTitle: String, charLength: UInt32,
                             wordCount: UInt32, titleRange: (UInt32, UInt32), blocks: (UInt32, UInt32)) {
        let path = Array(doc.path.utf8), t = Array(title.utf8), mt = Array(matchTitle.utf8)
        let meta = Array(doc.metadata.serialized.utf8)
        var r = ByteWriter(capacity: SegmentFormat.docRecordSize)
        let strings = [path, t, mt, meta]
        var off = UInt32(docStrings.count)
        var offsets: [(UInt32, UInt32)] = []
        for s in strings {
            offsets.append((off, UInt32(s.count)))
            off += UInt32(s.count)
        }
        for (o, l) in offsets.prefix(3) { r.u32(o); r.u32(l) }
        r.u32(charLength); r.u32(wordCount)
        r.u32(titleRange.0); r.u32(titleRange.1)
        r.u32(blocks.0); r.u32(blocks.1)
        r.u64(doc.size); r.u64(UInt64(bitPattern: doc.modificationTimeNs)); r.u64(doc.contentHash)
        r.u32(doc.flags)
        r.u32(offsets[3].0); r.u32(offsets[3].1)
        var crc = crc32(r.bytes)
        for s in strings { crc = crc32(s, seed: crc); docStrings.append(s) }
        r.u32(crc)
        docTable.append(r.bytes)
    }

    /// Writes the segment to `path` (and fsyncs it), through a buffer: the file is never held
    /// in memory whole. The builder is spent afterwards.
    func write(to path: String) throws(IndexError) {
        if !dictionaryTrained { trainDictionary() }
        let file = try FileSink(path: path)
        var header = ByteWriter(capacity: SegmentFormat.headerSize)
        header.append(SegmentFormat.magic)
        header.u32(SegmentFormat.version)
        header.u32(0)
        file.append(header.bytes)
        var sections: [(UInt64, UInt64, UInt32)] = []
        func section(_ body: () -> Void) {
            file.pad(to: 8)
            let start = file.count
            file.startSection()
            body()
            sections.append((UInt64(start), UInt64(file.count - start), file.sectionCrc))
        }
        // Grams, sorted by key.
        let keys = grams.keys
        let gramOrder = SegmentBuilder.keyOrder(keys)
        var gramLists = PostingsEncoder(documents: Int(docCount), capacity: gramPostings.byteCount + (1 << 16))
        let gramLengths = gramLists.encode(gramOrder, of: gramPostings)
        let gramDict = SegmentBuilder.gramDictionary(gramOrder, keys: keys, lengths: gramLengths, postings: gramPostings)
        gramPostings = PostingsAccumulator(placeholder: true)
        section { file.append(gramDict.blocks.bytes) }
        section { file.append(gramDict.index.bytes) }
        var pages = ByteWriter()
        section { pages = SegmentBuilder.writePostings(gramLists.bytes, to: file) }
        section { file.append(pages.bytes) }
        _ = consume gramLists
        // Words, sorted by UTF-8 bytes.
        let wordUTF8 = (0..<words.count).map { Array(words.word($0).utf8) }
        let wordOrder = SegmentBuilder.byteOrder(wordUTF8)
        var wordLists = PostingsEncoder(documents: Int(docCount), capacity: wordPostings.byteCount + (1 << 16))
        let wordLengths = wordLists.encode(wordOrder, of: wordPostings)
        let wordDict = SegmentBuilder.wordDictionary(wordOrder, words: wordUTF8, lengths: wordLengths, postings: wordPostings)
        wordPostings = PostingsAccumulator(placeholder: true)
        section { file.append(wordDict.blocks.bytes) }
        section { file.append(wordDict.index.bytes) }
        section { pages = SegmentBuilder.writePostings(wordLists.bytes, to: file) }
        section { file.append(pages.bytes) }
        section { file.append(docTable.bytes) }
        section { file.append(docStrings.bytes) }
        section { file.append(blockTable.bytes) }
        section { file.append(blockData.bytes) }
        section { file.append(textDictionary) }
        file.pad(to: 8)
        var trailer = ByteWriter(capacity: SegmentFormat.trailerSize)
        for (o, l, c) in sections { trailer.u64(o); trailer.u64(l); trailer.u32(c); trailer.u32(0) }
        trailer.u32(UInt32(docCount)); trailer.u32(withIndexNumber); trailer.u64(totalChars); trailer.u64(totalWords)
        trailer.u64(UInt64(keys.count)); trailer.u64(UInt64(wordUTF8.count))
        trailer.u32(crc32(trailer.bytes)); trailer.u32(SegmentFormat.version)
        trailer.append(SegmentFormat.endMagic)
        precondition(trailer.count == SegmentFormat.trailerSize)
        file.append(trailer.bytes)
        try file.finish()
    }

    /// The ids of `keys` in ascending key order. Keys are a code point, or two code points
    /// (the first in the high 32 bits): with fewer than 2^22 of them, key and id fit in one
    /// UInt64 and the sort compares plain integers.
    static func keyOrder(_ keys: [UInt64]) -> [Int] {
        let fits = keys.count < 1 << 22 && keys.allSatisfy { $0 >> 32 <= 0x10FFFF && $0 & 0xFFFF_FFFF <= 0x10FFFF }
        guard fits else { return (0..<keys.count).sorted { keys[$0] < keys[$1] } }
        var packed = [UInt64](unsafeUninitializedCapacity: keys.count) { b, n in
            for (id, k) in keys.enumerated() {
                b[id] = ((k >> 32) << 21 | (k & 0x1F_FFFF)) << 22 | UInt64(id)
            }
            n = keys.count
        }
        packed.sort()
        return packed.map { Int($0 & 0x3F_FFFF) }
    }

    /// The ids of `words` in ascending byte order (`lexicographicallyPrecedes`), compared
    /// with `memcmp`.
    static func byteOrder(_ words: [[UInt8]]) -> [Int] {
        (0..<words.count).sorted { a, b in
            words[a].withUnsafeBufferPointer { x in
                words[b].withUnsafeBufferPointer { y in
                    let m = min(x.count, y.count)
                    let c = m == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, m)
                    return c != 0 ? c < 0 : x.count < y.count
                }
            }
        }
    }

    /// The gram dictionary blocks and their index (see ``SegmentFormat``); `lengths` are those
    /// of the encoded postings lists, in `order`.
    private static func gramDictionary(_ order: [Int], keys: [UInt64], lengths: [UInt32], postings: PostingsAccumulator)
        -> (blocks: ByteWriter, index: ByteWriter) {
        var blocks = ByteWriter(capacity: order.count * 5)
        var index = ByteWriter(capacity: order.count / SegmentFormat.gramBlockTerms * SegmentFormat.gramIndexEntrySize + 16)
        var offset: UInt64 = 0
        var i = 0
        while i < order.count {
            let end = min(i + SegmentFormat.gramBlockTerms, order.count)
            let blockStart = blocks.count
            var e = ByteWriter(capacity: SegmentFormat.gramIndexEntrySize)
            e.u64(keys[order[i]]); e.u32(UInt32(blockStart)); e.u32(crc32(e.bytes))
            index.append(e.bytes)
            blocks.varint64(offset)
            var prev = keys[order[i]]
            for k in i..<end {
                let t = order[k]
                let length = Int(lengths[k])
                blocks.varint64(keys[t] - prev)
                prev = keys[t]
                blocks.varint(UInt32(length))
                blocks.varint(postings.df(t))
                offset += UInt64(length)
            }
            let crc = blocks.bytes.withUnsafeBytes { crc32($0.baseAddress! + blockStart, $0.count - blockStart) }
            blocks.u32(crc)
            i = end
        }
        return (blocks, index)
    }

    /// The word dictionary blocks (front-coded words) and their index (see ``SegmentFormat``);
    /// `lengths` are those of the encoded postings lists, in `order`.
    private static func wordDictionary(_ order: [Int], words: [[UInt8]], lengths: [UInt32], postings: PostingsAccumulator)
        -> (blocks: ByteWriter, index: ByteWriter) {
        var blocks = ByteWriter(capacity: order.count * 8)
        var index = ByteWriter()
        var offset: UInt64 = 0
        var i = 0
        while i < order.count {
            let end = min(i + SegmentFormat.wordBlockTerms, order.count)
            let blockStart = blocks.count
            var e = ByteWriter(capacity: SegmentFormat.wordIndexEntrySize)
            e.u32(UInt32(blockStart))
            e.u32(crc32(words[order[i]], seed: crc32(e.bytes)))
            index.append(e.bytes)
            blocks.varint64(offset)
            var prev: [UInt8] = []
            for k in i..<end {
                let t = order[k]
                let w = words[t]
                var shared = 0
                let m = min(prev.count, w.count)
                while shared < m && prev[shared] == w[shared] { shared += 1 }
                blocks.varint(UInt32(shared))
                blocks.varint(UInt32(w.count - shared))
                blocks.append(Array(w[shared...]))
                let length = Int(lengths[k])
                blocks.varint(UInt32(length))
                blocks.varint(postings.df(t))
                offset += UInt64(length)
                prev = w
            }
            let crc = blocks.bytes.withUnsafeBytes { crc32($0.baseAddress! + blockStart, $0.count - blockStart) }
            blocks.u32(crc)
            i = end
        }
        return (blocks, index)
    }

    /// Writes encoded postings lists as one section and returns the crc of each page of them
    /// (the section's crc is combined from those).
    private static func writePostings(_ bytes: UnsafeRawBufferPointer, to file: FileSink) -> ByteWriter {
        var pages = ByteWriter(capacity: (bytes.count / SegmentFormat.pageSize + 1) * 4)
        var sectionCrc: UInt32 = 0
        var at = 0
        while at < bytes.count {
            let n = min(SegmentFormat.pageSize, bytes.count - at)
            let page = UnsafeRawBufferPointer(rebasing: bytes[at..<(at + n)])
            let pageCrc = crc32(page.baseAddress!, n)
            pages.u32(pageCrc)
            sectionCrc = sd_crc32_combine(sectionCrc, pageCrc, n)
            file.append(page, checksummed: false)
            at += n
        }
        file.setSectionCrc(sectionCrc)
        return pages
    }
}
