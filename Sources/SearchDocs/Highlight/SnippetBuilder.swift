/// Makes snippets for one document: finds the query's strings in the stored text (normalized
/// the way the index was), picks the densest clusters, cuts windows at sentence punctuation, and
/// highlights exactly the original characters that matched.
struct SnippetBuilder {
    let segment: SegmentReader
    let record: DocRecord
    /// The query's strings as match text, and the match-text positions of their hits where the
    /// index gave them.
    var needles: [[UInt32]] = []
    var hints: [Int32] = []
    /// Whether `hints` hold every occurrence of every needle in the document (every part is
    /// exact and of two or more characters): then only the text around them is normalized (see
    /// ``windowed(_:needles:hints:)``).
    var hintsComplete = false
    /// A question's character pairs: highlighted, runs of them as one, where none of the
    /// needles (its words) is found near the best passage (a document that matched by
    /// characters alone, as one holding 科学 and 兰州 for a question naming 中国科学院兰州化物所).
    var passagePairs: [[UInt32]] = []

    /// The most blocks scanned when the index gave no positions (single characters, words).
    static let scanLimit = 48

    func snippets(count: Int, length: Int) throws(IndexError) -> [Snippet] {
        let needles = self.needles.filter { !$0.isEmpty }
        guard count > 0, record.blockCount > 0, !needles.isEmpty else { return [] }
        let first = Int(record.blockFirst), last = first + Int(record.blockCount) - 1
        var found: Region?
        if !hints.isEmpty {
            // The densest run of hits (match positions of exact parts): the most hits within a
            // snippet's length of the first. Only its block is normalized, with a neighbour
            // where the run comes within a snippet's length of the boundary between them.
            let sorted = hints.sorted()
            var bestAt = 0, bestCount = 0, k = 0
            for i in sorted.indices {
                if k < i { k = i }
                while k + 1 < sorted.count && Int(sorted[k + 1]) < Int(sorted[i]) + length { k += 1 }
                if k - i + 1 > bestCount { bestCount = k - i + 1; bestAt = i }
            }
            let runStart = Int(sorted[bestAt]), runEnd = Int(sorted[bestAt + bestCount - 1])
            var starts: [Int] = []
            for b in first...last { starts.append(try segment.blockMatchStart(b)) }
            // The block holding the run's first hit.
            var lo = 0, hi = starts.count
            while lo < hi { let m = (lo + hi) / 2; if starts[m] <= runStart { lo = m + 1 } else { hi = m } }
            var from = max(lo - 1, 0), to = from
            while to + 1 < starts.count && starts[to + 1] <= runEnd { to += 1 }
            if from > 0 && runStart - starts[from] < length { from -= 1 }
            if to + 1 < starts.count && starts[to + 1] - runEnd < length { to += 1 }
            let complete = hintsComplete ? sorted : nil
            found = try region(from: first + from, to: first + to, last: last, needles: needles, hints: complete,
                               orPairs: passagePairs)
            if let r = found, !r.ranges.isEmpty {
                let out = windows(r, count: count, length: length)
                // Too few clusters for the snippets asked: look one block further each way.
                if out.count >= count || (from == 0 && to + 1 == starts.count) { return out }
                let wider = try region(from: first + max(from - 1, 0), to: first + min(to + 1, starts.count - 1),
                                       last: last, needles: needles, hints: complete, orPairs: passagePairs)
                return windows(wider, count: count, length: length)
            }
        }
        if found?.ranges.isEmpty ?? true {
            // No positions (single characters, words), or none found where they pointed: scan
            // block by block. The first block with occurrences gives the snippets where it holds
            // clusters enough (as a common character's does); else its successor joins it.
            var b = first
            while b <= last && b < first + SnippetBuilder.scanLimit {
                let r = try region(from: b, to: b, last: last, needles: needles)
                b += 1
                guard !r.ranges.isEmpty else { continue }
                let out = windows(r, count: count, length: length)
                if out.count >= count || b > last { return out }
                let next = try region(from: b, to: b, last: last, needles: needles)
                return windows(r.followed(by: next), count: count, length: length)
            }
        }
        guard let region = found, !region.ranges.isEmpty else { return [] }
        return windows(region, count: count, length: length)
    }

