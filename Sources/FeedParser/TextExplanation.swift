/// A body paragraph the plain-text reader left out of an article's text, and why
/// (`ArticleParser.parseExplained`).
public struct RemovedParagraph: Sendable, Equatable {
    /// Position among the body paragraphs (after the title and header lines), from 0.
    public var index: Int
    public var text: String
    /// The rule that removed it, in words ("after the article: comment section or footer").
    public var rule: String
}
