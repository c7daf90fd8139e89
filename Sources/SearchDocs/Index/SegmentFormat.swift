/// The byte grammar of a segment file (`*.sds`), all integers little-endian.
///
/// ```
/// segment   := header section* trailer
/// header    := "SDSEG\0\0\0" version:u32 reserved:u32                      (16 bytes)
/// trailer   := (offset:u64 length:u64 crc:u32 pad:u32){9}                   (one per section)
///              docCount:u32 withIndexNumber:u32 totalChars:u64 totalWords:u64
///              trailerCrc:u32 version:u32 "SDSEGEND"                       (256 bytes in all)
/// sections, in order:
///   gramDict     := gramEntry*  sorted by key          gramEntry := key:u64 offset:u64 length:u32 df:u32 postingsCrc:u32 entryCrc:u32
///   gramPostings := per term: (docDelta:varint tf:varint [posBytes:varint posDelta:varint*])*
///                   a key below 2^32 is one character (no positions); above, a character pair (hi<<32|lo) with positions
///   wordDict     := wordEntry*  sorted by UTF-8 bytes  wordEntry := strOffset:u32 strLength:u32 offset:u64 length:u32 df:u32 postingsCrc:u32 entryCrc:u32
///   wordStrings  := UTF-8 bytes of the words
///   wordPostings := per term: (docDelta:varint tf:varint)*
///   docTable     := docRecord*  (88 bytes each, see ``DocRecordLayout``)
///   docStrings   := UTF-8 paths, titles, match-text titles and metadata (`key=value` lines)
///   blockTable   := blockEntry* blockEntry := dataOffset:u64 compressedLength:u32 rawLength:u32 matchStart:u32 state:u32 dataCrc:u32 entryCrc:u32
///   blockData    := zstd frames, one per block of a document's original UTF-8 text
/// ```
/// `docDelta` is the document number minus the previous one minus one (the first: the number).
/// Every entryCrc covers the entry's bytes before it; a word entry's crc also covers its word's bytes,
/// and a doc record's crc its strings.
/// The crc of each section in the trailer is for `searchdocs verify`; queries check the crc of each
/// entry, postings list and block they read.
enum SegmentFormat {
    static let magic: [UInt8] = Array("SDSEG\u{0}\u{0}\u{0}".utf8)
    static let endMagic: [UInt8] = Array("SDSEGEND".utf8)
    /// The format version this build writes and reads.
    static let version: UInt32 = 4
    static let headerSize = 16
    static let trailerSize = 256
    static let gramEntrySize = 32
    static let wordEntrySize = 32
    static let docRecordSize = 88
    static let blockEntrySize = 32
    /// The file name extension of segment files.
    static let fileExtension = "sds"

    enum Section: Int, CaseIterable {
        case gramDict, gramPostings, wordDict, wordStrings, wordPostings, docTable, docStrings, blockTable, blockData
    }
}

/// Byte offsets of the fields of a document record.
enum DocRecordLayout {
    static let pathOffset = 0, pathLength = 4, titleOffset = 8, titleLength = 12
    static let matchTitleOffset = 16, matchTitleLength = 20, charLength = 24, wordCount = 28
    static let titleStart = 32, titleEnd = 36, blockFirst = 40, blockCount = 44
    static let size = 48, mtime = 56, hash = 64, flags = 72, metadataOffset = 76, metadataLength = 80, crc = 84
}
