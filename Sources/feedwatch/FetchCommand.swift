import ArgumentParser
import FeedFetch
import FeedModel
import FeedParser
import FeedWatchCore
import Foundation
import Logging

/// `feedwatch fetch URL`: one GET through the daemon's HTTP client, parsed and printed as the
/// archive would hold it (SPEC §2). Touches no archive and no state, so it is the way to see
/// what a source yields before adding it to the config.
struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Fetch a URL through the real HTTP client, parse it, print JSON lines; touches no archive."
    )

    @Argument(help: "The feed or page URL (http or https).")
    var url: String

    func validate() throws {
        do {
            try HTTPClient.validate(url: url)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        var logger = Logger(label: "feedwatch.fetch")
        logger.logLevel = .warning
        let configuration = HTTPClientConfiguration(userAgent: "feedwatch/\(FeedWatchVersion.current)")
        let response: HTTPResponse
        do {
            response = try await withHTTPClient(configuration: configuration, logger: logger) { client in
                try await client.get(HTTPRequest(url: url))
            }
        } catch let error as HTTPClientError {
            throw Self.failure(error.description)
        }
        guard response.isSuccess else {
            throw Self.failure("\(url): HTTP \(response.status) from \(response.url)")
        }
        let document: ParsedDocument
        do {
            document = try ArticleParser.parse(ParserInput(bytes: response.body, format: .auto,
                                                           baseURL: response.url, charset: response.charset))
        } catch {
            throw Self.failure("\(url): \(error.description)")
        }
        let kind: ArticleSource.Kind = document.format == .html || document.format == .text ? .page : .feed
        let host = URLComponents(string: url)?.host ?? url
        RecordPrinter.print(document, source: ArticleSource(kind: kind, name: host, url: url),
                            fetchedAt: RecordPrinter.now())
    }

    /// One line on stderr, exit 1 (SPEC §2: runtime failure).
    private static func failure(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("feedwatch fetch: \(message)\n".utf8))
        return ExitStatus.runtimeFailure
    }
}
