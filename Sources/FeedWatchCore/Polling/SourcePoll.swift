import Archive
import FeedFetch
import FeedModel
import FeedParser
import Foundation

/// What one poll of a source came to, on its way to the archive: the articles to append and
/// the state to save once they are durable.
struct PollResult: Sendable {
    var name: String
    var configuredURL: String
    /// The state after this poll (validators, status, next poll…); saved only after the
    /// archive fsync of `items`.
    var state: SourceState
    var previousHealth: SourceState.Health
    var items: [IngestItem]
    /// What the poll came to, for `feedwatch_polls_total`.
    var outcome: FeedWatchMetrics.PollOutcomeLabel = .ok
    /// The URL a run of permanent redirects rewrote the source to, for the log.
    var rewrittenURL: String?
}

/// One poll of one source: conditional GET → parse → state transition. No scheduling and no
/// archive: the poller decides when, the commit decides what becomes durable.
enum SourcePoll {
    /// - Returns: `nil` when cancelled mid-transfer: nothing was learned, nothing is recorded.
    static func run(_ config: SourceConfig, state: SourceState, client: HTTPClient,
                    clock: any PollClock, policy: PollPolicy) async -> PollResult? {
        let request = HTTPRequest(
            url: state.url,
            headers: HTTPHeaders(config.headers.map { HTTPHeaderField(name: $0.name, value: $0.value) }),
            basicAuth: config.basicAuth.map { HTTPBasicAuth(user: $0.username, password: $0.password) },
            validators: state.validators
        )
        var outcome: PollOutcome
        var items: [IngestItem] = []
        do {
            let response = try await client.get(request)
            outcome = PollOutcome(response: response)
            if case .fetched = outcome {
                switch articles(in: response, config: config) {
                case let .success(found): items = found
                case let .failure(problem):
                    outcome = .rejected(status: response.status, message: problem.message, redirects: response.redirects)
                }
            }
        } catch let error as HTTPClientError {
            outcome = PollOutcome(error: error)
        } catch {
            return nil // CancellationError: shutting down
        }
        var next = state
        var random = SystemRandomNumberGenerator()
        let decision = next.record(outcome, at: clock.now(), policy: policy, using: &random)
        return PollResult(name: config.name, configuredURL: config.url, state: next, previousHealth: state.health,
                          items: decision.hasNewContent ? items : [], outcome: Self.label(outcome),
                          rewrittenURL: decision.rewrittenURL)
    }

    static func label(_ outcome: PollOutcome) -> FeedWatchMetrics.PollOutcomeLabel {
        switch outcome {
        case .fetched: .ok
        case .notModified: .notModified
        case .httpError: .httpError
        case .transportError: .networkError
        case .rejected: .parseError
        }
    }

    struct Problem: Error {
        var message: String
    }

    /// The body through the shared parser: `page` sources through the extractor, `feed`
    /// sources must be a feed, `auto` goes by content (SPEC §8).
    static func articles(in response: HTTPResponse, config: SourceConfig) -> Result<[IngestItem], Problem> {
        let input = ParserInput(bytes: response.body, format: config.kind == .page ? .html : .auto,
                                baseURL: URLCredentials.strip(response.url), charset: response.charset)
        let document: ParsedDocument
        do {
            document = try ArticleParser.parse(input)
        } catch {
            return .failure(Problem(message: "cannot parse the response: \(error.description)"))
        }
        let isPage = document.format == .html || document.format == .text
        if config.kind == .feed, isPage {
            return .failure(Problem(message: "expected a feed (RSS, Atom, RDF or JSON Feed) but got \(document.format == .html ? "an HTML page" : "plain text"); set type = \"page\" or \"auto\" to take it as an article"))
        }
        let source = ArticleSource(kind: isPage ? .page : .feed, name: config.name, url: URLCredentials.strip(config.url),
                                   title: document.feedTitle)
        let now = FeedModelTime.now()
        return .success(document.articles.filter { !$0.isEmpty }.map { IngestItem(article: $0, source: source, fetchedAt: now) })
    }
}
