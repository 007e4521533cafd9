import FeedWatchTesting
import Foundation
import Glibc
import Testing

/// The inbox in cluster mode: a file leaves an inbox only after COMMIT, so the same files in
/// every node's inbox, and nodes killed mid-ingest, still give each article once, no gap.
/// Part of the serialized `ClusterTests` suite: one multi-node scenario at a time.
extension ClusterTests {
    /// File `i`: two stories of its own and one shared with every tenth file.
    static func document(_ i: Int) -> [UInt8] {
        let items = [
            "<item><title>Inbox story \(i)a</title><guid>in-\(i)a</guid><description>The first story of file \(i).</description></item>",
            "<item><title>Inbox story \(i)b</title><guid>in-\(i)b</guid><description>The second story of file \(i).</description></item>",
            "<item><title>Common story \(i % 10)</title><guid>common-\(i % 10)</guid><description>Told in many files: \(i % 10).</description></item>",
        ]
        return Array("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Drop \(i)</title>\(items.joined())</channel></rss>".utf8)
    }

    /// Writes beside the inbox, then renames in (how producers drop files).
    static func drop(_ bytes: [UInt8], name: String, into node: ClusterNodeDir) throws {
        let staging = node.dir.appendingPathComponent("staging")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        let tmp = staging.appendingPathComponent(name)
        try Data(bytes).write(to: tmp)
        try FileManager.default.moveItem(at: tmp, to: node.inbox.appendingPathComponent(name))
    }

    @Test func theSameFilesInThreeInboxesAndKilledNodes() async throws {
        try #require(PostgresServer.isInstalled, "PostgreSQL 15 is missing; scripts/setup.sh installs it")
        let root = try TestPaths.makeTemporaryDirectory("fw-cluster-inbox")
        defer { try? FileManager.default.removeItem(at: root) }
        let server = try await PostgresServer.start()
        defer { server.stop() }
        let nodes = try ["A", "B", "C"].map { try ClusterNodeDir(name: $0, root: root, server: server, sources: "") }
        try await ClusterTests.migrate(nodes[0], root: root)
        var daemons = try nodes.map { try $0.start() }
        defer { daemons.forEach { $0.stop() } }

        // 1. The same 100 files dropped into all three inboxes at once.
        let first = (0..<100).map(Self.document)
        for (i, bytes) in first.enumerated() {
            for node in nodes { try Self.drop(bytes, name: "drop-\(i).xml", into: node) }
        }
        let done = await eventually(timeout: .seconds(30)) {
            nodes.allSatisfy { $0.names(in: $0.processed).count == 100 }
        }
        #expect(done, "processed: \(nodes.map { $0.names(in: $0.processed).count }), failed: \(nodes.map { $0.names(in: $0.failed).count })")
        _ = try await ClusterFixtures.checkLog(server)
        let expectedFirst = try await ClusterFixtures.expectedIDs(first, in: root)
        #expect(try await ClusterFixtures.ids(server) == expectedFirst)

        // 2. Files keep arriving while nodes are killed (-9) and restarted at random moments.
        let rounds = 20
        var next = 100
        var all = first
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<rounds {
            for _ in 0..<5 {
                let bytes = Self.document(next)
                all.append(bytes)
                for node in nodes { try Self.drop(bytes, name: "drop-\(next).xml", into: node) }
                next += 1
            }
            try await Task.sleep(for: .milliseconds(Int64.random(in: 50...400, using: &generator)))
            let victim = Int.random(in: 0..<3, using: &generator)
            daemons[victim].signal(SIGKILL)
            _ = await daemons[victim].waitForExit(timeout: .seconds(5))
            daemons[victim] = try nodes[victim].start()
        }
        let drained = await eventually(timeout: .seconds(40)) {
            nodes.allSatisfy { $0.names(in: $0.inbox).isEmpty }
        }
        #expect(drained, "still waiting: \(nodes.map { $0.names(in: $0.inbox).count })")
        for node in nodes {
            #expect(node.names(in: node.failed).isEmpty, "\(node.name) failed: \(node.names(in: node.failed))")
            #expect(node.names(in: node.processed).count == next, "\(node.name): \(node.names(in: node.processed).count) of \(next)")
        }
        for daemon in daemons { daemon.signal(SIGTERM) }
        for daemon in daemons { _ = await daemon.waitForExit(timeout: .seconds(20)) }
        let count = try await ClusterFixtures.checkLog(server)
        let expected = try await ClusterFixtures.expectedIDs(all, in: root)
        #expect(try await ClusterFixtures.ids(server) == expected)
        #expect(count == expected.count)
    }

