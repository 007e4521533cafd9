import Archive
import FeedFetch
import FeedModel
@testable import FeedWatchCore
import FeedWatchTesting
import Foundation
import Logging
import Synchronization
import SystemPackage
import Testing

/// `FullTextStage` between a poll and the archive: failed pages are retried with backoff at
/// later polls (even ones answered 304), bounded in count, and an entry whose page was
/// archived is not fetched again, across a restart (the ledger on disk).
@Suite(.timeLimit(.minutes(2)))
struct FullTextStageTests {
    static let story = [
        "The river council voted on Tuesday to rebuild the old stone bridge that washed away in the spring floods last year.",
        "Engineers said the new bridge would stand on deeper piers and carry a footpath on both sides, at a cost the council put at four million.",
    ]

    static func page() -> ScriptedResponse {
        let html = "<html><head><title>Bridge</title></head><body><article>" + story.map { "<p>\($0)</p>" }.joined() + "</article></body></html>"
        return ScriptedResponse(status: 200, headers: [("Content-Type", "text/html")], body: .bytes(Array(html.utf8)))
    }

    struct Harness {
        let dir: URL
        let config: Configuration
        let logger: Logger

        init() throws {
            dir = try TestPathsShim.temporaryDirectory()
            config = Configuration.defaults(base: FilePath(dir.path))
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            self.logger = logger
        }

        func source(_ url: String) -> SourceConfig {
            SourceConfig(name: "teasers", url: url, kind: .feed, interval: .seconds(60), headers: [], basicAuth: nil, fullText: .always)
        }

        func result(_ items: [Article]) -> PollResult {
            let source = ArticleSource(kind: .feed, name: "teasers", url: "http://127.0.0.1/feed")
            return PollResult(name: "teasers", configuredURL: "http://127.0.0.1/feed",
                              state: SourceState(url: "http://127.0.0.1/feed", nextDue: Date()), previousHealth: .ok,
                              items: items.map { IngestItem(article: $0, source: source, fetchedAt: Timestamp(secondsSince1970: 0)) })
        }

        /// A stage over an open archive and a client, as the daemon has them.
        func withStage<T: Sendable>(_ options: FullTextStage.Options = .init(),
                                    _ body: (FullTextStage, HTTPClient) async throws -> T) async throws -> T {
            try FileManager.default.createDirectory(atPath: config.stateDirectory.string, withIntermediateDirectories: true)
            let worker = IngestWorker(configuration: config, logger: logger)
            _ = try await worker.open()
            let stage = FullTextStage(files: FullTextLedgerFiles(stateDirectory: config.stateDirectory), worker: worker, logger: logger,
                                      options: options)
            let http = HTTPClientConfiguration(userAgent: "feedwatch-tests/1.0", connectTimeout: .seconds(5), timeout: .seconds(10))
            let result: Result<T, any Error>
            do {
                result = .success(try await withHTTPClient(configuration: http, logger: logger) { client in try await body(stage, client) })
            } catch {
                result = .failure(error)
            }
            await worker.close()
            return try result.get()
        }
    }