    /// Consecutive blocks, normalized, with the needles' non-overlapping occurrences.
    struct Region {
        var units: [UInt16]
        /// Matched ranges in `units` (UTF-16 offsets), sorted, not overlapping.
        var ranges: [Range<Int>]
        var atDocumentStart: Bool
        var atDocumentEnd: Bool

        /// This region with the next block's after it (each block is normalized from the state
        /// stored with it, so the two need not be normalized together).
        func followed(by next: Region) -> Region {
            let shift = units.count
            return Region(units: units + next.units,
                          ranges: ranges + next.ranges.map { ($0.lowerBound + shift)..<($0.upperBound + shift) },
                          atDocumentStart: atDocumentStart, atDocumentEnd: next.atDocumentEnd)
        }
    }

    /// Blocks `b...end` of the document as they are laid out for snippets: their UTF-16 end to
    /// end, where each starts in it and its match position (one more of each for the end).
    struct Blocks {
        var units: [UInt16] = []
        var unitStarts: [Int] = []
        var matchStarts: [Int] = []
        var state = MatchTextState()
        var atDocumentEnd = false
    }

    /// `hints`: see ``windowed(_:needles:hints:)``. `orPairs`: what is highlighted, merged where
    /// they touch, when no needle is there.
    private func region(from b: Int, to end: Int, last: Int, needles: [[UInt32]], hints: [Int32]? = nil,
                        orPairs pairs: [[UInt32]] = []) throws(IndexError) -> Region {
        var blocks = Blocks()
        for k in b...end {
            let block = try segment.block(k)
            if k == b { blocks.state = block.state }
            blocks.unitStarts.append(blocks.units.count)
            blocks.matchStarts.append(block.matchStart)
            blocks.units += SnippetBuilder.utf16(block.text)
        }
        blocks.unitStarts.append(blocks.units.count)
        blocks.matchStarts.append(end < last ? try segment.blockMatchStart(end + 1) : Int(record.charLength))
        blocks.atDocumentEnd = end == last
        let ranges: [Range<Int>]
        if let hints, let near = SnippetBuilder.windowed(blocks, needles: needles, hints: hints) {
            ranges = near
        } else {
            var state = blocks.state
            var nz = TextNormalizer()
            blocks.units.withUnsafeBufferPointer { nz.normalize($0, state: &state) }
            if blocks.atDocumentEnd { nz.finish(state: &state) }
            let near = SnippetBuilder.occurrences(of: needles, in: nz)
            if near.isEmpty && !pairs.isEmpty {
                var found: [Range<Int>] = []
                _ = SnippetBuilder.find(pairs, in: nz, offset: 0, into: &found)
                ranges = SnippetBuilder.merged(found)
            } else {
                ranges = near
            }
        }
        return Region(units: blocks.units, ranges: ranges, atDocumentStart: b == Int(record.blockFirst), atDocumentEnd: blocks.atDocumentEnd)
    }

