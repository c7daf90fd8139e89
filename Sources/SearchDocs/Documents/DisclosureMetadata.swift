#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The metadata block of a 政府信息公开 (government information disclosure) page.
///
/// Each field is nil when its label is absent, and empty when the label is there without a value
/// (as `发文字号` in `索引号 620722024/2024-00036 发文字号`).
public struct DisclosureMetadata: Sendable, Equatable {
    /// 索引号: the disclosure catalogue number, shared by the versions of one document (`620722024/2024-00036`).
    public var indexNumber: String?
    /// 发文字号: the document number (`甘政发〔2024〕12号`).
    public var documentNumber: String?
    /// 关键词 (关键字, 主题词).
    public var keywords: String?
    /// 发布机构 (发文机关, 发布单位 …): who published the document.
    public var publisher: String?
    /// 公开形式 (公开方式): `主动公开`, `依申请公开` ….
    public var disclosureForm: String?
    /// 责任部门 (责任单位).
    public var responsibleDepartment: String?
    /// The document's date as `yyyy-MM-dd`: 生成日期, else 成文日期, 发文日期, 印发日期, 发布日期, 公开日期.
    public var date: String?
    /// 是否有效 (有效性, 时效性).
    public var validity: String?
    /// 主题分类 (信息分类).
    public var category: String?

    /// Creates metadata; every field defaults to absent.
    public init(indexNumber: String? = nil, documentNumber: String? = nil, keywords: String? = nil,
                publisher: String? = nil, disclosureForm: String? = nil, responsibleDepartment: String? = nil,
                date: String? = nil, validity: String? = nil, category: String? = nil)
    {
        self.indexNumber = indexNumber
        self.documentNumber = documentNumber
        self.keywords = keywords
        self.publisher = publisher
        self.disclosureForm = disclosureForm
        self.responsibleDepartment = responsibleDepartment
        self.date = date
        self.validity = validity
        self.category = category
    }

    /// True when no field was found.
    public var isEmpty: Bool {
        self == DisclosureMetadata()
    }
}

extension DisclosureMetadata {
    /// The fields in a fixed order, for storage: `key=value` lines (values never hold line breaks).
    var serialized: String {
        let pairs: [(String, String?)] = [
            ("id", indexNumber), ("number", documentNumber), ("keywords", keywords), ("org", publisher),
            ("form", disclosureForm), ("department", responsibleDepartment), ("date", date),
            ("validity", validity), ("category", category),
        ]
        return pairs.compactMap { k, v in v.map { "\(k)=\($0.replacing("\n", with: " "))" } }.joined(separator: "\n")
    }

    /// Reads what ``serialized`` wrote, as UTF-8 bytes (as a segment stores it): the keys compared
    /// byte by byte, each value made a string once (a query reads the metadata of every hit it shows).
    init(serialized bytes: UnsafeRawBufferPointer) {
        self.init()
        let n = bytes.count
        var start = 0
        while start < n {
            var end = start
            while end < n && bytes[end] != UInt8(ascii: "\n") { end += 1 }
            var eq = start
            while eq < end && bytes[eq] != UInt8(ascii: "=") { eq += 1 }
            if eq < end {
                let key = UnsafeRawBufferPointer(rebasing: bytes[start..<eq])
                let value = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(eq + 1)..<end]), as: UTF8.self)
                func isKey(_ k: StaticString) -> Bool {
                    k.utf8CodeUnitCount == key.count && memcmp(k.utf8Start, key.baseAddress!, key.count) == 0
                }
                if isKey("id") { indexNumber = value }
                else if isKey("number") { documentNumber = value }
                else if isKey("keywords") { keywords = value }
                else if isKey("org") { publisher = value }
                else if isKey("form") { disclosureForm = value }
                else if isKey("department") { responsibleDepartment = value }
                else if isKey("date") { date = value }
                else if isKey("validity") { validity = value }
                else if isKey("category") { category = value }
            }
            start = end + 1
        }
    }
}
