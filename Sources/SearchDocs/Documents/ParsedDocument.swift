/// A document file turned into what the index needs: its text, title, metadata and encoding.
public struct ParsedDocument: Sendable, Equatable {
    /// The text to index: the file's text, or the main text of an HTML page. It always contains
    /// `title` (at `titleRange`).
    public var text: String
    /// The document's title; empty when the text has none.
    public var title: String
    /// The UTF-8 byte range of `title` in `text`.
    public var titleRange: Range<Int>
    /// The disclosure metadata; `date` is also filled from a date the text states when there is no
    /// metadata block (see `MetadataParser.statedDate(in:)`).
    public var metadata: DisclosureMetadata
    /// The encoding the file was decoded from (`UTF-8`, `GB18030`, `Big5`, `UTF-16LE` …).
    public var encoding: String

    /// Creates a parsed document.
    public init(text: String, title: String, titleRange: Range<Int>, metadata: DisclosureMetadata, encoding: String) {
        self.text = text
        self.title = title
        self.titleRange = titleRange
        self.metadata = metadata
        self.encoding = encoding
    }
}
