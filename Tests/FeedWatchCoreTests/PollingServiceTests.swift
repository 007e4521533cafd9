import FeedFetch
@testable import FeedWatchCore
import FeedWatchTesting
import Foundation
import Logging
import Testing

/// The poller with everything real but the clock: loopback server, HTTP client, parser,
/// archive, state file. Time is virtual, so hours of backoff cost nothing and no assert
/// depends on how busy the machine is.
@Suite(.timeLimit(.minutes(1)))
struct PollingServiceTests {
    @Test func conditionalPollsArchiveOnceAndEchoTheValidators() async throws {
        let harness = try PollHarness()
        defer { harness.remove() }
        let server = try LoopbackHTTPServer()
        let etag = "W/\"caf\u{E9}-1\""
        let lastModified = "Tue, 01 Jan 2030 00:00:00 GMT"
        server.route("/feed.xml", .resource(rssFeed(["One", "Two"]), etag: etag, lastModified: lastModified))
        let source = harness.source("news", server.url("/feed.xml"), headers: [.init(name: "X-Token", value: "t1")])
        try await harness.session([source]) { poller in
            try await poller.pollEverySourceOnce()
            try await poller.pollEverySourceOnce()
        }
        let requests = server.requests
        #expect(requests.map(\.target) == ["/feed.xml", "/feed.xml"])
        #expect(requests.map(conditionals) == [[nil, nil], [etag, lastModified]])
        #expect(requests.allSatisfy { $0.method == "GET" && $0.header("X-Token") == "t1" })
        #expect(requests.allSatisfy { $0.header("User-Agent") == "feedwatch-tests/1.0" })
        #expect(requests.allSatisfy { $0.header("Accept-Encoding")?.contains("gzip") == true })
        #expect(try harness.titles() == ["One", "Two"])
        let saved = try #require(try harness.savedState["news"])
        #expect(saved.state.validators == HTTPValidators(etag: etag, lastModified: lastModified))
        #expect(saved.state.lastStatus == 304)
        #expect(saved.state.health == .ok)
        let record = try #require(try harness.records().first)
        let sourceObject = try #require(record["source"] as? [String: Any])
        #expect(sourceObject["type"] as? String == "feed")
        #expect(sourceObject["name"] as? String == "news")
        #expect(sourceObject["title"] as? String == "Loopback news")
    }

    @Test func aChangedFeedArchivesOnlyItsNewEntries() async throws {
        let harness = try PollHarness()
        defer { harness.remove() }
        let server = try LoopbackHTTPServer()
        let first = ScriptedResponse(status: 200, headers: [("Content-Type", "application/rss+xml"), ("ETag", "\"1\"")],
                                     body: .bytes(rssFeed(["One", "Two"])))
        let second = ScriptedResponse(status: 200, headers: [("Content-Type", "application/rss+xml"), ("ETag", "\"2\"")],
                                      body: .bytes(rssFeed(["Three", "One", "Two"])))
        server.route("/feed.xml", .sequence([first, second]))
        let source = harness.source("news", server.url("/feed.xml"))
        try await harness.session([source]) { poller in
            try await poller.pollEverySourceOnce()
            try await poller.pollEverySourceOnce()
        }
        #expect(server.requests.map(conditionals) == [[nil, nil], ["\"1\"", nil]])
        #expect(try harness.titles() == ["One", "Two", "Three"])
        #expect(try harness.records().map { $0["seq"] as? Int } == [1, 2, 3])
        #expect(try harness.savedState["news"]?.state.validators.etag == "\"2\"")
    }

    @Test func anEntryThatChangesIsArchivedAsAnUpdate() async throws {
        let harness = try PollHarness()
        defer { harness.remove() }
        let server = try LoopbackHTTPServer()
        let edited = Array(String(decoding: rssFeed(["One"]), as: UTF8.self)
            .replacingOccurrences(of: "Body of One.", with: "Body of One, corrected.").utf8)
        server.route("/feed.xml", .sequence([
            ScriptedResponse(status: 200, headers: [("Content-Type", "application/rss+xml")], body: .bytes(rssFeed(["One"]))),
            ScriptedResponse(status: 200, headers: [("Content-Type", "application/rss+xml")], body: .bytes(edited)),
        ]))
        try await harness.session([harness.source("news", server.url("/feed.xml"))]) { poller in
            try await poller.pollEverySourceOnce()
            try await poller.pollEverySourceOnce()
        }
        let records = try harness.records()
        #expect(records.map { $0["kind"] as? String } == ["new", "updated"])
        #expect(records.last?["previous_id"] as? String == records.first?["id"] as? String)
    }

