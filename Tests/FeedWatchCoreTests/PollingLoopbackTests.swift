import FeedFetch
import FeedWatchCore
import FeedWatchTesting
import Foundation
import Logging
import Testing

/// The state machine driven by the real client against the loopback server: what the daemon
/// will do on every poll, minus the clock.
@Suite(.timeLimit(.minutes(1)))
struct PollingLoopbackTests {
    let policy = PollPolicy(interval: .seconds(900))
    let configuration = HTTPClientConfiguration(userAgent: "feedwatch-tests/1.0", connectTimeout: .seconds(5), timeout: .seconds(10))

    private func poll(_ state: inout SourceState, with client: HTTPClient, at now: Date,
                      using random: inout SeededRandom) async -> PollDecision {
        let outcome: PollOutcome
        do {
            outcome = PollOutcome(response: try await client.get(HTTPRequest(url: state.url, validators: state.validators)))
        } catch let error as HTTPClientError {
            outcome = PollOutcome(error: error)
        } catch {
            Issue.record("unexpected \(error)")
            outcome = .rejected(status: 0, message: "\(error)", redirects: [])
        }
        return state.record(outcome, at: now, policy: policy, using: &random)
    }

    @Test func conditionalPollsEchoTheStoredValidators() async throws {
        let server = try LoopbackHTTPServer()
        let etag = "\"v1-\u{E9}\""
        let date = "Mon, 02 Apr 2018 14:00:00 GMT"
        server.route("/feed", .resource(Array("<rss/>".utf8), etag: etag, lastModified: date))
        var random = SeededRandom(seed: 1)
        var state = SourceState(url: server.url("/feed"), nextDue: Date(timeIntervalSince1970: 0))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        try await withHTTPClient(configuration: configuration, logger: Logger(label: "test")) { client in
            #expect(await poll(&state, with: client, at: now, using: &random).hasNewContent)
            #expect(await !poll(&state, with: client, at: now, using: &random).hasNewContent)
            #expect(await !poll(&state, with: client, at: now, using: &random).hasNewContent)
        }
        #expect(state.lastStatus == 304)
        #expect(state.health == .ok)
        let sent = server.requests.map { [$0.header("If-None-Match"), $0.header("If-Modified-Since")] }
        #expect(sent == [[nil, nil], [etag, date], [etag, date]])
    }

    @Test func aFeedThatMovedPermanentlyIsRewrittenOnTheThirdPoll() async throws {
        let server = try LoopbackHTTPServer()
        server.route("/old", .redirect(301, to: "/new"))
        server.route("/new", .resource(Array("<rss/>".utf8)))
        var random = SeededRandom(seed: 2)
        var state = SourceState(url: server.url("/old"), nextDue: Date(timeIntervalSince1970: 0))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let rewrites = try await withHTTPClient(configuration: configuration, logger: Logger(label: "test")) { client in
            var rewrites: [String?] = []
            for _ in 0..<4 { rewrites.append(await poll(&state, with: client, at: now, using: &random).rewrittenURL) }
            return rewrites
        }
        #expect(rewrites == [nil, nil, server.url("/new"), nil])
        #expect(server.requests.map(\.path) == ["/old", "/new", "/old", "/new", "/old", "/new", "/new"])
    }

    @Test func a429WithRetryAfterDelaysTheNextPoll() async throws {
        let server = try LoopbackHTTPServer()
        server.route("/busy", .status(429, headers: [("Retry-After", "3600")]))
        var random = SeededRandom(seed: 3)
        var state = SourceState(url: server.url("/busy"), nextDue: Date(timeIntervalSince1970: 0))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let decision = try await withHTTPClient(configuration: configuration, logger: Logger(label: "test")) { client in
            await poll(&state, with: client, at: now, using: &random)
        }
        #expect(decision.nextDue >= now.addingTimeInterval(3600))
        #expect(state.health == .backingOff)
        #expect(state.lastStatus == 429)
    }
}
