import Foundation
import XCTest
@testable import SearchDocs
import TestSupport

/// Flips one byte in each kind of index file and in each section of a segment: `verify` names the
/// damaged file (exit 2); a query that reads the damaged bytes exits 2 with one line naming the
/// file, and no query answers differently from the sound index; `index --rebuild` recovers.
final class CorruptionTests: XCTestCase {
    /// Where to flip a byte, and the queries that must read it.
    struct Damage {
        var what: String
        var file: String
        var offset: Int
        var failingQueries: [String] = []
    }

    func testAFlippedByteIsReportedNamingTheFileAndRebuildRecovers() throws {
        guard let docs = try SharedData.documents(of: "smart-city-policies") else { return }
        let root = try temporaryFolder(self, "corruption")
        let corpus = root.appendingPathComponent("corpus")
        let fm = FileManager.default
        try fm.createDirectory(at: corpus, withIntermediateDirectories: true)
        for d in docs.prefix(40) { try fm.createSymbolicLink(at: corpus.appendingPathComponent(d.lastPathComponent), withDestinationURL: d) }
        // A user dictionary, which the index keeps a copy of.
        let dictionary = corpus.appendingPathComponent(IndexWriter.corpusDictionary)
        try fm.createDirectory(at: dictionary.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "智慧城市\n数据要素\n".write(to: dictionary, atomically: true, encoding: .utf8)
        // A segment per indexing thread (too few to be merged), then a deletion, a rename and a change: deletions files.
        let sound = root.appendingPathComponent("sound")
        let first = try SearchDocsProcess.run(["index", corpus.path, "--index", sound.path, "--flush-documents", "40"], in: root)
        XCTAssertEqual(first.status, 0, first.stderr)
        let names = docs.prefix(40).map(\.lastPathComponent)
        try fm.removeItem(at: corpus.appendingPathComponent(names[0]))
        try fm.moveItem(at: corpus.appendingPathComponent(names[1]), to: corpus.appendingPathComponent("renamed.txt"))
        try fm.removeItem(at: corpus.appendingPathComponent(names[2]))
        try (try String(contentsOf: docs[2], encoding: .utf8) + "\n补充：本条已修订。\n")
            .write(to: corpus.appendingPathComponent(names[2]), atomically: false, encoding: .utf8)
        let second = try SearchDocsProcess.run(["index", "--index", sound.path], in: root)
        XCTAssertTrue(second.stdout.hasPrefix("+0 added, ~1 changed, -1 removed, 1 renamed, 37 unchanged ("), second.stdout + second.stderr)

        // The segment to damage: one of the first run's, with a deletions file.
        let index = try SearchIndex(directory: sound.path)
        XCTAssertGreaterThanOrEqual(index.segments.count, 2)
        let seg = try XCTUnwrap(index.segments.first { $0.changesFile != nil && !$0.changes.deleted.isEmpty })
        let delFile = try XCTUnwrap(seg.changesFile)
        let dictionaryCopy = try XCTUnwrap(Manifest.read(directory: sound.path).dictionary)
        let segBytes = try [UInt8](Data(contentsOf: sound.appendingPathComponent(seg.name)))
        let layout = SegmentLayout(segBytes)

        // A live document of that segment, a run of six ideographs from its first text block, and
        // the character pair, word and block a query for them reads.
        let doc = try XCTUnwrap((0..<seg.reader.docCount).first { !seg.isDeleted(Int32($0)) })
        let rec = try seg.doc(doc)
        let firstBlock = String(decoding: try seg.reader.block(Int(rec.blockFirst)).text, as: UTF8.self)
        let probe = try XCTUnwrap(ideographs(6, in: TextNormalizer.matchString(of: firstBlock)))
        let pair = String(probe.prefix(2))
        let pairScalars = pair.unicodeScalars.map(\.value)
        let pairEntry = try XCTUnwrap(layout.gramEntry(key: UInt64(pairScalars[0]) << 32 | UInt64(pairScalars[1]), in: segBytes))
        // Two words of that block, which together occur nowhere as written: matched by words.
        let entries = Dictionary(layout.wordEntries(in: segBytes).map { ($0.word, $0) }, uniquingKeysWith: { a, _ in a })
        let words = try contentWords(of: firstBlock).filter { w in
            let ideographs = w.unicodeScalars.count >= 2 && w.unicodeScalars.allSatisfy { (0x4E00...0x9FFF).contains($0.value) }
            return ideographs && entries[w] != nil && (try? contentWords(of: w)) == [w]
        }
        XCTAssertGreaterThanOrEqual(words.count, 2)
        let word = try XCTUnwrap(entries[words[0]])
        let wordQuery = "\(words[0])，\(words[words.count - 1])"
        let blockEntry = layout.sections[.blockTable].offset + Int(rec.blockFirst) * SegmentFormat.blockEntrySize
        let blockData = layout.sections[.blockData].offset + Int(u64(segBytes, blockEntry))
        let blockLength = Int(u32(segBytes, blockEntry + 8))
        let docRecord = layout.sections[.docTable].offset + doc * SegmentFormat.docRecordSize

        let queries = ["\"\(probe)\"", "\"\(pair)\"", wordQuery, "智慧城市", "数据 -平台", "title:建设"]
        var soundAnswers: [String: SearchDocsProcess.Result] = [:]
        for q in queries {
            let r = try SearchDocsProcess.run(["query", q, "--index", sound.path], in: root)
            XCTAssertEqual(r.status, 0, "\(q): \(r.stderr)")
            soundAnswers[q] = r
        }
        XCTAssertTrue(soundAnswers["\"\(probe)\""]!.stdout.contains(rec.path), "the probe finds its document")
        XCTAssertTrue(soundAnswers[wordQuery]!.stdout.contains("(matched by words)"), soundAnswers[wordQuery]!.stdout)

        var damages: [Damage] = [
            Damage(what: "segment header", file: seg.name, offset: 2, failingQueries: queries),
            Damage(what: "segment trailer", file: seg.name, offset: layout.trailerStart + 3, failingQueries: queries),
            Damage(what: "character-pair dictionary entry", file: seg.name, offset: pairEntry.entryOffset,
                   failingQueries: ["\"\(pair)\""]),
            Damage(what: "character-pair postings", file: seg.name, offset: pairEntry.postingsOffset + pairEntry.postingsLength / 2,
                   failingQueries: ["\"\(pair)\"", "\"\(probe)\""]),
            Damage(what: "word postings", file: seg.name, offset: word.postingsOffset + word.postingsLength / 2,
                   failingQueries: [wordQuery]),
            Damage(what: "word string", file: seg.name, offset: word.stringOffset + word.stringLength - 1,
                   failingQueries: [wordQuery]),
            Damage(what: "document record of a hit", file: seg.name, offset: docRecord + 50, failingQueries: ["\"\(probe)\""]),
            Damage(what: "text block of a hit", file: seg.name, offset: blockData + blockLength / 2, failingQueries: ["\"\(probe)\""]),
            Damage(what: "deletions file", file: delFile, offset: 13, failingQueries: queries),
            Damage(what: "manifest", file: "MANIFEST", offset: 30, failingQueries: queries),
            // A continuation byte of the first term: still UTF-8, another character.
            Damage(what: "dictionary copy", file: dictionaryCopy, offset: 2, failingQueries: queries),
        ]
        for s in SegmentFormat.Section.allCases {
            let (o, l) = layout.sections[s]
            XCTAssertGreaterThan(l, 0, "\(s) is empty")
            damages.append(Damage(what: "middle of section \(s)", file: seg.name, offset: o + l / 2))
        }

        var rebuilt = Set<String>()
        for (n, damage) in damages.enumerated() {
            let dir = root.appendingPathComponent("damaged-\(n)")
            try fm.copyItem(at: sound, to: dir)
            let file = dir.appendingPathComponent(damage.file)
            var bytes = try [UInt8](Data(contentsOf: file))
            bytes[damage.offset] ^= 0x10
            try Data(bytes).write(to: file)

            let verify = try SearchDocsProcess.run(["verify", "--index", dir.path], in: root)
            XCTAssertEqual(verify.status, 2, "\(damage.what): verify passed")
            XCTAssertTrue(verify.stderr.contains("index file \(damage.file) "), "\(damage.what): \(verify.stderr)")

            for q in queries {
                let r = try SearchDocsProcess.run(["query", q, "--index", dir.path], in: root)
                if r.status == 2 {
                    XCTAssertEqual(r.stdout, "", "\(damage.what), \(q)")
                    XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "\(damage.what), \(q): \(r.stderr)")
                    XCTAssertTrue(r.stderr.hasPrefix("searchdocs: index file \(damage.file) is damaged"), "\(damage.what), \(q): \(r.stderr)")
                } else {
                    XCTAssertFalse(damage.failingQueries.contains(q), "\(damage.what): \(q) did not report the damage")
                    XCTAssertEqual(r.status, soundAnswers[q]!.status, "\(damage.what), \(q): \(r.stderr)")
                    XCTAssertEqual(r.stdout, soundAnswers[q]!.stdout, "\(damage.what), \(q): a different answer")
                }
            }

            // A rebuild recovers (once per kind of file: it reads none of the old files). A damaged
            // manifest no longer knows the corpus: it is named on the command line.
            guard !rebuilt.contains(damage.file) else { try fm.removeItem(at: dir); continue }
            rebuilt.insert(damage.file)
            let rebuild = try SearchDocsProcess.run(["index", "--rebuild", "--index", dir.path]
                                                    + (damage.file == "MANIFEST" ? [corpus.path] : []), in: root)
            XCTAssertEqual(rebuild.status, 0, "\(damage.what): \(rebuild.stderr)")
            let reverify = try SearchDocsProcess.run(["verify", "--index", dir.path], in: root)
            XCTAssertEqual(reverify.status, 0, "\(damage.what): \(reverify.stderr)")
            for q in queries {
                let r = try SearchDocsProcess.run(["query", q, "--index", dir.path], in: root)
                XCTAssertEqual(r.stdout, soundAnswers[q]!.stdout, "\(damage.what), after the rebuild: \(q)")
            }
            try fm.removeItem(at: dir)
        }
    }