    @Test func aRestartSendsTheSavedValidatorsAndArchivesNothingAgain() async throws {
        let harness = try PollHarness()
        defer { harness.remove() }
        let server = try LoopbackHTTPServer()
        server.route("/cached.xml", .resource(rssFeed(["A1", "A2"]), etag: "\"a\""))
        // A server with no validators at all: only dedup stands between it and duplicates.
        server.route("/plain.xml", .fixed(ScriptedResponse(status: 200, headers: [("Content-Type", "application/rss+xml")],
                                                           body: .bytes(rssFeed(["B1"])))))
        let sources = [harness.source("cached", server.url("/cached.xml")), harness.source("plain", server.url("/plain.xml"))]
        try await harness.session(sources) { try await $0.pollEverySourceOnce() }
        #expect(try harness.records().count == 3)
        try await harness.session(sources) { try await $0.pollEverySourceOnce() }
        #expect(server.requests(to: "/cached.xml").map(conditionals) == [[nil, nil], ["\"a\"", nil]])
        #expect(server.requests(to: "/plain.xml").count == 2)
        #expect(try harness.records().count == 3)
        #expect(try harness.savedState["cached"]?.state.lastStatus == 304)
    }

    @Test func aSourceFailingForHoursKeepsBeingPolledWithGrowingDelays() async throws {
        let harness = try PollHarness()
        defer { harness.remove() }
        let server = try LoopbackHTTPServer()
        let times = RequestTimes()
        let clock = harness.clock
        server.route("/down.xml", Route { _ in
            times.record(clock.now())
            return ScriptedResponse(status: 500, body: .bytes(Array("down\n".utf8)))
        })
        // Four hours of failures: at a fixed 60 s interval that would be 240 polls.
        let span: TimeInterval = 4 * 3600
        let held = try await harness.session([harness.source("down", server.url("/down.xml"))]) { poller in
            try await harness.runUntil(poller) {
                let seen = times.all
                return seen.count >= 2 && seen[seen.count - 1].timeIntervalSince(seen[0]) >= span
            }
        }
        #expect(held)
        let seen = times.all
        let delays = zip(seen.dropFirst(), seen).map { $0.timeIntervalSince($1) }
        // Never faster than the interval, never slower than the cap (plus the scheduler's step).
        #expect(delays.allSatisfy { $0 >= 60 && $0 <= 6 * 3600 + 61 })
        // Growing delays: far fewer polls than a fixed interval makes, and waits of ten times
        // the interval and more; yet the source is still polled hours later.
        #expect(seen.count >= 5 && seen.count < 120, "\(seen.count) polls")
        #expect((delays.max() ?? 0) >= 600)
        let state = try #require(try harness.savedState["down"]).state
        #expect(state.health == .failing)
        #expect(state.consecutiveFailures >= seen.count - 1)
        #expect(state.lastError == "HTTP 500")
        #expect(server.requests.allSatisfy { $0.path == "/down.xml" })
    }

    @Test(arguments: [
        (429, "7200", 7200.0),
        (503, "Tue, 01 Jan 2030 03:00:00 GMT", 3 * 3600.0),
    ])
    func retryAfterHoldsBackOnlyThatSource(status: Int, retryAfter: String, wait: Double) async throws {
        let harness = try PollHarness()
        defer { harness.remove() }
        let server = try LoopbackHTTPServer()
        let times = RequestTimes()
        let clock = harness.clock
        server.route("/busy.xml", Route { request in
            times.record(clock.now())
            return times.all.count == 1
                ? ScriptedResponse(status: status, headers: [("Retry-After", retryAfter)], body: .bytes(Array("later\n".utf8)))
                : ScriptedResponse(status: 200, headers: [("Content-Type", "application/rss+xml")], body: .bytes(rssFeed(["Busy"])))
        })
        server.route("/calm.xml", .resource(rssFeed(["Calm"]), etag: "\"c\""))
        let sources = [harness.source("busy", server.url("/busy.xml")), harness.source("calm", server.url("/calm.xml"))]
        let held = try await harness.session(sources) { poller in
            try await harness.runUntil(poller) { (try? harness.titles().contains("Busy")) ?? false }
        }
        #expect(held)
        let seen = times.all
        #expect(seen.count >= 2)
        if seen.count >= 2 {
            // The interval is 60 s and a first failure backs off at most 180 s: only the
            // server's Retry-After explains a wait this long.
            #expect(seen[1] >= VirtualClock.start.addingTimeInterval(wait))
        }
        // The other source on the same host went on at its own interval meanwhile.
        #expect(server.requests(to: "/calm.xml").count >= 10)
        #expect(try harness.titles().contains("Busy"))
    }

