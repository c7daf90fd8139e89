// The code of the "Getting started" article of the documentation catalog, compiled by every
// build and run by the tests: each code block of the article is a piece of this file.
import Foundation
import SearchDocs

// snippet.hide
let work = FileManager.default.temporaryDirectory
    .appendingPathComponent("searchdocs-getting-started-\(ProcessInfo.processInfo.processIdentifier)")
try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
let folder = work.appendingPathComponent("index").path
let downloaded = work.appendingPathComponent("report.txt").path
try "2024年工作报告\n全年新增众创空间3家，国家级科技企业孵化器1家。\n".write(toFile: downloaded, atomically: true, encoding: .utf8)
// snippet.show
let writer = try IndexWriter(directory: folder)
try writer.addDocument(path: "notices/1.txt", text: """
    关于认定2024年度市级科技企业孵化器的通知
    经评审，鼎信陇源科技企业孵化器被认定为市级科技企业孵化器。
    """)
try writer.addDocument(path: "notices/2.txt", text: """
    张掖市众创空间建设情况
    全市共有众创空间12家，其中国家级备案2家。
    """)
try writer.addDocument(fileAt: downloaded, id: "reports/2024.txt")
try writer.commit()

let index = try SearchIndex(directory: folder)
let results = try index.search("孵化器 OR 众创空间", options: SearchOptions(limit: 10))
print("\(results.total) documents match")
for hit in results.hits {
    print("\(hit.rank). \(hit.title) (\(hit.path))")
    for snippet in hit.snippets {
        for highlight in snippet.highlights {
            print("   \(snippet.text[highlight.range]) at scalars \(highlight.start)..<\(highlight.end)")
        }
    }
}

let mentions = try index.count(.text("鼎信陇源", quoted: true))
print("鼎信陇源 is mentioned in \(mentions) document(s)")

try writer.addDocument(path: "notices/2.txt", text: "张掖市众创空间建设情况\n全市共有众创空间15家。")
writer.deleteDocument(path: "notices/1.txt")
try writer.commit()

let latest = try SearchIndex(directory: folder)
print("孵化器: \(try latest.count("孵化器")) now, \(try index.count("孵化器")) in the first snapshot")

do {
    _ = try index.search("孵化器 \"张掖")
} catch let error as QuerySyntaxError {
    print("\(error.message) at character \(error.column)")
}

let names = ["孵化器", "众创空间", "鼎信陇源"]
let counts = try await withThrowingTaskGroup(of: (String, Int).self) { group in
    for name in names {
        group.addTask { (name, try latest.count(.text(name, quoted: true))) }
    }
    var counts: [String: Int] = [:]
    for try await (name, count) in group { counts[name] = count }
    return counts
}
for name in names { print(name, counts[name] ?? 0) }
// snippet.hide
try FileManager.default.removeItem(at: work)