    @Test func aFailedPageIsRetriedAtALaterPollAndThenNotFetchedAgain() async throws {
        let server = try LoopbackHTTPServer()
        server.route("/a", .sequence([ScriptedResponse(status: 503, headers: [("Retry-After", "120")]), Self.page()]))
        let h = try Harness()
        defer { try? FileManager.default.removeItem(at: h.dir) }
        let entry = Article(title: "Bridge vote", text: "The river council voted on Tuesday to rebuild the old stone bridge…",
                            url: server.url("/a"), guid: "a")
        let config = h.source(server.url("/feed"))
        let t0 = Date()
        try await h.withStage { stage, client in
            // Poll 1: the page fails; the entry goes to the archive as the feed has it.
            let first = try #require(await stage.complete(h.result([entry]), config: config, client: client, now: t0))
            #expect(first.items.map(\.article) == [entry])
            // A poll before the retry is due (a 304: no items) asks for nothing.
            let early = try #require(await stage.complete(h.result([]), config: config, client: client, now: t0.addingTimeInterval(30)))
            #expect(early.items.isEmpty)
            #expect(server.requests(to: "/a").count == 1)
            // Later (past the backoff, which is at least the interval and the Retry-After): the
            // retry runs from the saved entry although the poll showed nothing, and brings the article.
            let later = try #require(await stage.complete(h.result([]), config: config, client: client, now: t0.addingTimeInterval(86_400)))
            #expect(server.requests(to: "/a").count == 2)
            #expect(later.items.map(\.article.text) == [Self.story.joined(separator: "\n\n")])
            #expect(later.items.first?.article.summary == entry.text)
            await stage.save(["teasers"])
        }
        // After a restart, the entry shown again unchanged is left out (the archive has it) and
        // its page is not asked for.
        try await h.withStage { stage, client in
            let again = try #require(await stage.complete(h.result([entry]), config: config, client: client, now: t0.addingTimeInterval(90_000)))
            #expect(again.items.isEmpty)
        }
        #expect(server.requests(to: "/a").count == 2)
        var configuration = h.config
        configuration.sources = [config]
        let stats = FullTextReport.lines(configuration)
        #expect(stats.map(\.1) == ["always; pages fetched 1, extracted 1, refused 0, failed 1"])
    }

    @Test func retriesAreBoundedInCount() async throws {
        let server = try LoopbackHTTPServer()
        server.route("/down", .status(500))
        let h = try Harness()
        defer { try? FileManager.default.removeItem(at: h.dir) }
        let entry = Article(title: "Down", text: "A teaser.", url: server.url("/down"), guid: "down")
        let config = h.source(server.url("/feed"))
        try await h.withStage { stage, client in
            for day in 0..<6 {
                let result = try #require(await stage.complete(h.result([entry]), config: config, client: client,
                                                               now: Date().addingTimeInterval(Double(day) * 86_400)))
                #expect(result.items.map(\.article) == [entry], "the entry is never held back")
            }
        }
        #expect(server.requests(to: "/down").count == FullTextStage.Options().maxAttempts)
    }

    /// A page slower than the poll's budget does not hold the entry back: it goes to the archive
    /// as the feed has it, and the page is tried again at the next poll (not counted as a failure).
    @Test func pagesPastThePollsBudgetAreDeferredNotWaitedFor() async throws {
        let server = try LoopbackHTTPServer()
        var slow = Self.page()
        slow.delay = .seconds(30)
        // Slow until the first poll is over (a flag, not a request count: on a loaded machine
        // the first request may be cancelled before the server has read it).
        let slowNow = Mutex(true)
        let (slowPage, fast) = (slow, Self.page())
        server.route("/slow", Route { _ in slowNow.withLock { $0 } ? slowPage : fast })
        let h = try Harness()
        defer { try? FileManager.default.removeItem(at: h.dir) }
        let entry = Article(title: "Bridge vote", text: "The river council voted on Tuesday to rebuild the old stone bridge…",
                            url: server.url("/slow"), guid: "slow")
        let config = h.source(server.url("/feed"))
        var options = FullTextStage.Options()
        options.pageBudget = .milliseconds(300)
        try await h.withStage(options) { stage, client in
            let start = ContinuousClock.now
            let first = try #require(await stage.complete(h.result([entry]), config: config, client: client, now: Date()))
            // Far less than the page's 30 s, with room for a loaded machine (the suite runs beside others).
            #expect(ContinuousClock.now - start < .seconds(15))
            #expect(first.items.map(\.article) == [entry])
            slowNow.withLock { $0 = false }
            let next = try #require(await stage.complete(h.result([entry]), config: config, client: client, now: Date().addingTimeInterval(1)))
            #expect(next.items.map(\.article.text) == [Self.story.joined(separator: "\n\n")])
        }
        #expect(server.requests(to: "/slow").count <= 2)
    }
}
