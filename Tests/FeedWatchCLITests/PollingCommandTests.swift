import FeedWatchTesting
import Foundation
import Glibc
import Testing

/// URL sources through the real binary: `once`, `stats`, and `run` with SIGHUP and `STATUS=`,
/// against the loopback server.
@Suite(.timeLimit(.minutes(2)))
struct PollingCommandTests {
    static func feed(_ titles: [String]) -> [UInt8] {
        let items = titles.map { "<item><title>\($0)</title><guid>\($0)</guid><description>About \($0).</description></item>" }
        return Array("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Loop</title>\(items.joined())</channel></rss>".utf8)
    }

    static func sources(_ list: [(name: String, url: String)], interval: String = "1m") -> String {
        list.map { "[[source]]\nname = \"\($0.name)\"\nurl = \"\($0.url)\"\ninterval = \"\(interval)\"\n" }.joined(separator: "\n")
    }

    @Test func aSecondOnceIsAnsweredNotModifiedAndArchivesNothing() async throws {
        let server = try LoopbackHTTPServer()
        server.route("/a.xml", .resource(Self.feed(["A1", "A2"]), etag: "\"a-1\""))
        server.route("/b.xml", .resource(Self.feed(["B1"]), lastModified: "Tue, 01 Jan 2030 00:00:00 GMT"))
        let box = try Sandbox(extraConfig: Self.sources([("a", server.url("/a.xml")), ("b", server.url("/b.xml"))]))
        defer { box.remove() }
        let first = try await runFeedwatch(["once", "--config", box.configURL.path], in: box.dir)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try box.titles().sorted() == ["A1", "A2", "B1"])
        let second = try await runFeedwatch(["once", "--config", box.configURL.path], in: box.dir)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try box.records().count == 3)
        #expect(server.requests(to: "/a.xml").map { $0.header("If-None-Match") } == [nil, "\"a-1\""])
        #expect(server.requests(to: "/b.xml").map { $0.header("If-Modified-Since") } == [nil, "Tue, 01 Jan 2030 00:00:00 GMT"])
        #expect(server.requests.allSatisfy { $0.header("User-Agent")?.hasPrefix("feedwatch/") == true })

        let stats = try await runFeedwatch(["stats", "--config", box.configURL.path], in: box.dir)
        #expect(stats.status == 0)
        let lines = stats.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("records: 3"))
        #expect(lines.contains("sources: 2"))
        #expect(lines.contains("sources_ok: 2"))
        #expect(lines.contains { $0.hasPrefix("source.a: ok; last status 304; last poll ") && $0.hasSuffix("; url \(server.url("/a.xml"))") })
    }

    @Test func statsShowsAFailingSourceWithItsError() async throws {
        let server = try LoopbackHTTPServer()
        server.route("/broken.xml", .status(500))
        server.route("/gone.xml", .status(410))
        let box = try Sandbox(extraConfig: Self.sources([("broken", server.url("/broken.xml")), ("gone", server.url("/gone.xml"))]))
        defer { box.remove() }
        let once = try await runFeedwatch(["once", "--config", box.configURL.path], in: box.dir)
        #expect(once.status == 0, "a failing source is not a failing run: \(once.stderr)")
        #expect(once.stderr.contains("source poll failed; backing off"))
        // `later` is added after the poll, so it has no state yet.
        try box.config(Self.sources([("broken", server.url("/broken.xml")), ("gone", server.url("/gone.xml")),
                                     ("later", server.url("/never.xml"))]))
            .write(to: box.configURL, atomically: true, encoding: .utf8)
        let stats = try await runFeedwatch(["stats", "--config", box.configURL.path], in: box.dir)
        let lines = stats.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("sources_backing_off: 1"))
        #expect(lines.contains("sources_gone: 1"))
        #expect(lines.contains("sources_not_polled: 1"))
        #expect(lines.contains { $0.hasPrefix("source.broken: backing off; last status 500;") && $0.contains("last error HTTP 500") })
        #expect(lines.contains { $0.hasPrefix("source.gone: gone; last status 410;") })
        #expect(lines.contains("source.later: not polled yet; url \(server.url("/never.xml"))"))
    }

    @Test func theDaemonPollsReloadsSourcesOnHangupAndReportsHealth() async throws {
        let server = try LoopbackHTTPServer()
        server.route("/a.xml", .resource(Self.feed(["A1"]), etag: "\"a\""))
        server.route("/b.xml", .resource(Self.feed(["B1"]), etag: "\"b\""))
        let box = try Sandbox(extraConfig: Self.sources([("a", server.url("/a.xml"))]))
        defer { box.remove() }
        // A short watchdog makes the daemon send STATUS= about once a second.
        let daemon = try await box.startReady(watchdogUsec: 2_000_000)
        defer { daemon.stop() }
        #expect(await eventually { (try? box.titles()) == ["A1"] }, "stderr:\n\(daemon.stderr)")
        #expect(await box.listener.waitFor("STATUS=1 articles archived, 0 duplicates and 0 failed files since start; inbox idle; sources: 1 ok, 0 backing off, 0 failing, 0 gone") != nil,
                "\(box.listener.received())")
        try box.config(Self.sources([("a", server.url("/a.xml")), ("b", server.url("/b.xml"))]))
            .write(to: box.configURL, atomically: true, encoding: .utf8)
        let before = box.listener.received().count - 1
        daemon.signal(SIGHUP)
        #expect(await box.listener.waitFor("RELOADING=1", after: before) != nil)
        #expect(await eventually { (try? box.titles().sorted()) == ["A1", "B1"] }, "stderr:\n\(daemon.stderr)")
        #expect(await box.listener.waitFor("STATUS=2 articles archived, 0 duplicates and 0 failed files since start; inbox idle; sources: 2 ok, 0 backing off, 0 failing, 0 gone") != nil)
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
        #expect(FileManager.default.fileExists(atPath: box.dir.appendingPathComponent("var/state/sources.json").path))
    }
}