    func testRebuildOfADamagedOrOlderManifest() throws {
        let root = try temporaryFolder(self, "corruption")
        let corpus = root.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        try "城市大脑建设方案。".write(to: corpus.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try SearchDocsProcess.run(["index", "corpus", "--index", "idx"], in: root).status, 0)
        let manifest = root.appendingPathComponent("idx/MANIFEST")
        var bytes = try [UInt8](Data(contentsOf: manifest))
        bytes[30] ^= 0x10
        try Data(bytes).write(to: manifest)
        let r = try SearchDocsProcess.run(["index", "--rebuild", "--index", "idx"], in: root)
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "searchdocs: index file MANIFEST is damaged (checksum mismatch): name the corpus folder to rebuild (searchdocs index CORPUS --rebuild)\n")
        XCTAssertEqual(try SearchDocsProcess.run(["index", "corpus", "--rebuild", "--index", "idx"], in: root).status, 0)
        XCTAssertEqual(try SearchDocsProcess.run(["query", "城市大脑", "--index", "idx"], in: root).status, 0)

        // An index of another format version is rebuilt from the folder its manifest names.
        let text = try String(contentsOf: manifest, encoding: .utf8)
        var body = text.split(separator: "\n").dropLast().joined(separator: "\n") + "\n"
        body = body.replacingOccurrences(of: "\nformat \(Manifest.formatVersion)\n", with: "\nformat 1\n")
        try (body + "checksum \(String(crc32(Array(body.utf8)), radix: 16))\n").write(to: manifest, atomically: true, encoding: .utf8)
        let old = try SearchDocsProcess.run(["query", "城市大脑", "--index", "idx"], in: root)
        XCTAssertEqual(old.status, 2)
        XCTAssertEqual(old.stderr, "searchdocs: index format 1, this build reads \(Manifest.formatVersion): run searchdocs index --rebuild\n")
        let rebuilt = try SearchDocsProcess.run(["index", "--rebuild", "--index", "idx"], in: root)
        XCTAssertEqual(rebuilt.status, 0, rebuilt.stderr)
        XCTAssertEqual(try SearchDocsProcess.run(["query", "城市大脑", "--index", "idx"], in: root).status, 0)
    }

    /// The indexed words of a text that are not stop words, as the question ranker takes them.
    private func contentWords(of text: String) throws -> [String] {
        try Analysis.of(text).tokens.filter { $0.kind.isIndexed && !StopWords.contains($0.term) }.map(\.term)
    }

    private func ideographs(_ n: Int, in text: String) -> String? {
        var run: [Unicode.Scalar] = []
        for s in text.unicodeScalars {
            if (0x4E00...0x9FFF).contains(s.value) { run.append(s) } else { run = [] }
            if run.count == n { return String(String.UnicodeScalarView(run)) }
        }
        return nil
    }
}

