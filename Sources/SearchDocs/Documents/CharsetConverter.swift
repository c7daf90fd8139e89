import CICUShim

/// Strict conversions between bytes in a named charset and Swift strings, and charset detection,
/// through ICU's `ucnv` and `ucsdet` (the `CICUCharset` shim).
///
/// Conversions never substitute: an illegal, truncated or unmapped sequence makes them fail.
enum CharsetConverter {
    /// One guess of ICU's charset detector.
    struct Candidate: Equatable, Sendable {
        /// ICU's charset name (`GB18030`, `Big5`, `UTF-8`, `ISO-8859-1` …).
        var name: String
        /// ICU's confidence, 0–100.
        var confidence: Int
    }

    /// Why a conversion failed.
    enum Failure: Error, Equatable {
        /// ICU has no converter of that name.
        case unknownCharset
        /// An illegal, truncated or unmapped sequence at this offset (bytes when decoding,
        /// UTF-16 units when encoding).
        case illegalSequence(offset: Int)
        /// Another ICU error.
        case failed
    }

    /// ICU's candidates for the charset of `bytes`, best first. With `stripMarkup`, text between
    /// `<` and `>` is ignored (for HTML). Only the first `limit` bytes are examined.
    static func detect(_ bytes: ArraySlice<UInt8>, stripMarkup: Bool, limit: Int = 64 << 10) -> [Candidate] {
        let sample = bytes.prefix(limit)
        guard !sample.isEmpty else { return [] }
        let cap = 16
        var names = [CChar](repeating: 0, count: cap * Int(SD_CHARSET_NAME_CAP))
        var confidences = [Int32](repeating: 0, count: cap)
        let found = sample.withUnsafeBufferPointer { input in
            sd_charset_detect(input.baseAddress, Int32(input.count), stripMarkup ? 1 : 0,
                              &names, &confidences, Int32(cap))
        }
        guard found > 0 else { return [] }
        return (0..<Int(found)).map { i in
            let start = i * Int(SD_CHARSET_NAME_CAP)
            let raw = names[start..<(start + Int(SD_CHARSET_NAME_CAP))]
            let bytes = raw.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }
            return Candidate(name: String(decoding: bytes, as: UTF8.self), confidence: Int(confidences[i]))
        }
    }

    /// Decodes `bytes` in `charset` strictly; returns the text and ICU's name of the converter used.
    static func decode(_ bytes: ArraySlice<UInt8>, charset: String) -> Result<(text: String, charset: String), Failure> {
        guard bytes.count < Int(Int32.max) / 2 else { return .failure(.failed) }
        var capacity = bytes.count + 16
        var canonical = [CChar](repeating: 0, count: Int(SD_CHARSET_NAME_CAP))
        while true {
            var errorOffset: Int32 = 0
            var units = [UInt16](repeating: 0, count: capacity)
            let written = bytes.withUnsafeBufferPointer { input in
                units.withUnsafeMutableBufferPointer { output in
                    sd_charset_to_utf16(charset, input.baseAddress, Int32(input.count),
                                        output.baseAddress, Int32(output.count), &errorOffset, &canonical)
                }
            }
            switch written {
            case Int32(SD_CHARSET_OVERFLOW) where capacity < Int(Int32.max) / 4:
                capacity *= 2
                continue
            case Int32(SD_CHARSET_UNKNOWN):
                return .failure(.unknownCharset)
            case Int32(SD_CHARSET_ILLEGAL):
                return .failure(.illegalSequence(offset: Int(errorOffset)))
            case ..<0:
                return .failure(.failed)
            default:
                let name = String(decoding: canonical.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) },
                                  as: UTF8.self)
                // ICU never produces unpaired surrogates from a strict conversion; `decoding:`
                // would replace them, so check rather than trust.
                guard let text = String(validating: units[..<Int(written)], as: UTF16.self) else {
                    return .failure(.failed)
                }
                return .success((text, name))
            }
        }
    }

    /// Encodes `text` in `charset` strictly (fails on a character the charset cannot represent).
    static func encode(_ text: String, charset: String) -> Result<[UInt8], Failure> {
        let units = Array(text.utf16)
        guard units.count < Int(Int32.max) / 8 else { return .failure(.failed) }
        var capacity = units.count * 4 + 16
        while true {
            var errorOffset: Int32 = 0
            var bytes = [UInt8](repeating: 0, count: capacity)
            let written = units.withUnsafeBufferPointer { input in
                bytes.withUnsafeMutableBufferPointer { output in
                    sd_charset_from_utf16(charset, input.baseAddress, Int32(input.count),
                                          output.baseAddress, Int32(output.count), &errorOffset)
                }
            }
            switch written {
            case Int32(SD_CHARSET_OVERFLOW) where capacity < Int(Int32.max) / 4:
                capacity *= 2
                continue
            case Int32(SD_CHARSET_UNKNOWN):
                return .failure(.unknownCharset)
            case Int32(SD_CHARSET_ILLEGAL):
                return .failure(.illegalSequence(offset: Int(errorOffset)))
            case ..<0:
                return .failure(.failed)
            default:
                bytes.removeLast(bytes.count - Int(written))
                return .success(bytes)
            }
        }
    }
}
