import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SearchDocs

extension QueryRequest {
    /// `query --stdin`: one query per input line, one JSON line per query (the library builds
    /// it), in order; a malformed query gets an error line and the next line is read.
    /// Exit status 0 when the input is read to its end, 2 when the index fails.
    func runStdin() throws {
        let index = try openOrBuild()
        let opts = searchOptions
        while let line = readLine(strippingNewline: true) {
            do {
                let answer = try JSONLines.answerLine(for: line, in: index, options: opts)
                Output.out(answer + "\n")
            } catch {
                throw fail("\(error)")
            }
        }
    }
}
