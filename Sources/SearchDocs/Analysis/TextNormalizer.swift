import CICUShim

/// Turns original text into match text (see ``MatchText``), remembering where every match-text
/// code point came from in the original.
///
/// A normalizer owns reusable buffers: keep one per thread and feed it chunk after chunk.
/// Offsets are UTF-16 offsets into the chunk given to ``normalize(_:state:)``.
struct TextNormalizer {
    /// NFKC_Casefold output of the last chunk (UTF-16), which word breaking reads.
    private(set) var folded: [UInt16] = []
    /// For each unit of ``folded``, the original range it came from.
    private(set) var foldedStart: [Int32] = []
    private(set) var foldedEnd: [Int32] = []

    /// The match-text code points of the last chunk.
    private(set) var scalars: [UInt32] = []
    /// For each match-text code point, its original range (empty for boundary marks and for
    /// white space carried over from the previous chunk).
    private(set) var originalStart: [Int32] = []
    private(set) var originalEnd: [Int32] = []

    init() {}

    /// Normalizes one chunk of UTF-16 text, continuing from `state` and updating it.
    /// Call ``finish(state:)`` after the last chunk of a text.
    mutating func normalize(_ text: UnsafeBufferPointer<UInt16>, state: inout MatchTextState) {
        fold(text)
        let n = folded.count
        // A code point emits at most two (an opening or closing boundary mark and itself), or four
        // after white space (closing mark, space, opening mark, itself), and white space emits
        // nothing: at most two per folded unit in all, plus the closing mark of ``finish(state:)``.
        let capacity = 2 * n + 16
        var st = state
        var written = 0
        var starts: [Int32] = [], ends: [Int32] = []
        scalars = [UInt32](unsafeUninitializedCapacity: capacity) { sc, scCount in
            starts = [Int32](unsafeUninitializedCapacity: capacity) { os, osCount in
                ends = [Int32](unsafeUninitializedCapacity: capacity) { oe, oeCount in
                    written = TextNormalizer.matchText(folded: folded, foldedStart: foldedStart, foldedEnd: foldedEnd,
                                                       state: &st, scalars: sc, starts: os, ends: oe)
                    oeCount = written
                }
                osCount = written
            }
            scCount = written
        }
        originalStart = starts
        originalEnd = ends
        state = st
    }

    /// The match text of folded text (see ``normalize(_:state:)``), written to buffers of at
    /// least 2 × count + 16 elements; returns how many were written.
    private static func matchText(folded: [UInt16], foldedStart: [Int32], foldedEnd: [Int32], state: inout MatchTextState,
                                  scalars sc: UnsafeMutableBufferPointer<UInt32>, starts os: UnsafeMutableBufferPointer<Int32>,
                                  ends oe: UnsafeMutableBufferPointer<Int32>) -> Int {
        var w = 0
        @inline(__always) func emit(_ c: UInt32, _ s: Int32, _ e: Int32) {
            precondition(w < sc.count, "match text longer than its bound")
            sc[w] = c; os[w] = s; oe[w] = e; w += 1
        }
        var pendingStart: Int32 = 0
        var pendingEnd: Int32 = 0
        var lastEnd: Int32 = 0
        folded.withUnsafeBufferPointer { f in
            foldedStart.withUnsafeBufferPointer { fs in
                foldedEnd.withUnsafeBufferPointer { fe in
                    let n = f.count
                    var i = 0
                    while i < n {
                        var c = UInt32(f[i])
                        let start = fs[i]
                        var end = fe[i]
                        if c & 0xFC00 == 0xD800, i + 1 < n, f[i + 1] & 0xFC00 == 0xDC00 {
                            c = 0x10000 + ((c - 0xD800) << 10) + (UInt32(f[i + 1]) - 0xDC00)
                            end = fe[i + 1]
                            i += 2
                        } else {
                            i += 1
                        }
                        let cls = CharClass.of(c)
                        if cls.contains(.whitespace) {
                            if !state.pendingSpace { pendingStart = start }
                            pendingEnd = end
                            state.pendingSpace = true
                            continue
                        }
                        let isAlnum = cls.contains(.alnum)
                        if state.inAlnumRun && (!isAlnum || state.pendingSpace) {
                            emit(MatchText.boundary, lastEnd, lastEnd)
                            state.inAlnumRun = false
                        }
                        if state.pendingSpace {
                            if state.started && !state.lastWasCJK && !cls.contains(.cjk) {
                                emit(0x20, pendingStart, pendingEnd)
                            }
                            state.pendingSpace = false
                            pendingStart = start; pendingEnd = start
                        }
                        if isAlnum && !state.inAlnumRun {
                            emit(MatchText.boundary, start, start)
                            state.inAlnumRun = true
                        }
                        emit(c, start, end)
                        lastEnd = end
                        state.started = true
                        state.lastWasCJK = cls.contains(.cjk)
                    }
                }
            }
        }
        return w
    }

