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
