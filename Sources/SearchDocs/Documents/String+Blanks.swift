extension String {
    /// Without leading and trailing white space (including U+3000 and zero-width spaces).
    func trimmingBlanks() -> String {
        self[...].trimming { s in
            s.properties.isWhitespace || s == "\u{200B}" || s == "\u{FEFF}" || s == "\u{2060}"
        }
    }
}

extension Substring {
    /// Without the leading and trailing scalars that `isBlank` holds.
    func trimming(_ isBlank: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !isBlank($0) }),
              let last = scalars.lastIndex(where: { !isBlank($0) })
        else { return "" }
        return String(scalars[first...last])
    }
}