    @Test func a410MarksTheSourceGoneButStillListedAndCheckedRarely() async throws {
        let harness = try PollHarness()
        defer { harness.remove() }
        let server = try LoopbackHTTPServer()
        let times = RequestTimes()
        let clock = harness.clock
        server.route("/gone.xml", Route { _ in
            times.record(clock.now())
            return ScriptedResponse(status: 410, body: .bytes(Array("gone\n".utf8)))
        })
        let source = harness.source("old", server.url("/gone.xml"))
        let held = try await harness.session([source]) { poller in
            try await harness.runUntil(poller) { times.all.count >= 2 }
        }
        #expect(held)
        let seen = times.all
        if seen.count >= 2 { #expect(seen[1].timeIntervalSince(seen[0]) >= 6 * 3600) }
        let saved = try harness.savedState
        #expect(saved["old"]?.state.health == .gone)
        let lines = Dictionary(SourceHealthReport.lines(sources: [source], stored: saved), uniquingKeysWith: { a, _ in a })
        #expect(lines["sources_gone"] == "1")
        #expect(lines["source.old"]?.hasPrefix("gone; last status 410") == true)
    }

    @Test func aReloadAddsAndRemovesSourcesLive() async throws {
        let harness = try PollHarness()
        defer { harness.remove() }
        let server = try LoopbackHTTPServer()
        server.route("/a.xml", .resource(rssFeed(["A"]), etag: "\"a\""))
        server.route("/b.xml", .resource(rssFeed(["B"]), etag: "\"b\""))
        let a = harness.source("a", server.url("/a.xml")), b = harness.source("b", server.url("/b.xml"))
        try await harness.session([a]) { poller in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await poller.run() }
                #expect(await eventually { server.requests(to: "/a.xml").count >= 2 })
                await poller.update(sources: [b], logLevel: .info)
                let before = server.requests(to: "/a.xml").count
                #expect(await eventually { server.requests(to: "/b.xml").count >= 3 })
                // At most the poll in flight during the reload finishes after it.
                #expect(server.requests(to: "/a.xml").count <= before + 1)
                group.cancelAll()
                try await group.waitForAll()
            }
        }
        #expect(try harness.titles() == ["A", "B"])
        #expect(try harness.savedState.keys.sorted() == ["b"])
    }

    @Test func pageSourcesGoThroughTheExtractorAndFeedSourcesRefusePages() async throws {
        let harness = try PollHarness()
        defer { harness.remove() }
        let server = try LoopbackHTTPServer()
        let page = """
            <!doctype html><html lang="en"><head><title>Harbour reopens | Port News</title></head><body>
            <nav><a href="/">Home</a> <a href="/sport">Sport</a></nav>
            <article><h1>Harbour reopens</h1>
            <p>The harbour reopened on Monday after three months of repairs to the old sea wall.</p>
            <p>Fishing boats were the first to return, followed by the ferry in the afternoon.</p></article>
            <footer>Subscribe to our newsletter</footer></body></html>
            """
        server.route("/story.html", .fixed(.text(page, contentType: "text/html; charset=utf-8")))
        let sources = [harness.source("story", server.url("/story.html"), kind: .page),
                       harness.source("notafeed", server.url("/story.html"), kind: .feed)]
        try await harness.session(sources) { try await $0.pollEverySourceOnce() }
        let records = try harness.records()
        #expect(records.count == 1)
        let source = try #require(records.first?["source"] as? [String: Any])
        #expect(source["type"] as? String == "page")
        #expect(source["name"] as? String == "story")
        #expect((records.first?["text"] as? String)?.hasPrefix("The harbour reopened on Monday") == true)
        let refused = try #require(try harness.savedState["notafeed"]).state
        #expect(refused.health == .backingOff)
        #expect(refused.lastError?.hasPrefix("expected a feed") == true)
    }

    @Test func aPermanentRedirectIsFollowedAndSavedAfterThreePolls() async throws {
        let harness = try PollHarness()
        defer { harness.remove() }
        let server = try LoopbackHTTPServer()
        server.route("/old.xml", .redirect(301, to: "/new.xml"))
        server.route("/new.xml", .resource(rssFeed(["Moved"]), etag: "\"m\""))
        let source = harness.source("moved", server.url("/old.xml"))
        try await harness.session([source]) { poller in
            for _ in 0..<4 { try await poller.pollEverySourceOnce() }
        }
        #expect(server.requests.map(\.path) == ["/old.xml", "/new.xml", "/old.xml", "/new.xml", "/old.xml", "/new.xml", "/new.xml"])
        let saved = try #require(try harness.savedState["moved"])
        #expect(saved.state.url == server.url("/new.xml"))
        #expect(saved.configuredURL == server.url("/old.xml"))
        #expect(try harness.titles() == ["Moved"])
    }
}
