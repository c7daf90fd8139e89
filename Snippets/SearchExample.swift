// The example of the README's "Use it from Swift" section: build an index, search it.
import Foundation
import SearchDocs

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("searchdocs-example").path
let writer = try IndexWriter(directory: folder)
try writer.addDocument(path: "notice-1.txt", text: "科技企业孵化器认定通知\n鼎信陇源被认定为市级科技企业孵化器。")
try writer.commit()

let index = try SearchIndex(directory: folder)
let results = try index.search("孵化器", options: SearchOptions(limit: 5))
print("\(results.total) documents match")
for hit in results.hits {
    print(hit.rank, hit.title, hit.path)
    for snippet in hit.snippets { print(SnippetFormatter(style: .defaultMarkers).format(snippet)) }
}
