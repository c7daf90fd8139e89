/// `searchdocs verify`: reads every file of the current generation whole and checks it.
public enum IndexVerifier {
    /// Problems found, one line each naming the file; empty when the index is sound.
    public static func verify(directory: String) throws(IndexError) -> [String] {
        let manifest: Manifest
        do { manifest = try Manifest.read(directory: directory) } catch let e { return [e.description] }
        var problems: [String] = []
        for s in manifest.segments {
            let reader: SegmentReader
            do { reader = try SegmentReader(path: directory + "/" + s.file, name: s.file) } catch let e {
                problems.append(e.description); continue
            }
            if reader.docCount != s.docCount {
                problems.append("index file \(s.file) holds \(reader.docCount) documents, the manifest says \(s.docCount)")
            }
            for bad in reader.verifySections() {
                problems.append("index file \(s.file) is damaged (section \(bad) checksum mismatch): run searchdocs index --rebuild")
            }
            do {
                for d in 0..<reader.docCount { _ = try reader.doc(d) }
            } catch let e { problems.append(e.description) }
            if let c = s.changes {
                do {
                    let changes = try SegmentChanges.parse(try FileIO.readSmallFile(directory + "/" + c), name: c)
                    if let bad = changes.deleted.first(where: { $0 < 0 || Int($0) >= reader.docCount }) {
                        problems.append("index file \(c) deletes document \(bad), which \(s.file) does not have")
                    }
                } catch let e { problems.append(e.description) }
            }
        }
        if let d = manifest.dictionary {
            do { _ = try IndexWriter.loadDictionary(directory + "/" + d, name: d, checksum: manifest.dictionaryChecksum) } catch let e {
                problems.append(e.description)
            }
        }
        return problems
    }
}
