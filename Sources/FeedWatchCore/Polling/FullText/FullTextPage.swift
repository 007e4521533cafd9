import FeedFetch
import FeedModel
import FeedParser
import Foundation

/// One entry's page: fetched through the sources' HTTP client (its per-host limit, size cap
/// and http/https-only redirects), extracted by the shared parser, checked by
/// `ArticlePageCheck`, and merged into the entry. No state and no archive: `FullTextStage`
/// and `feedwatch fetch --full-text` decide what to do with the outcome.
enum FullTextPage {
    enum Outcome: Sendable {
        /// The entry with the page's article as its text.
        case article(Article)
        /// The page was fetched (or answered) but is not the article: permanent for this entry.
        case refused(Refusal)
        /// No page this time (network, 5xx, 429): worth a retry, after `retryAfter` when the
        /// server said so.
        case failed(String, retryAfter: Duration?)
    }

    /// - Throws: `CancellationError` when shutting down (nothing is recorded then).
    static func resolve(_ entry: Article, link: String, client: HTTPClient) async throws -> Outcome {
        let response: HTTPResponse
        do {
            response = try await client.get(HTTPRequest(url: link))
        } catch let error as HTTPClientError {
            switch error.category {
            case .shutdown: throw CancellationError()
            case .bodyTooLarge, .unsupportedScheme, .tooManyRedirects, .redirectLoop, .invalidRequest:
                return .refused(Refusal(.fetchLimit, error.description))
            default:
                return .failed(error.description, retryAfter: nil)
            }
        }
        guard response.isSuccess else {
            let transient = response.status == 408 || response.status == 429 || response.status >= 500
            let reason = "HTTP \(response.status) from \(response.url)"
            guard transient else { return .refused(Refusal(.httpStatus, reason)) }
            let wait = response.retryAfter.flatMap { RetryAfter.delay($0, now: Date()) }
            return .failed(reason, retryAfter: wait)
        }
        if let type = response.mediaType, !isPageType(type) {
            return .refused(Refusal(.notHTML, "the link is not an HTML page (\(type))"))
        }
        let page: Article
        do {
            let document = try ArticleParser.parse(ParserInput(bytes: response.body, format: .html,
                                                               baseURL: URLCredentials.strip(response.url),
                                                               charset: response.charset))
            guard let first = document.articles.first else { return .refused(Refusal(.noText, "the page has no article text")) }
            page = first
        } catch {
            return .refused(Refusal(.unparseable, "the page does not parse: \(error.description)"))
        }
        switch ArticlePageCheck.check(entry: entry, page: page, link: link, finalURL: response.url) {
        case .article: return .article(merge(entry, page: page))
        case .refused(let refusal): return .refused(refusal)
        }
    }

    /// HTML, XHTML, or no useful type (servers label pages `text/plain` or octet-stream).
    static func isPageType(_ type: String) -> Bool {
        type.hasSuffix("html") || type.hasSuffix("+xml") || type == "text/plain" || type == "application/octet-stream"
    }

    /// The record the entry becomes (issue 15): the feed's teaser as `summary` (its own summary
    /// when it has one), the page's article as `text`; title, author, dates, language and tags
    /// from the feed where it has them, else from the page. The link and guid stay the feed's,
    /// so the entry keeps its identity in the archive.
    static func merge(_ entry: Article, page: Article) -> Article {
        var merged = entry
        merged.summary = entry.summary ?? (entry.text.isEmpty ? nil : entry.text)
        merged.text = page.text
        if merged.title.isEmpty { merged.title = page.title }
        merged.author = entry.author ?? page.author
        merged.published = entry.published ?? page.published
        merged.updated = entry.updated ?? page.updated
        merged.language = entry.language ?? page.language
        if merged.tags.isEmpty { merged.tags = page.tags }
        if merged.url == nil { merged.url = page.url }
        return merged
    }
}
