import FeedFetch
import FeedModel
import FeedParser
import Foundation
import Logging

/// `feedwatch fetch URL`: one GET through the daemon's HTTP client, parsed and printed as the
/// archive would hold it (SPEC §2). Touches no archive and no state, so it is the way to see
/// what a source yields before adding it to the config.
public enum FetchURL {
    /// The exit status: 1, with one line on stderr, when there is no response, the status is
    /// not a success, or the body does not parse.
    ///
    /// `fullText`: each entry's link is fetched and extracted as a source with
    /// `full_text = "always"` would have it (`FullTextPage`), and the entry printed as it would be
    /// archived; a page refused or failed is said on stderr, and the entry printed from the feed.
    public static func run(url: String, fullText: Bool = false) async throws -> Int32 {
        var logger = Logger(label: "feedwatch.fetch")
        logger.logLevel = .warning
        let configuration = HTTPClientConfiguration(userAgent: "feedwatch/\(FeedWatchVersion.current)")
        let fetched: (HTTPResponse, ParsedDocument?)
        do {
            fetched = try await withHTTPClient(configuration: configuration, logger: logger) { client in
                let response = try await client.get(HTTPRequest(url: url))
                guard response.isSuccess else { return (response, nil) }
                var document = try ArticleParser.parse(ParserInput(bytes: response.body, format: .auto,
                                                                   baseURL: response.url, charset: response.charset))
                if fullText, document.format != .html, document.format != .text {
                    document.articles = try await withPages(document.articles, client: client)
                }
                return (response, document)
            }
        } catch let error as HTTPClientError {
            return failure(error.description)
        } catch let error as ParseError {
            return failure("\(url): \(error.description)")
        }
        let (response, parsed) = fetched
        guard let document = parsed else {
            return failure("\(url): HTTP \(response.status) from \(response.url)")
        }
        let kind: ArticleSource.Kind = document.format == .html || document.format == .text ? .page : .feed
        let host = URLComponents(string: url)?.host ?? url
        RecordPrinter.print(document, source: ArticleSource(kind: kind, name: host, url: url),
                            fetchedAt: FeedModelTime.now())
        return ExitStatus.ok
    }

    /// The entries with their pages' articles, fetched a few at a time through `client`.
    private static func withPages(_ articles: [Article], client: HTTPClient) async throws -> [Article] {
        var jobs: [FullTextStage.Job] = []
        for (index, article) in articles.enumerated() {
            guard let link = FullTextStage.link(article) else { continue }
            jobs.append(FullTextStage.Job(key: link, entry: article, link: link, index: index, previous: nil))
        }
        let outcomes = try await FullTextStage.fetch(jobs, client: client, limit: 8, deadline: .now + .seconds(300))
        var result = articles
        for (job, outcome) in zip(jobs, outcomes) {
            let note: String
            switch outcome {
            case .page(.article(let merged)):
                result[job.index ?? 0] = merged
                continue
            case .page(.refused(let refusal)): note = "not the entry's article (\(refusal.message))"
            case .page(.failed(let message, _)): note = "cannot fetch the page (\(message))"
            case .deferred: note = "the server asked to wait (Retry-After)"
            }
            StandardError.writeLine("feedwatch fetch: \(job.link): \(note); the entry is shown from the feed")
        }
        return result
    }

    /// One line on stderr, exit 1 (SPEC §2: runtime failure).
    private static func failure(_ message: String) -> Int32 {
        StandardError.writeLine("feedwatch fetch: \(message)")
        return ExitStatus.failure
    }
}
