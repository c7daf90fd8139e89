#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A fixed set of marker words (`版权所有`, `ICP备` …) looked for in texts by their UTF-8 bytes.
///
/// `matches(_:)` costs one byte search (`memchr`, `memcmp`) per word, much less than `String.contains`, which compares
/// characters; byte search is exact for UTF-8, as no character's encoding occurs inside another's.
struct MarkerSet: Sendable {
    private let words: [[UInt8]]

    /// A set of the given words (empty words are ignored).
    init(_ words: [String]) {
        self.words = words.map { Array($0.utf8) }.filter { !$0.isEmpty }
    }

    /// Whether `text` contains one of the words.
    func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { haystack in
            guard let base = haystack.baseAddress else { return false }
            for word in words where word.count <= haystack.count {
                let found = word.withUnsafeBufferPointer { needle -> Bool in
                    guard let needleBase = needle.baseAddress else { return false }
                    // memchr for the first byte, memcmp for the rest.
                    var position = base
                    var remaining = haystack.count
                    while remaining >= needle.count {
                        guard let hit = memchr(position, Int32(needle[0]), remaining - needle.count + 1) else { return false }
                        let candidate = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self))
                        if memcmp(candidate, needleBase, needle.count) == 0 { return true }
                        let advance = candidate - position + 1
                        position += advance
                        remaining -= advance
                    }
                    return false
                }
                if found { return true }
            }
            return false
        }
    }
}
