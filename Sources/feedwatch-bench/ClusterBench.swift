import Archive
import ArchivePostgres
import ArgumentParser
import FeedModel
import FeedWatchTesting
import Foundation
import Glibc
import Logging
import Synchronization

/// Cluster mode on a throwaway PostgreSQL 15: (1) archive commits per second cluster-wide with
/// three writers (three pools, as three nodes would have) on one database, batched and not;
/// (2) one full polling cycle of many slow loopback feeds (`feedwatch once` in cluster mode)
/// with one node, then with three nodes at once, for the scaling ratio.
struct ClusterBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cluster", abstract: "Cluster mode: commit rate and polling scale-out.")

    @Option(help: "Feed URLs in the polling cycle.")
    var feeds = 6_000

    @Option(help: "Loopback servers the feeds are spread over (each its own host:port).")
    var hosts = 50

    @Option(help: "How long each feed takes to answer, in milliseconds (slow feeds: the cycle waits on the network).")
    var delayMs = 100

    @Option(help: "Fetches in flight per node ([http] concurrency).")
    var concurrency = 64

    @Option(help: "Seconds per commit-rate run.")
    var seconds = 5.0

    @Option(help: "The feedwatch binary (default: next to this one).")
    var feedwatch: String?

    func run() async throws {
        let binary = feedwatch ?? FeedWatchBinary.besideThisOne
        guard PostgresServer.isInstalled else { throw ValidationError("PostgreSQL 15 is not installed") }
        let server = try await PostgresServer.start()
        defer { server.stop() }
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("feedwatch-cluster-bench-\(getpid())")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }

        let servers = try (0..<max(1, hosts)).map { _ in try LoopbackHTTPServer() }
        defer { withExtendedLifetime(servers) {} }
        let delay = Duration.milliseconds(delayMs)
        var sources = ""
        for i in 0..<feeds {
            let body = Array("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>F\(i)</title><item><title>Story \(i)</title><guid>s\(i)</guid><description>The one story of feed \(i).</description></item></channel></rss>".utf8)
            let server = servers[i % servers.count]
            server.route("/feed-\(i).xml", Route { _ in
                ScriptedResponse(status: 200, headers: [("Content-Type", "application/rss+xml")], body: .bytes(body), delay: delay)
            })
            sources += "[[source]]\nname = \"feed-\(i)\"\nurl = \"\(server.url("/feed-\(i).xml"))\"\ntype = \"feed\"\n"
        }
        // The nodes' configs list no sources (the table is the cluster's list); `sync.toml` does.
        let configs = try ["n1", "n2", "n3", "sync"].map { node -> URL in
            let dir = root.appendingPathComponent(node)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let url = dir.appendingPathComponent("feedwatch.toml")
            try """
                state_dir = "\(dir.path)/var/state"
                log_level = "error"
                [inbox]
                path = "\(dir.path)/var/inbox"
                processed = "\(dir.path)/var/processed"
                failed = "\(dir.path)/var/failed"
                [http]
                concurrency = \(concurrency)
                per_host = \(concurrency)
                \(server.clusterSection(node: node, leaseTTL: "2m", claimInterval: "250ms"))
                \(node == "sync" ? sources : "")
                """.write(to: url, atomically: true, encoding: .utf8)
            return url
        }
        for arguments in [["db", "migrate"], ["sources", "sync"]] {
            let run = try PollBench.measure(binary, arguments + ["--config", configs[3].path])
            guard run.status == 0 else { throw ValidationError("feedwatch \(arguments.joined(separator: " ")) failed") }
        }

        // 1. Commits per second, three writers on one database.
        let endpoint = PostgresEndpoint(host: nil, socketDirectory: server.socketDirectory, port: server.port, user: server.user,
                                        database: server.database, password: nil, applicationName: "bench", maxConnections: 2)
        for batch in [1, 50] {
            let (commits, articles, elapsed, cpu) = try await commitRate(endpoint, writers: 3, batch: batch)
            print(String(format: "commits: 3 writers, batch %d: %d commits, %d articles in %.2f s → %.0f commits/s, %.0f articles/s (bench process CPU %.2f s)",
                         batch, commits, articles, elapsed, Double(commits) / elapsed, Double(articles) / elapsed, cpu))
        }
        let check = try await server.psql("SELECT count(*), count(DISTINCT id), max(seq), min(seq) FROM feedwatch.articles")
        print("commit check: count|distinct|max(seq)|min(seq) = \(check.first ?? "?")")

        // 2. One full polling cycle: one node, then three at once.
        var walls: [Double] = []
        for nodes in [1, 3] {
            try await server.psql("TRUNCATE feedwatch.identities, feedwatch.articles")
            try await server.psql("UPDATE feedwatch.archive_head SET last_seq = 0")
            try await server.psql("UPDATE feedwatch.sources SET polled_at = NULL, etag = NULL, last_modified = NULL, next_poll_at = now(), lease_owner = NULL, lease_until = NULL")
            let start = ContinuousClock.now
            let runs = try await withThrowingTaskGroup(of: PollBench.Run.self) { group in
                for config in configs.prefix(nodes) {
                    group.addTask { try await Self.measure(binary, ["once", "--config", config.path]) }
                }
                var all: [PollBench.Run] = []
                for try await run in group { all.append(run) }
                return all
            }
            let wall = (ContinuousClock.now - start).seconds
            walls.append(wall)
            let polled = try await server.psql("SELECT count(*) FROM feedwatch.sources WHERE polled_at IS NOT NULL").first ?? "?"
            let byNode = try await server.psql("SELECT polled_by, count(*) FROM feedwatch.sources GROUP BY polled_by ORDER BY 1").joined(separator: ", ")
            let archived = try await server.psql("SELECT count(*) FROM feedwatch.articles").first ?? "?"
            print(String(format: "polling: %d node(s), %d feeds answering in %d ms: %.2f s wall, %.2f s CPU (all nodes), %@ sources polled (%@), %@ articles, exits %@",
                         nodes, feeds, delayMs, wall, runs.map(\.cpu).reduce(0, +), polled, byNode, archived,
                         runs.map { "\($0.status)" }.joined(separator: ",")))
        }
        print(String(format: "polling scale-out: 3 nodes take %.2fx fewer seconds than 1", walls[0] / walls[1]))
    }

    /// `writers` pools each committing batches of fresh articles for `seconds`.
    private func commitRate(_ endpoint: PostgresEndpoint, writers: Int, batch: Int) async throws -> (Int, Int, Double, Double) {
        let logger = Logger(label: "bench")
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        let cpu0 = ProcessCPU.seconds()
        let start = ContinuousClock.now
        let counts = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for w in 0..<writers {
                group.addTask {
                    try await ClusterConnection.with(endpoint, logger: logger) { db in
                        let archive = ClusterArchive(database: db, node: "bench-\(w)")
                        var commits = 0, articles = 0, n = 0
                        while ContinuousClock.now < deadline {
                            let items = (0..<batch).map { k -> IngestItem in
                                n += 1
                                let article = Article(title: "Bench \(batch) \(w) \(n) \(k)", text: "Body of \(w)/\(n)/\(k).")
                                return IngestItem(article: article, source: ArticleSource(kind: .file, name: "bench-\(w)"),
                                                  fetchedAt: Timestamp(secondsSince1970: 1_800_000_000))
                            }
                            let outcomes = try await archive.append(items)
                            commits += 1
                            articles += outcomes.count { if case .archived = $0 { true } else { false } }
                        }
                        return (commits, articles)
                    }
                }
            }
            var total = (0, 0)
            for try await (c, a) in group { total = (total.0 + c, total.1 + a) }
            return total
        }
        return (counts.0, counts.1, (ContinuousClock.now - start).seconds, ProcessCPU.seconds() - cpu0)
    }

    /// `PollBench.measure` without parking a thread: three nodes at once must not wait for the
    /// cooperative pool's two threads. Wall, CPU (wait4's rusage) and exit status.
    static func measure(_ path: String, _ arguments: [String]) async throws -> PollBench.Run {
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let start = ContinuousClock.now
        let spawned = posix_spawnp(&pid, path, nil, nil, argv, environ)
        guard spawned == 0 else { throw ValidationError("cannot run \(path): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        var usage = rusage()
        while true {
            let done = wait4(pid, &status, WNOHANG, &usage)
            if done == pid { break }
            if done < 0 && errno != EINTR { throw ValidationError("wait4 failed: \(String(cString: strerror(errno)))") }
            try await Task.sleep(for: .milliseconds(5))
        }
        let wall = (ContinuousClock.now - start).seconds
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        let exit = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return PollBench.Run(status: exit, wall: wall, cpu: cpu, peakMB: 0)
    }
}
