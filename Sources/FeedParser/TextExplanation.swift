import FeedModel
import PlainText
import ParserSupport

/// A body paragraph the plain-text reader left out of an article's text, and why.
public struct RemovedParagraph: Sendable, Equatable {
    /// Position among the body paragraphs (after the title and header lines), from 0.
    public var index: Int
    public var text: String
    /// The rule that removed it, in words ("after the article: comment section or footer").
    public var rule: String
}

extension ArticleParser {
    /// For `feedwatch parse --explain`: the paragraphs the plain-text reader removed from
    /// `input`, in order, each with its rule; empty for feeds and pages. Decodes and detects the
    /// format as `parse` does, so it explains the same reading.
    public static func removedParagraphs(_ input: ParserInput) -> [RemovedParagraph] {
        guard !input.bytes.isEmpty, input.format == .text || input.format == .auto else { return [] }
        let decoded = CharsetDecoder.decode(input.bytes, httpCharset: input.charset,
                                            declared: CharsetDecoder.declaredCharset(in: input.bytes))
        var utf8 = Array(decoded.text.utf8)
        if utf8.starts(with: [0xEF, 0xBB, 0xBF]) { utf8.removeFirst(3) }
        if input.format == .auto, FormatDetector.detect(utf8, fileName: input.fileName) != .text { return [] }
        return PlainTextArticle.explain(decoded.text).removed.map {
            RemovedParagraph(index: $0.index, text: $0.paragraph, rule: $0.rule)
        }
    }
}