    /// Ends a text: closes an open letter/digit run. Appends to the last chunk's output.
    mutating func finish(state: inout MatchTextState) {
        if state.inAlnumRun {
            let end = originalEnd.last ?? 0
            append(MatchText.boundary, end, end)
            state.inAlnumRun = false
        }
        state.pendingSpace = false
    }

    @inline(__always)
    private mutating func append(_ c: UInt32, _ s: Int32, _ e: Int32) {
        scalars.append(c); originalStart.append(s); originalEnd.append(e)
    }

    /// NFKC_Casefold of the chunk into ``folded`` with its map back to the original.
    mutating func fold(_ text: UnsafeBufferPointer<UInt16>) {
        var cap = text.count + text.count / 4 + 16
        while true {
            if folded.count < cap {
                folded = [UInt16](repeating: 0, count: cap)
                foldedStart = [Int32](repeating: 0, count: cap)
                foldedEnd = [Int32](repeating: 0, count: cap)
            }
            let written: Int32 = folded.withUnsafeMutableBufferPointer { d in
                foldedStart.withUnsafeMutableBufferPointer { ms in
                    foldedEnd.withUnsafeMutableBufferPointer { me in
                        sd_nfkc_cf(text.baseAddress, Int32(text.count), d.baseAddress, Int32(d.count),
                                   ms.baseAddress, me.baseAddress)
                    }
                }
            }
            if written >= 0 {
                folded.removeSubrange(Int(written)...)
                foldedStart.removeSubrange(Int(written)...)
                foldedEnd.removeSubrange(Int(written)...)
                return
            }
            if written == -1 {
                // ICU failed (it does not for valid UTF-16): fall back to the text itself.
                folded = Array(text)
                foldedStart = (0..<Int32(text.count)).map { $0 }
                foldedEnd = (1...Int32(max(1, text.count))).map { $0 }
                foldedEnd.removeSubrange(text.count...)
                return
            }
            cap = Int(-written - 2) + 16
        }
    }
}

extension TextNormalizer {
    /// The match text of a whole string, as code points (convenience for queries and oracles).
    static func matchScalars(of text: String) -> [UInt32] {
        var normalizer = TextNormalizer()
        var state = MatchTextState()
        let units = Array(text.utf16)
        units.withUnsafeBufferPointer { normalizer.normalize($0, state: &state) }
        normalizer.finish(state: &state)
        return normalizer.scalars
    }

    /// The NFKC_Casefold (and traditional-folded) form of a string, as UTF-16.
    public static func folded(of text: String) -> [UInt16] {
        var normalizer = TextNormalizer()
        let units = Array(text.utf16)
        units.withUnsafeBufferPointer { normalizer.fold($0) }
        return normalizer.folded
    }

    /// The match text of a whole string as a String (boundary marks included).
    static func matchString(of text: String) -> String {
        var s = String.UnicodeScalarView()
        for c in matchScalars(of: text) { if let u = Unicode.Scalar(c) { s.append(u) } }
        return String(s)
    }
}