private func u32(_ b: [UInt8], _ at: Int) -> UInt32 {
    UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
}

private func u64(_ b: [UInt8], _ at: Int) -> UInt64 { UInt64(u32(b, at)) | UInt64(u32(b, at + 4)) << 32 }

/// Where things are in a segment file, read from its trailer (see ``SegmentFormat``).
struct SegmentLayout {
    struct Sections {
        var all: [(offset: Int, length: Int)]
        subscript(_ s: SegmentFormat.Section) -> (offset: Int, length: Int) { all[s.rawValue] }
    }

    struct GramEntry { var entryOffset: Int, postingsOffset: Int, postingsLength: Int }
    struct WordEntry { var word: String, stringOffset: Int, stringLength: Int, postingsOffset: Int, postingsLength: Int }

    let trailerStart: Int
    let sections: Sections

    init(_ bytes: [UInt8]) {
        trailerStart = bytes.count - SegmentFormat.trailerSize
        sections = Sections(all: SegmentFormat.Section.allCases.map { s in
            let at = bytes.count - SegmentFormat.trailerSize + s.rawValue * 24
            return (Int(u64(bytes, at)), Int(u64(bytes, at + 8)))
        })
    }

    /// The dictionary entry of a character or character pair (its offset: where its key delta is).
    func gramEntry(key: UInt64, in bytes: [UInt8]) -> GramEntry? {
        let (o, l) = sections[.gramDict]
        let (io, il) = sections[.gramIndex]
        let blocks = stride(from: io, to: io + il, by: SegmentFormat.gramIndexEntrySize).map { (u64(bytes, $0), Int(u32(bytes, $0 + 8))) }
        for (n, (firstKey, start)) in blocks.enumerated() {
            let end = n + 1 < blocks.count ? blocks[n + 1].1 : l
            var at = o + start
            var offset = varint(bytes, &at)
            var k = firstKey
            while at < o + end - 4 {
                let entry = at
                k += varint(bytes, &at)
                let length = Int(varint(bytes, &at))
                _ = varint(bytes, &at)
                if k == key {
                    return GramEntry(entryOffset: entry, postingsOffset: sections[.gramPostings].offset + Int(offset),
                                     postingsLength: length)
                }
                offset += UInt64(length)
            }
        }
        return nil
    }

