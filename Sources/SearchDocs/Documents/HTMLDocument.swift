/// The text of an HTML page, as `HTMLTextExtractor` extracts it.
public struct HTMLDocument: Sendable, Equatable {
    /// The main text: one line per block element (paragraph, list item, heading, table row …),
    /// table cells separated by a tab, navigation menus, breadcrumbs, banners and footers removed.
    public var text: String
    /// The page's own heading (an `h1`/`h2` or heading-like element matching the `<title>`, or the
    /// `<title>` without the site's name), or nil when the page has none. It is usually a line of
    /// `text`, but not always (a heading broken by `<br>`, or a `<title>` the body does not repeat).
    public var title: String?

    /// Creates a document.
    public init(text: String, title: String?) {
        self.text = text
        self.title = title
    }
}
