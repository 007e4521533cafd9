public import FeedModel
import ParserSupport

/// RSS, RDF and Atom documents (already converted to UTF-8) → a `ParsedDocument`.
public enum XMLFeedParser {
    /// `expected` is the format the caller asked for (`nil` = whatever the root says); a document
    /// whose root is no feed element is refused rather than read as an empty feed.
    public static func parse(utf8: [UInt8], baseURL: String?, expected: InputFormat?) throws(ParseError) -> ParsedDocument {
        let (builder, issues) = XMLSAXDriver.parse(utf8: utf8) { XMLFeedBuilder(documentBase: baseURL) }
        let articles = builder.finish()
        guard let format = builder.rootFormat else {
            let root = builder.rootName.map { "<\($0)>" } ?? "no element at all"
            let what = expected.map { "not an \($0.rawValue) feed" } ?? "not a feed"
            throw .notParseable("\(what): the document's root is \(root), not <rss>, <rdf:RDF> or <feed>")
        }
        var warnings = issues.map(\.description)
        if builder.openEntryAtEnd {
            warnings.append("document ends inside an entry; the entry is kept as far as it was read")
        }

        let feed = builder.feed
        let feedLink = builder.feedLink
        return ParsedDocument(
            format: format,
            feedTitle: feed.title.map { $0.paragraph() }.flatMap(EntryDraft.nonEmpty),
            feedLink: feedLink.flatMap { URLNormalizer.articleURL($0, base: nil) },
            language: EntryDraft.nonEmpty(feed.language),
            articles: articles,
            warnings: warnings
        )
    }
}