    /// The needles' occurrences in `blocks`, found by normalizing only stretches of text around
    /// the hints (match positions of every occurrence, sorted) instead of the whole blocks; nil
    /// when that does not pay or does not find them all. The same ranges as normalizing the
    /// whole: a stretch starts and ends between two CJK characters that normalization leaves
    /// alone, where the match-text state is known and nothing crosses; and the occurrences
    /// found must be as many as the hints inside the blocks, so none was missed.
    ///
    /// Where a hint is in its block is estimated in proportion (match positions to UTF-16
    /// units, block by block); the stretch around it reaches 8 units plus a 32nd of the block's
    /// length each way, which covers what digits, letters and white space move nearly always.
    static func windowed(_ blocks: Blocks, needles: [[UInt32]], hints: [Int32]) -> [Range<Int>]? {
        let u = blocks.units, n = u.count
        let ms = blocks.matchStarts, us = blocks.unitStarts
        let inside = hints.filter { Int($0) >= ms[0] && Int($0) < ms[ms.count - 1] }
        guard !inside.isEmpty, n > 0 else { return nil }
        let longest = needles.map(\.count).max() ?? 0
        @inline(__always) func plainCJK(_ v: UInt16) -> Bool {
            let c = CharClass.of(UInt32(v))
            return v & 0xF800 != 0xD800 && c.contains(.cjk) && c.contains(.nfkcInert) && !c.contains(.alnum) && !c.contains(.whitespace)
        }
        // Between two plain CJK characters (or at either end of the blocks).
        @inline(__always) func clean(_ i: Int) -> Bool { i == 0 || i == n || (plainCJK(u[i - 1]) && plainCJK(u[i])) }
        var spans: [Range<Int>] = []
        var covered = 0
        var k = 0
        for h in inside {
            while k + 2 < ms.count && ms[k + 1] <= Int(h) { k += 1 }
            let blockUnits = us[k + 1] - us[k]
            let at = us[k] + (Int(h) - ms[k]) * blockUnits / max(ms[k + 1] - ms[k], 1)
            let margin = 8 + blockUnits / 32
            var lo = max(0, at - margin), hi = min(n, at + longest + margin)
            // Not far to a clean edge, or the text is not Chinese enough for stretches to pay
            // (and each hit's walk to one would cost as much as normalizing).
            let edge = max(lo - 64, 0), end = min(hi + 64, n)
            if let l = spans.last, lo <= l.upperBound {
                lo = l.lowerBound
            } else {
                while !clean(lo) && lo > edge { lo -= 1 }
            }
            while !clean(hi) && hi < end { hi += 1 }
            guard clean(lo) && clean(hi) else { return nil }
            // Reaching the stretch before (or, walked, just touching it): that one grows.
            if let l = spans.last, lo <= l.upperBound {
                covered += max(hi, l.upperBound) - l.upperBound
                spans[spans.count - 1] = l.lowerBound..<max(hi, l.upperBound)
            } else {
                covered += hi - lo
                spans.append(lo..<hi)
            }
            // Nearly all of the text anyway: normalize it whole.
            guard covered * 10 < n * 9 else { return nil }
        }
        var nz = TextNormalizer()
        var found: [Range<Int>] = []
        var count = 0
        for span in spans {
            var state = MatchTextState()
            if span.lowerBound == 0 {
                state = blocks.state
            } else {
                // After a CJK character: something was emitted, no letter/digit run is open, no white space pending.
                state.started = true
                state.lastWasCJK = true
            }
            u[span].withUnsafeBufferPointer { nz.normalize($0, state: &state) }
            if span.upperBound == n && blocks.atDocumentEnd { nz.finish(state: &state) }
            count += find(needles, in: nz, offset: span.lowerBound, into: &found)
        }
        guard count == inside.count else { return nil }
        return leftmost(found)
    }