    @Test func tailFollowsAcrossAKilledBackend() async throws {
        try #require(PostgresServer.isInstalled, "PostgreSQL 15 is missing; scripts/setup.sh installs it")
        let root = try TestPaths.makeTemporaryDirectory("fw-cluster-tail")
        defer { try? FileManager.default.removeItem(at: root) }
        let server = try await PostgresServer.start()
        defer { server.stop() }
        let node = try ClusterNodeDir(name: "A", root: root, server: server, sources: "")
        try await ClusterTests.migrate(node, root: root)
        // Started before any writer.
        let tail = try DaemonProcess(["tail", "--from", "postgres", "--follow", "--config", node.configURL.path], in: root)
        defer { tail.stop() }
        let listening = await eventually(timeout: .seconds(10)) {
            ((try? await server.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'feedwatch-tail%'")) ?? ["0"]) != ["0"]
        }
        try #require(listening, "tail never connected: \(tail.stderr)")
        // The mirror follows too; it is killed (-9) mid-stream and restarted below.
        var mirror = try DaemonProcess(["mirror", "--follow", "--config", node.configURL.path], in: node.dir)
        defer { mirror.stop() }
        let daemon = try node.start()
        defer { daemon.stop() }
        var documents: [[UInt8]] = []
        for wave in 0..<3 {
            for i in 0..<10 {
                let bytes = Self.document(wave * 10 + i)
                documents.append(bytes)
                try Self.drop(bytes, name: "w\(wave)-\(i).xml", into: node)
                try await Task.sleep(for: .milliseconds(30))
            }
            if wave == 0 {
                mirror.signal(SIGKILL)
                _ = await mirror.waitForExit(timeout: .seconds(5))
                mirror = try DaemonProcess(["mirror", "--follow", "--config", node.configURL.path], in: node.dir)
            }
            if wave == 1 {
                // Kill the tail's backend mid-stream: it must reconnect and resume at its cursor.
                let killed = try await server.psql("SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'feedwatch-tail%') t")
                #expect(killed != ["0"])
            }
        }
        let expected = try await ClusterFixtures.expectedIDs(documents, in: root)
        let total = expected.count
        let caughtUp = await eventually(timeout: .seconds(20)) {
            tail.stdout.split(separator: "\n").count >= total
        }
        #expect(caughtUp, "tail printed \(tail.stdout.split(separator: "\n").count) of \(total) lines; stderr: \(tail.stderr)")
        try await Task.sleep(for: .milliseconds(500))
        let seqs = try tail.stdout.split(separator: "\n").map { line -> Int in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return object?["seq"] as? Int ?? -1
        }
        #expect(seqs == Array(1...total), "seqs printed: \(seqs)")
        #expect(tail.stderr.contains("reconnecting"), "the backend kill went unnoticed: \(tail.stderr)")
        _ = try await ClusterFixtures.checkLog(server)
        // The mirror file: exactly the log, seq 1…N, across its kill -9 and restart.
        let file = node.dir.appendingPathComponent("var/archive/articles.jsonl")
        let lines = try await server.psql("SELECT line FROM feedwatch.articles ORDER BY seq")
        let mirrored = await eventually(timeout: .seconds(10)) {
            ((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(separator: "\n").count >= lines.count
        }
        #expect(mirrored, "mirror stderr: \(mirror.stderr)")
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        #expect(text.hasSuffix("\n"))
        #expect(text.split(separator: "\n").map(String.init) == lines)
        // The file-mode tail reads it like any archive.
        let fileTail = try await runFeedwatch(["tail", "--after", "\(total - 1)", "--config", node.configURL.path], in: node.dir)
        #expect(fileTail.stdout.split(separator: "\n").map(String.init) == [lines.last ?? ""], "\(fileTail.stderr)")
    }

    @Test func checkConfigValidatesTheClusterSection() async throws {
        let dir = try TestPaths.makeTemporaryDirectory("fw-cluster-config")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("feedwatch.toml")
        try """
            log_level = "info"
            [cluster]
            node_id = "a b"
            port = 70000
            lease_ttl = "soon"
            claim_interval = "250ms"
            colour = "blue"
            """.write(to: file, atomically: true, encoding: .utf8)
        let result = try await runFeedwatch(["check-config", file.path], in: dir)
        #expect(result.status == 78)
        for expected in ["feedwatch.toml:3: cluster.node_id:", "feedwatch.toml:4: cluster.port:",
                         "feedwatch.toml:5: cluster.lease_ttl:", "feedwatch.toml:7: cluster.colour: unknown key"] {
            #expect(result.stderr.contains(expected), "\(expected) missing in: \(result.stderr)")
        }
        try """
            [cluster]
            node_id = "node-1"
            socket_dir = "/run/postgresql"
            lease_ttl = "2m"
            claim_interval = "1s"
            """.write(to: file, atomically: true, encoding: .utf8)
        let good = try await runFeedwatch(["check-config", file.path], in: dir)
        #expect(good.status == 0, "\(good.stderr)")
    }
}
