import CSQLite
import Foundation
import SearchDocs

/// A SQLite connection (the system's libsqlite3).
final class SQLiteDB {
    let handle: OpaquePointer

    init(path: String, readOnly: Bool = false) throws {
        var db: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            if let db { sqlite3_close_v2(db) }
            throw BenchError("sqlite3_open_v2 failed (\(rc))")
        }
        handle = db
    }

    deinit { sqlite3_close_v2(handle) }

    var lastError: String { String(cString: sqlite3_errmsg(handle)) }

    func exec(_ sql: String) throws {
        guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else { throw BenchError("SQLite: \(lastError) in \(sql)") }
    }

    func prepare(_ sql: String) throws -> Statement {
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &stmt, nil) == SQLITE_OK, let stmt else {
            throw BenchError("SQLite: \(lastError) in \(sql)")
        }
        return Statement(stmt, db: self)
    }

    /// The first column of the first row of `sql`, as an integer.
    func scalar(_ sql: String) throws -> Int64 {
        let s = try prepare(sql)
        return try s.step() ? s.int64(0) : 0
    }

    static var version: String { String(cString: sqlite3_libversion()) }
}

/// A prepared statement.
final class Statement {
    let handle: OpaquePointer
    let db: SQLiteDB

    init(_ handle: OpaquePointer, db: SQLiteDB) { self.handle = handle; self.db = db }
    deinit { sqlite3_finalize(handle) }

    func bind(_ index: Int32, _ text: String) {
        // SQLITE_TRANSIENT: SQLite copies the text.
        sqlite3_bind_text(handle, index, text, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
    }

    func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(handle, index, value) }

    /// Steps once; true when a row is ready.
    func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw BenchError("SQLite: \(db.lastError)")
        }
    }

    func reset() { sqlite3_reset(handle); sqlite3_clear_bindings(handle) }
    func int64(_ col: Int32) -> Int64 { sqlite3_column_int64(handle, col) }
    func text(_ col: Int32) -> String {
        guard let p = sqlite3_column_text(handle, col) else { return "" }
        return String(cString: p)
    }
}

/// The FTS5 side of the comparison: one table `docs(path UNINDEXED, body)` with the trigram tokenizer.
enum FTS5 {
    static let createTable = "CREATE VIRTUAL TABLE docs USING fts5(path UNINDEXED, body, tokenize='trigram')"

    /// Builds the database from the corpus folder: the child-process entry point
    /// (`searchdocs-bench --fts5-build CORPUS DB`), so that its time and memory are its own.
    /// Prints the number of documents inserted.
    static func build(corpus: String, database: String) throws {
        let files = try CorpusScanner().scan(root: corpus, warn: { _ in })
        let reader = DocumentReader()
        let db = try SQLiteDB(path: database)
        try db.exec(createTable)
        try db.exec("BEGIN")
        let insert = try db.prepare("INSERT INTO docs(path, body) VALUES (?1, ?2)")
        var count = 0
        for f in files {
            guard let text = try? reader.readText(at: corpus + "/" + f.relativePath) else { continue }
            insert.bind(1, f.relativePath)
            insert.bind(2, text)
            _ = try insert.step()
            insert.reset()
            count += 1
        }
        try db.exec("COMMIT")
        print(count)
    }

    /// Inserts documents in one transaction (the FTS5 analogue of adding documents to an index).
    static func add(_ docs: [(path: String, file: String)], to db: SQLiteDB) throws {
        let reader = DocumentReader()
        try db.exec("BEGIN")
        let insert = try db.prepare("INSERT INTO docs(path, body) VALUES (?1, ?2)")
        for d in docs {
            let text = try reader.readText(at: d.file)
            insert.bind(1, d.path)
            insert.bind(2, text)
            _ = try insert.step()
            insert.reset()
        }
        try db.exec("COMMIT")
    }

    /// Bytes per table and index of the database (through the dbstat table), largest first.
    static func components(of db: SQLiteDB) -> [(name: String, bytes: Int)] {
        guard let s = try? db.prepare("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC") else { return [] }
        var out: [(String, Int)] = []
        while (try? s.step()) == true { out.append((s.text(0), Int(s.int64(1)))) }
        return out
    }
}

/// A keyword query translated for FTS5: parts of 3 or more characters become MATCH phrases
/// (ANDed), shorter parts an `instr(body, part) > 0` condition (trigram MATCH cannot serve them).
struct FTSKeywordQuery {
    var match: String?
    var instrParts: [String]

    init(_ line: String) {
        var phrases: [String] = []
        var short: [String] = []
        for p in line.split(whereSeparator: { $0.isWhitespace }).map(String.init) {
            if p.unicodeScalars.count >= 3 { phrases.append(FTSKeywordQuery.phrase(p)) } else { short.append(p) }
        }
        match = phrases.isEmpty ? nil : phrases.joined(separator: " AND ")
        instrParts = short
    }

    static func phrase(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// How the query runs: `match`, `instr` (a full scan) or `match+instr`.
    var method: String {
        switch (match != nil, !instrParts.isEmpty) {
        case (true, false): return "MATCH"
        case (false, true): return "instr scan"
        default: return "MATCH + instr"
        }
    }

    /// The top 10 (ranked by FTS5's bm25 when there is a MATCH part) and the total count in one
    /// statement, as searchdocs returns them. Parameters: ?1 the MATCH expression (when any),
    /// then the instr parts.
    var sql: String { sql(literal: false) }

    /// The statement with the values written into it, for the sqlite3 command line.
    var literalSQL: String { sql(literal: true) }

    private func sql(literal: Bool) -> String {
        func lit(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }
        var conds: [String] = []
        var n: Int32 = 0
        if let m = match { n += 1; conds.append("docs MATCH " + (literal ? lit(m) : "?\(n)")) }
        for p in instrParts { n += 1; conds.append("instr(body, " + (literal ? lit(p) : "?\(n)") + ") > 0") }
        return "SELECT rowid, path, count(*) OVER () FROM docs WHERE " + conds.joined(separator: " AND ")
            + (match != nil ? " ORDER BY rank" : "") + " LIMIT 10"
    }

    func bind(_ s: Statement) {
        var n: Int32 = 0
        if let m = match { n += 1; s.bind(n, m) }
        for p in instrParts { n += 1; s.bind(n, p) }
    }
}

/// A natural question for FTS5: the OR of the distinct trigrams of its letter and digit runs,
/// ranked by bm25 (trigram MATCH has no other way to take a question that is not a substring).
struct FTSQuestionQuery {
    var match: String?

    init(_ question: String) {
        var grams: [String] = []
        var seen = Set<String>()
        var run: [Unicode.Scalar] = []
        func flush() {
            if run.count >= 3 {
                for i in 0...(run.count - 3) {
                    var g = String.UnicodeScalarView()
                    g.append(contentsOf: run[i..<(i + 3)])
                    let s = String(g)
                    if seen.insert(s).inserted { grams.append(FTSKeywordQuery.phrase(s)) }
                }
            }
            run.removeAll()
        }
        for u in question.unicodeScalars {
            if u.properties.isAlphabetic || u.properties.numericType != nil { run.append(u) } else { flush() }
        }
        flush()
        match = grams.isEmpty ? nil : grams.joined(separator: " OR ")
    }

    static let sql = "SELECT rowid, path, count(*) OVER () FROM docs WHERE docs MATCH ?1 ORDER BY rank LIMIT 10"
}