    /// The UTF-16 of UTF-8 text, as `Array(String(decoding: bytes, as: UTF8.self).utf16)` gives it
    /// (without making the string, unless the bytes are not valid UTF-8).
    static func utf16(_ bytes: [UInt8]) -> [UInt16] {
        var valid = true
        // UTF-16 never has more units than UTF-8 has bytes.
        let out = [UInt16](unsafeUninitializedCapacity: bytes.count) { o, written in
            valid = bytes.withUnsafeBufferPointer { b -> Bool in
                let n = b.count
                var i = 0, w = 0
                defer { written = w }
                while i < n {
                    let c = UInt32(b[i])
                    if c < 0x80 {
                        o[w] = UInt16(c); w += 1; i += 1
                    } else if c >= 0xC2 && c < 0xE0 {
                        guard i + 1 < n, b[i + 1] & 0xC0 == 0x80 else { return false }
                        o[w] = UInt16((c & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F)); w += 1; i += 2
                    } else if c >= 0xE0 && c < 0xF0 {
                        guard i + 2 < n, b[i + 1] & 0xC0 == 0x80, b[i + 2] & 0xC0 == 0x80 else { return false }
                        let v = (c & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F)
                        // Overlong forms and surrogates are not valid UTF-8.
                        guard v >= 0x800, v & 0xF800 != 0xD800 else { return false }
                        o[w] = UInt16(v); w += 1; i += 3
                    } else if c >= 0xF0 && c < 0xF5 {
                        guard i + 3 < n, b[i + 1] & 0xC0 == 0x80, b[i + 2] & 0xC0 == 0x80, b[i + 3] & 0xC0 == 0x80 else { return false }
                        let v = (c & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6 | UInt32(b[i + 3] & 0x3F)
                        guard v >= 0x10000, v <= 0x10FFFF else { return false }
                        let x = v - 0x10000
                        o[w] = UInt16(0xD800 | (x >> 10)); o[w + 1] = UInt16(0xDC00 | (x & 0x3FF)); w += 2; i += 4
                    } else {
                        return false
                    }
                }
                return true
            }
        }
        return valid ? out : Array(String(decoding: bytes, as: UTF8.self).utf16)
    }

    /// The needles' occurrences in normalized text, as original UTF-16 ranges: sorted, leftmost
    /// first, not overlapping (the longer wins at the same start).
    static func occurrences(of needles: [[UInt32]], in nz: TextNormalizer) -> [Range<Int>] {
        var found: [Range<Int>] = []
        _ = find(needles, in: nz, offset: 0, into: &found)
        return leftmost(found)
    }

    /// Appends the needles' occurrences in normalized text, as original UTF-16 ranges moved by
    /// `offset` (in no order, overlapping); returns how many occurrences there were (an
    /// occurrence of white space or marks only counts without a range).
    static func find(_ needles: [[UInt32]], in nz: TextNormalizer, offset: Int, into found: inout [Range<Int>]) -> Int {
        var count = 0
        // One pass over the text for all the needles (a question has a dozen); a bit per first
        // code point (mod 64) passes over most positions.
        var firsts: UInt64 = 0
        for needle in needles where !needle.isEmpty { firsts |= 1 << (needle[0] & 63) }
        nz.scalars.withUnsafeBufferPointer { sc in
            nz.originalStart.withUnsafeBufferPointer { os in
                nz.originalEnd.withUnsafeBufferPointer { oe in
                    for i in 0..<sc.count where firsts & (1 << (sc[i] & 63)) != 0 {
                        for needle in needles where needle.first == sc[i] && i + needle.count <= sc.count {
                            let n = needle.count
                            var k = 1
                            while k < n && sc[i + k] == needle[k] { k += 1 }
                            guard k == n else { continue }
                            count += 1
                            var a = i, z = i + n - 1
                            while a < z && sc[a] == MatchText.boundary { a += 1 }
                            while z > a && sc[z] == MatchText.boundary { z -= 1 }
                            let r = (offset + Int(os[a]))..<(offset + Int(oe[z]))
                            if !r.isEmpty { found.append(r) }
                        }
                    }
                }
            }
        }
        return count
    }

    /// Found ranges sorted, leftmost first, without overlaps (the longer wins at the same start).
    static func leftmost(_ found: [Range<Int>]) -> [Range<Int>] {
        let found = found.sorted { $0.lowerBound != $1.lowerBound ? $0.lowerBound < $1.lowerBound : $0.count > $1.count }
        var ranges: [Range<Int>] = []
        for r in found where ranges.last.map({ r.lowerBound >= $0.upperBound }) ?? true { ranges.append(r) }
        return ranges
    }

    /// Found ranges sorted, those that overlap or touch made one.
    static func merged(_ found: [Range<Int>]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        for r in found.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let l = ranges.last, r.lowerBound <= l.upperBound {
                ranges[ranges.count - 1] = l.lowerBound..<max(l.upperBound, r.upperBound)
            } else {
                ranges.append(r)
            }
        }
        return ranges
    }

    private func windows(_ region: Region, count: Int, length: Int) -> [Snippet] {
        let ranges = region.ranges
        var used: [Range<Int>] = []
        var out: [Snippet] = []
        while out.count < count {
            var best: (start: Int, end: Int, n: Int)?
            for i in ranges.indices {
                if used.contains(where: { $0.overlaps(ranges[i]) }) { continue }
                var k = i, n = 0
                while k < ranges.count && ranges[k].upperBound <= ranges[i].lowerBound + length {
                    if used.contains(where: { $0.overlaps(ranges[k]) }) { break }
                    k += 1; n += 1
                }
                if n == 0 { k = i + 1; n = 1 }
                if best == nil || n > best!.n { best = (i, k, n) }
            }
            guard let b = best else { break }
            let window = expand(ranges[b.start].lowerBound..<ranges[b.end - 1].upperBound, in: region, length: length)
            if used.contains(where: { $0.overlaps(window) }) { break }
            used.append(window)
            let inside = ranges.filter { $0.lowerBound >= window.lowerBound && $0.upperBound <= window.upperBound }
            out.append(render(window, highlights: inside, region: region))
        }
        return out
    }

    private static func isSentenceEnd(_ u: UInt16) -> Bool {
        u == 0x3002 || u == 0xFF01 || u == 0xFF1F || u == 0xFF1B || u == 0x21 || u == 0x3F || u == 0x3B || u == 0x0A
    }

