/// The byte grammar of a segment file (`*.sds`), all integers little-endian.
///
/// ```
/// segment   := header section* trailer
/// header    := "SDSEG\0\0\0" version:u32 reserved:u32                      (16 bytes)
/// trailer   := (offset:u64 length:u64 crc:u32 pad:u32){13}                  (one per section)
///              docCount:u32 withIndexNumber:u32 totalChars:u64 totalWords:u64
///              gramTerms:u64 wordTerms:u64
///              trailerCrc:u32 version:u32 "SDSEGEND"                       (368 bytes in all)
/// sections, in order:
///   gramDict     := gramBlock*  (up to 64 terms each, sorted by key)
///                   gramBlock := firstOffset:varint (keyDelta:varint length:varint df:varint)* blockCrc:u32
///   gramIndex    := (firstKey:u64 blockOffset:u32 entryCrc:u32)*  one per gramBlock
///   gramPostings := per term a bit stream, padded with zero bits to a whole byte:
///                   characters: kTf:3 (docGap:rice(kDoc) tfMinusOne:rice(kTf))*
///                   pairs:      kTf:3 kFirst:5 kGap:5 [docBitsExtra:gamma if df > 32]
///                               (docGap:rice(kDoc) tfMinusOne:rice(kTf) firstLow:kFirst gapLow:kGap{tf-1})*
///                               (firstHigh:unary gapHigh:unary{tf-1})*
///                   a key below 2^32 is one character (no positions); above, a character pair (hi<<32|lo) with positions
///   gramPages    := crc:u32 per 1,024-byte page of gramPostings (the last page may be shorter)
///   wordDict     := wordBlock*  (up to 32 terms each, sorted by UTF-8 bytes)
///                   wordBlock := firstOffset:varint (shared:varint suffixLength:varint suffix:UTF-8 length:varint df:varint)* blockCrc:u32
///   wordIndex    := (blockOffset:u32 entryCrc:u32)*  one per wordBlock
///   wordPostings := per term, as gramPostings without positions: kTf:3 (docGap:rice(kDoc) tfMinusOne:rice(kTf))*
///   wordPages    := crc:u32 per 1,024-byte page of wordPostings
///   docTable     := docRecord*  (88 bytes each, see ``DocRecordLayout``)
///   docStrings   := UTF-8 paths, titles, match-text titles and metadata (`key=value` lines)
///   blockTable   := blockEntry* blockEntry := dataOffset:u64 compressedLength:u32 rawLength:u32 matchStart:u32 state:u32 dataCrc:u32 entryCrc:u32
///   blockData    := zstd frames, one per block of a document's original UTF-8 text
///   textDict     := a zstd dictionary the frames are compressed with, trained on the segment's
///                   first blocks (empty: none, the frames stand alone)
/// ```
/// A dictionary block's terms are delta coded: `firstOffset` is where the block's first postings
/// list starts in the postings section and each next list follows the previous one (offsets are
/// sums of lengths); a gram key is the previous key plus `keyDelta` (the first: `firstKey` of the
/// block's index entry plus its delta, 0); a word shares `shared` leading bytes with the previous
/// word of its block (the first shares none). `blockCrc` covers the block's bytes before it. A
/// gram index entry's crc covers its first 12 bytes; a word index entry's crc covers its
/// `blockOffset` and the bytes of its block's first word. Lookups binary-search the index, then
/// decode one block.
///
/// Postings are bit streams: bit `i` of a list is bit `i % 8` of its byte `i / 8` (least
/// significant first), and the next list starts at the next byte. `unary` codes a number `q` as `q`
/// zero bits then a one bit; `rice(k)` codes a value `v` (below 2^30) as `v >> k` in unary, then
/// the low `k` bits of `v`, least significant first; `gamma` codes a number `m ≥ 1` as ⌊log2 m⌋ in
/// unary, then the low ⌊log2 m⌋ bits of `m`, least significant first. A list starts with its
/// parameters, each an unsigned number least significant bit first: `kTf` (0–7), and for character
/// pairs `kFirst` and `kGap` (0–29); the writer picks, for each kind of value, the one of three
/// parameters around ⌊log2(0.69 × mean)⌋ that codes the list's values in the fewest bits. `kDoc` is
/// not stored: it is ⌊log2(⌊11 × docCount / (16 × df)⌋)⌋ (0 when that is 0), with `docCount` the
/// segment's and `df` the term's from the dictionary. Then, per document (`df` of them): `docGap`,
/// the document number minus the previous one minus one (the first: the number); `tfMinusOne`, the
/// occurrences minus one. A character pair's positions are the document's first position and
/// `tf − 1` gaps, each position minus the previous one, Rice-coded with `kFirst` and `kGap` but split:
/// each document's low parts (`kFirst` bits, then `kGap` bits per gap) follow its `tfMinusOne`, so
/// that moving past a document skips a known number of bits, and the unary parts of all the list's
/// positions follow the last document, in the same order. With `df > 32`, `docBitsExtra` says where
/// they start: the bits of the documents (from after `docBitsExtra` up to the first unary part) are
/// `df × (2 + kDoc + kTf + kFirst) + docBitsExtra − 1`; with `df ≤ 32` they start right after the
/// last document.
///
/// The crc of each section in the trailer is for `searchdocs verify`; queries check the crc of
/// each index entry, dictionary block, postings page, document record and text block they read,
/// and of the text dictionary when they first decompress a block.
enum SegmentFormat {
    static let magic: [UInt8] = Array("SDSEG\u{0}\u{0}\u{0}".utf8)
    static let endMagic: [UInt8] = Array("SDSEGEND".utf8)
    /// The format version this build writes and reads.
    static let version: UInt32 = 6
    static let headerSize = 16
    static let trailerSize = Section.allCases.count * 24 + 40 + 16
    static let gramIndexEntrySize = 16
    static let wordIndexEntrySize = 8
    /// Terms per dictionary block.
    static let gramBlockTerms = 64
    static let wordBlockTerms = 32
    /// Postings are checked in pages of this many bytes.
    static let pageSize = 1024
    static let docRecordSize = 88
    static let blockEntrySize = 32
    /// The zstd level of text blocks.
    static let textLevel: Int32 = 3
    /// A text dictionary is trained once this many bytes of text are in a builder (or at the
    /// write, from what there is, down to ``minTrainingBytes``), at most 1/16 of them in size.
    static let trainingBytes = 1 << 20
    static let minTrainingBytes = 64 << 10
    static let maxDictionaryBytes = 64 << 10
    /// The file name extension of segment files.
    static let fileExtension = "sds"

    enum Section: Int, CaseIterable {
        case gramDict, gramIndex, gramPostings, gramPages, wordDict, wordIndex, wordPostings, wordPages
        case docTable, docStrings, blockTable, blockData, textDict
    }
}

/// Byte offsets of the fields of a document record.
enum DocRecordLayout {
    static let pathOffset = 0, pathLength = 4, titleOffset = 8, titleLength = 12
    static let matchTitleOffset = 16, matchTitleLength = 20, charLength = 24, wordCount = 28
    static let titleStart = 32, titleEnd = 36, blockFirst = 40, blockCount = 44
    static let size = 48, mtime = 56, hash = 64, flags = 72, metadataOffset = 76, metadataLength = 80, crc = 84
}
