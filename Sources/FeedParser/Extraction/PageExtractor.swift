public import FeedModel

/// Whole HTML pages → the one article they carry (main-content extraction plus metadata).
public enum PageExtractor {
    public static func extract(html: [UInt8], baseURL: String?, charset: String?) -> (article: Article, warnings: [String]) {
        (Article(text: HTMLText.text(fromHTML: String(decoding: html, as: UTF8.self))), [])
    }
}
