public import FeedModel
import ParserSupport
import HTMLToText

/// Whole HTML pages → the one article they carry (main-content extraction plus metadata).
public enum PageExtractor {
    /// Decodes by BOM, then `charset` (HTTP), then the page's own declaration, then UTF-8 if
    /// valid, else windows-1252; then parses once with libxml2 and reads text and metadata
    /// from the same tree. Cost is linear in the page size.
    public static func extract(html: [UInt8], baseURL: String?, charset: String?) -> (article: Article, warnings: [String]) {
        let decoded = CharsetDecoder.decode(html, httpCharset: charset, declared: CharsetDecoder.declaredCharset(in: html))
        var warnings = decoded.warnings
        // The parser copies what it reads anyway, so the decoded text's own storage is lent.
        let document = decoded.text.utf8.withContiguousStorageIfAvailable { HTMLDocument.parse(utf8: $0) }
            ?? HTMLDocument.parse(utf8: Array(decoded.text.utf8))
        var extractor = ContentExtractor(document: document)
        let meta = PageMetadata(document: document, hints: extractor.hints, baseURL: baseURL)
        // The title first: a heading that repeats it is not article text.
        extractor.title = meta.title
        let (text, warning) = extractor.extract()
        if let warning { warnings.append(warning) }
        if text.isEmpty { warnings.append("no article text found in the page") }
        let article = Article(
            title: meta.title, text: text, summary: meta.summary == text ? nil : meta.summary,
            url: meta.url, author: meta.author, published: meta.published, updated: meta.updated,
            language: meta.language, tags: meta.tags)
        return (article, warnings)
    }
}
