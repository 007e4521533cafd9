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
    public static func run(url: String) async throws -> Int32 {
        var logger = Logger(label: "feedwatch.fetch")
        logger.logLevel = .warning
        let configuration = HTTPClientConfiguration(userAgent: "feedwatch/\(FeedWatchVersion.current)")
        let response: HTTPResponse
        do {
            response = try await withHTTPClient(configuration: configuration, logger: logger) { client in
                try await client.get(HTTPRequest(url: url))
            }
        } catch let error as HTTPClientError {
            return failure(error.description)
        }
        guard response.isSuccess else {
            return failure("\(url): HTTP \(response.status) from \(response.url)")
        }
        let document: ParsedDocument
        do {
            document = try ArticleParser.parse(ParserInput(bytes: response.body, format: .auto,
                                                           baseURL: response.url, charset: response.charset))
        } catch {
            return failure("\(url): \(error.description)")
        }
        let kind: ArticleSource.Kind = document.format == .html || document.format == .text ? .page : .feed
        let host = URLComponents(string: url)?.host ?? url
        RecordPrinter.print(document, source: ArticleSource(kind: kind, name: host, url: url),
                            fetchedAt: FeedModelTime.now())
        return ExitStatus.ok
    }

    /// One line on stderr, exit 1 (SPEC §2: runtime failure).
    private static func failure(_ message: String) -> Int32 {
        StandardError.writeLine("feedwatch fetch: \(message)")
        return ExitStatus.failure
    }
}
