public import FeedModel

/// Whole HTML pages → the one article they carry (main-content extraction plus metadata).
public enum PageExtractor {
    /// Decodes by BOM, then `charset` (HTTP), then the page's own declaration, then UTF-8 if
    /// valid, else windows-1252; then parses once with libxml2 and reads text and metadata
    /// from the same tree. Cost is linear in the page size.
    public static func extract(html: [UInt8], baseURL: String?, charset: String?) -> (article: Article, warnings: [String]) {
        let decoded = CharsetDecoder.decode(html, httpCharset: charset, declared: CharsetDecoder.declaredCharset(in: html))
        var warnings = decoded.warnings
        var bytes = Array(decoded.text.utf8)
        // NUL is not HTML text, and libxml2 would report each one.
        for i in bytes.indices where bytes[i] == 0 { bytes[i] = 0x20 }
        let document = HTMLDocument.parse(utf8: bytes)
        var extractor = ContentExtractor(document: document)
        let text = extractor.extract()
        let meta = PageMetadata(document: document, baseURL: baseURL)
        if text.isEmpty { warnings.append("no article text found in the page") }
        let article = Article(
            title: meta.title, text: text, summary: meta.summary == text ? nil : meta.summary,
            url: meta.url, author: meta.author, published: meta.published, updated: meta.updated,
            language: meta.language, tags: meta.tags)
        return (article, warnings)
    }
}