    /// Every word of the word dictionary, in order (its string: the bytes stored for it after the
    /// prefix it shares with the word before).
    func wordEntries(in bytes: [UInt8]) -> [WordEntry] {
        let (o, l) = sections[.wordDict]
        let (io, il) = sections[.wordIndex]
        let starts = stride(from: io, to: io + il, by: SegmentFormat.wordIndexEntrySize).map { Int(u32(bytes, $0)) }
        var out: [WordEntry] = []
        for (n, start) in starts.enumerated() {
            let end = n + 1 < starts.count ? starts[n + 1] : l
            var at = o + start
            var offset = varint(bytes, &at)
            var word: [UInt8] = []
            while at < o + end - 4 {
                let shared = Int(varint(bytes, &at)), suffix = Int(varint(bytes, &at))
                word = Array(word.prefix(shared)) + bytes[at..<(at + suffix)]
                let stringOffset = at
                at += suffix
                let length = Int(varint(bytes, &at))
                _ = varint(bytes, &at)
                out.append(WordEntry(word: String(decoding: word, as: UTF8.self), stringOffset: stringOffset, stringLength: suffix,
                                     postingsOffset: sections[.wordPostings].offset + Int(offset), postingsLength: length))
                offset += UInt64(length)
            }
        }
        return out
    }
}

private func varint(_ b: [UInt8], _ at: inout Int) -> UInt64 {
    var v: UInt64 = 0, shift: UInt64 = 0
    while true {
        let x = b[at]
        at += 1
        v |= UInt64(x & 0x7F) << shift
        if x < 0x80 { return v }
        shift += 7
    }
}
