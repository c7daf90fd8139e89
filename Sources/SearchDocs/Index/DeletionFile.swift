/// Per-segment changes that do not rewrite the segment: deleted documents (tombstones) and
/// renamed documents. Write-once: each commit that changes them writes a new file.
///
/// ```
/// deletions := "SDDEL\0\0\0" version:u32 deletedCount:u32 docNo:u32{deletedCount}
///              renameCount:u32 (docNo:u32 size:u64 mtimeNs:u64 pathLength:u32 path:UTF-8){renameCount}
///              crc:u32                                     (CRC-32 of everything before it)
/// ```
struct SegmentChanges: Sendable, Equatable {
    /// A document that moved to another path with the same content.
    struct Rename: Sendable, Equatable {
        var path: String
        var size: UInt64
        var modificationTimeNs: Int64
    }

    static let magic: [UInt8] = Array("SDDEL\u{0}\u{0}\u{0}".utf8)
    static let fileExtension = "del"

    var deleted: Set<Int32> = []
    var renamed: [Int32: Rename] = [:]

    var isEmpty: Bool { deleted.isEmpty && renamed.isEmpty }

    func serialized() -> [UInt8] {
        var w = ByteWriter()
        w.append(SegmentChanges.magic)
        w.u32(SegmentFormat.version)
        let d = deleted.sorted()
        w.u32(UInt32(d.count))
        for x in d { w.u32(UInt32(x)) }
        let r = renamed.keys.sorted()
        w.u32(UInt32(r.count))
        for k in r {
            let v = renamed[k]!
            let p = Array(v.path.utf8)
            w.u32(UInt32(k)); w.u64(v.size); w.u64(UInt64(bitPattern: v.modificationTimeNs))
            w.u32(UInt32(p.count)); w.append(p)
        }
        w.u32(crc32(w.bytes))
        return w.bytes
    }

    static func parse(_ bytes: [UInt8], name: String) throws(IndexError) -> SegmentChanges {
        func corrupt(_ d: String) -> IndexError { .corrupt(file: name, detail: d) }
        guard bytes.count >= 20, Array(bytes[0..<8]) == magic else { throw corrupt("not a deletions file") }
        let body = Array(bytes[0..<(bytes.count - 4)])
        let n = bytes.count
        let stored = UInt32(bytes[n - 4]) | UInt32(bytes[n - 3]) << 8 | UInt32(bytes[n - 2]) << 16 | UInt32(bytes[n - 1]) << 24
        guard crc32(body) == stored else { throw corrupt("checksum mismatch") }
        func u32(_ at: Int) -> UInt32 {
            UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
        }
        func u64(_ at: Int) -> UInt64 { UInt64(u32(at)) | UInt64(u32(at + 4)) << 32 }
        var at = 8
        func need(_ n: Int) throws(IndexError) { if at + n > body.count { throw corrupt("truncated") } }
        try need(8)
        let version = u32(at); at += 4
        guard version == SegmentFormat.version else {
            throw .formatVersion(found: Int(version), supported: Int(SegmentFormat.version))
        }
        var c = SegmentChanges()
        let dc = Int(u32(at)); at += 4
        try need(dc * 4)
        for i in 0..<dc { c.deleted.insert(Int32(bitPattern: u32(at + 4 * i))) }
        at += dc * 4
        try need(4)
        let rc = Int(u32(at)); at += 4
        for _ in 0..<rc {
            try need(24)
            let doc = Int32(bitPattern: u32(at)), size = u64(at + 4)
            let mtime = Int64(bitPattern: u64(at + 12)), pl = Int(u32(at + 20))
            at += 24
            try need(pl)
            let path = String(decoding: bytes[at..<(at + pl)], as: UTF8.self)
            at += pl
            c.renamed[doc] = Rename(path: path, size: size, modificationTimeNs: mtime)
        }
        return c
    }
}

/// A segment as one snapshot sees it: the immutable file plus its deletions and renames.
final class LiveSegment: Sendable {
    let reader: SegmentReader
    let changes: SegmentChanges
    /// The deletions file name, if any.
    let changesFile: String?
    /// Deleted[i] for each document number.
    private let deletedBits: [Bool]
    let liveCount: Int
    let liveChars: UInt64
    let liveWords: UInt64

    init(reader: SegmentReader, changes: SegmentChanges, changesFile: String?) throws(IndexError) {
        self.reader = reader
        self.changes = changes
        self.changesFile = changesFile
        var bits = [Bool](repeating: false, count: reader.docCount)
        var chars = reader.totalChars, words = reader.totalWords
        for d in changes.deleted {
            guard d >= 0 && Int(d) < reader.docCount else {
                throw IndexError.corrupt(file: changesFile ?? reader.name, detail: "deleted document out of range")
            }
            bits[Int(d)] = true
            let r = try reader.docFacts(Int(d))
            chars -= UInt64(r.charLength)
            words -= UInt64(r.wordCount)
        }
        deletedBits = bits
        liveCount = reader.docCount - changes.deleted.count
        liveChars = chars
        liveWords = words
    }

    var name: String { reader.name }

    @inline(__always) func isDeleted(_ doc: Int32) -> Bool { deletedBits[Int(doc)] }

    /// A document's record with its rename applied (checked as ``SegmentReader/doc(_:checked:)`` says).
    func doc(_ i: Int, checked: Bool = true) throws(IndexError) -> DocRecord {
        var r = try reader.doc(i, checked: checked)
        if let rn = changes.renamed[Int32(i)] {
            r.path = rn.path
            r.size = rn.size
            r.modificationTimeNs = rn.modificationTimeNs
        }
        return r
    }
}
