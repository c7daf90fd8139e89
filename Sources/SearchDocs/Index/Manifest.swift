/// The small file that names the segments of one committed generation of an index.
///
/// Text, one record per line, replaced atomically on commit (written to a temporary name,
/// fsynced, renamed over `MANIFEST`, directory fsynced):
/// ```
/// searchdocs-manifest
/// format 4
/// generation 7
/// corpus /path/to/corpus
/// started 1732780000123456789
/// dictionary dictionary-7.txt 5e6f7a8b
/// dictionary-source /path/to/names.txt
/// segment seg-7-1a2b-1.sds 812 seg-7-1a2b-1.sds.g9.del
/// segment seg-9-77ff-1.sds 3 -
/// checksum 1a2b3c4d
/// ```
/// `started` is when the run that made this generation began (ns since 1970): files modified at or
/// after it are re-hashed by the next run. Lines of other kinds are skipped (a later build may add
/// some; the checksum tells damage apart). `dictionary` names the copy of the user dictionary
/// the documents were analysed with (absent: none) and its CRC-32 (hex); `dictionary-source`, the
/// file given with `--dict` (``IndexOptions/dictionaryPath``), which later runs read again when
/// they are given none (absent: the corpus folder's own). A segment line names the segment file, its document
/// count, and its deletions file (or `-`). `checksum` is the CRC-32 (hex) of every byte before that line.
struct Manifest: Sendable, Equatable {
    static let fileName = "MANIFEST"
    /// The format of the whole index (manifest and segments) this build writes and reads.
    static let formatVersion = Int(SegmentFormat.version)

    struct Segment: Sendable, Equatable {
        var file: String
        var docCount: Int
        /// The segment's deletions file, if any.
        var changes: String?
    }

    var generation: Int
    var corpus: String
    var segments: [Segment]
    var started: Int64 = 0
    /// The user dictionary file the index was analysed with, if any, and its CRC-32.
    var dictionary: String?
    var dictionaryChecksum: UInt32 = 0
    /// The dictionary file given to an earlier run, read again by runs given none.
    var dictionarySource: String?

    func serialized() -> [UInt8] {
        var text = "searchdocs-manifest\nformat \(Manifest.formatVersion)\ngeneration \(generation)\ncorpus \(corpus)\nstarted \(started)\n"
        if let d = dictionary { text += "dictionary \(d) \(String(dictionaryChecksum, radix: 16))\n" }
        if let source = dictionarySource { text += "dictionary-source \(source)\n" }
        for s in segments { text += "segment \(s.file) \(s.docCount) \(s.changes ?? "-")\n" }
        let body = Array(text.utf8)
        let crc = String(crc32(body), radix: 16)
        return body + Array("checksum \(crc)\n".utf8)
    }

    /// Parses a manifest; `name` is used in error messages. `anyFormat` reads one of another
    /// format version too (for what a rebuild keeps of it: the corpus folder).
    static func parse(_ bytes: [UInt8], name: String = fileName, anyFormat: Bool = false) throws(IndexError) -> Manifest {
        func corrupt(_ d: String) -> IndexError { .corrupt(file: name, detail: d) }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw corrupt("not UTF-8") }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard lines.first == "searchdocs-manifest" else { throw corrupt("not a searchdocs manifest") }
        if !anyFormat, lines.count > 1, lines[1].hasPrefix("format "), let f = Int(lines[1].dropFirst(7)), f != formatVersion {
            throw .formatVersion(found: f, supported: formatVersion)
        }
        guard let last = lines.last, last.hasPrefix("checksum ") else { throw corrupt("checksum missing") }
        let bodyLength = bytes.count - (last.utf8.count + 1)
        guard bodyLength >= 0, String(crc32(Array(bytes[0..<bodyLength])), radix: 16) == String(last.dropFirst(9)) else {
            throw corrupt("checksum mismatch")
        }
        var m = Manifest(generation: 0, corpus: "", segments: [])
        for line in lines.dropFirst().dropLast() {
            // Keep an empty value: an index made without a corpus folder has the line `corpus `.
            let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2 else { throw corrupt("bad line") }
            switch parts[0] {
            case "format": break
            case "generation": m.generation = Int(parts[1]) ?? 0
            case "corpus": m.corpus = parts[1]
            case "started": m.started = Int64(parts[1]) ?? 0
            case "dictionary":
                let f = parts[1].split(separator: " ").map(String.init)
                guard f.count == 2, let crc = UInt32(f[1], radix: 16) else { throw corrupt("bad dictionary line") }
                m.dictionary = f[0]
                m.dictionaryChecksum = crc
            case "dictionary-source": m.dictionarySource = parts[1]
            case "segment":
                let f = parts[1].split(separator: " ").map(String.init)
                guard f.count == 3, let n = Int(f[1]) else { throw corrupt("bad segment line") }
                m.segments.append(Segment(file: f[0], docCount: n, changes: f[2] == "-" ? nil : f[2]))
            // A line a later build added (its checksum held, so it is not damage): what this
            // build does not know it leaves alone, and a later build's index stays readable.
            default: continue
            }
        }
        return m
    }

    /// Reads the manifest of an index directory.
    static func read(directory: String, anyFormat: Bool = false) throws(IndexError) -> Manifest {
        let path = directory + "/" + fileName
        guard FileIO.exists(path) else { throw .missing(directory: directory) }
        return try parse(try FileIO.readSmallFile(path), anyFormat: anyFormat)
    }

    /// Commits this manifest to `directory` atomically: temporary file, fsync, rename, fsync the folder.
    func commit(to directory: String) throws(IndexError) {
        let tmp = directory + "/" + Manifest.fileName + ".tmp"
        try FileIO.writeDurably(serialized(), to: tmp)
        CrashPoint.reached("before-manifest-rename")
        try FileIO.rename(tmp, directory + "/" + Manifest.fileName)
        try FileIO.syncDirectory(directory)
        CrashPoint.reached("after-manifest-rename")
    }

    /// Every file this manifest refers to.
    var files: Set<String> {
        var s = Set<String>()
        for seg in segments { s.insert(seg.file); if let c = seg.changes { s.insert(c) } }
        if let d = dictionary { s.insert(d) }
        return s
    }
}