    /// Grows a cluster's span to about `length` units, preferring to start after and end at
    /// sentence punctuation.
    private func expand(_ span: Range<Int>, in region: Region, length: Int) -> Range<Int> {
        let n = region.units.count
        let slack = max(0, length - span.count)
        var left = span.lowerBound - slack / 2
        var right = span.upperBound + (slack - slack / 2)
        if left < 0 { right += -left; left = 0 }
        if right > n { left = max(0, left - (right - n)); right = n }
        let u = region.units
        // Start just after the first sentence end before the span.
        if left > 0 {
            var i = left
            while i < span.lowerBound {
                if SnippetBuilder.isSentenceEnd(u[i]) { left = i + 1; break }
                i += 1
            }
        }
        // End just after the last sentence end after the span.
        if right < n {
            var i = right - 1
            while i >= span.upperBound {
                if SnippetBuilder.isSentenceEnd(u[i]) { right = i + 1; break }
                i -= 1
            }
        }
        // Never cut inside a surrogate pair or a run of letters and digits.
        while left > 0 && left < span.lowerBound && (u[left] & 0xFC00 == 0xDC00 || (isAlnum(u[left - 1]) && isAlnum(u[left]))) { left -= 1 }
        while right < n && right > span.upperBound && (u[right] & 0xFC00 == 0xDC00 || (isAlnum(u[right - 1]) && isAlnum(u[right]))) { right += 1 }
        return left..<right
    }

    private func isAlnum(_ u: UInt16) -> Bool {
        u & 0xF800 != 0xD800 && CharClass.of(UInt32(u)).contains(.alnum)
    }

    /// The window's text with runs of white space shown as one space, `…` at mid-sentence cuts,
    /// and the highlights' offsets into that text.
    private func render(_ window: Range<Int>, highlights: [Range<Int>], region: Region) -> Snippet {
        let u = region.units
        let cutLeft = window.lowerBound > 0 ? !SnippetBuilder.isSentenceEnd(u[window.lowerBound - 1]) : !region.atDocumentStart
        let cutRight = window.upperBound < u.count ? !SnippetBuilder.isSentenceEnd(u[window.upperBound - 1]) : !region.atDocumentEnd
        var bytes: [UInt8] = []
        bytes.reserveCapacity(3 * (window.count + 2))
        var scalarCount = 0
        func emit(_ s: Unicode.Scalar) {
            Transcode.appendUTF8(of: s.value, to: &bytes)
            scalarCount += 1
        }
        if cutLeft { emit("…") }
        var marks: [(Int, Int, Int, Int)] = []  // scalar start, scalar end, byte start, byte end
        var h = 0
        var open: (Int, Int)?
        var pendingSpace = false
        var i = window.lowerBound
        while i < window.upperBound {
            if h < highlights.count && open == nil && i == highlights[h].lowerBound {
                if pendingSpace && scalarCount > (cutLeft ? 1 : 0) { emit(" ") }
                pendingSpace = false
                open = (scalarCount, bytes.count)
            }
            var c = UInt32(u[i])
            var step = 1
            if c & 0xFC00 == 0xD800, i + 1 < u.count, u[i + 1] & 0xFC00 == 0xDC00 {
                c = 0x10000 + ((c - 0xD800) << 10) + (UInt32(u[i + 1]) - 0xDC00)
                step = 2
            }
            let scalar = Unicode.Scalar(c) ?? "\u{FFFD}"
            if CharClass.of(c).contains(.whitespace) {
                pendingSpace = true
            } else {
                if pendingSpace && scalarCount > (cutLeft ? 1 : 0) { emit(" ") }
                pendingSpace = false
                emit(scalar)
            }
            i += step
            if let o = open, i >= highlights[h].upperBound {
                marks.append((o.0, scalarCount, o.1, bytes.count))
                open = nil
                h += 1
            }
        }
        if cutRight { emit("…") }
        let text = String(decoding: bytes, as: UTF8.self)
        // Byte offsets are indices of a native string's UTF-8 at no cost, and these fall on scalars.
        let u8 = text.utf8, view = text.unicodeScalars
        let result = marks.map { m -> Highlight in
            let a = u8.index(u8.startIndex, offsetBy: m.2).samePosition(in: view)!
            let b = u8.index(u8.startIndex, offsetBy: m.3).samePosition(in: view)!
            return Highlight(range: a..<b, start: m.0, end: m.1, byteStart: m.2, byteEnd: m.3)
        }
        return Snippet(text: text, highlights: result)
    }
}
