import ArgumentParser
import Foundation
import SearchDocs

extension QueryRequest {
    /// `query --stdin`: one query per input line, one JSON line per query (the library builds
    /// it), in order; a malformed query gets an error line and the next line is read.
    /// Exit status 0 when the input is read to its end, 2 when the index fails.
    func runStdin() throws {
        let index = try openOrBuild()
        let opts = pageOptions
        while let line = readLine(strippingNewline: true) {
            do {
                let answer = try JSONLines.answerLine(for: line, in: index, options: opts)
                FileHandle.standardOutput.write(Data((answer + "\n").utf8))
            } catch {
                throw fail("\(error)")
            }
        }
    }
}
