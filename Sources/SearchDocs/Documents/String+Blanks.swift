extension String {
    /// Without leading and trailing white space (including U+3000 and zero-width spaces).
    func trimmingBlanks() -> String {
        let scalars = unicodeScalars
        func blank(_ s: Unicode.Scalar) -> Bool {
            s.properties.isWhitespace || s == "\u{200B}" || s == "\u{FEFF}" || s == "\u{2060}"
        }
        guard let first = scalars.firstIndex(where: { !blank($0) }),
              let last = scalars.lastIndex(where: { !blank($0) })
        else { return "" }
        return String(scalars[first...last])
    }
}
