import FeedWatchTesting
import Foundation
import Glibc
import Synchronization
import Testing

/// One node of a test cluster: its own directory, config (differing only in `node_id` and the
/// User-Agent), inbox and stderr; the shared PostgreSQL is `PostgresServer`.
struct ClusterNodeDir {
    let name: String
    let dir: URL
    var configURL: URL { dir.appendingPathComponent("feedwatch.toml") }
    var inbox: URL { dir.appendingPathComponent("var/inbox") }
    var processed: URL { dir.appendingPathComponent("var/processed") }
    var failed: URL { dir.appendingPathComponent("var/failed") }
    var metrics: URL { dir.appendingPathComponent("var/feedwatch.prom") }

    init(name: String, root: URL, server: PostgresServer, sources: String, leaseTTL: String = "4s",
         claimInterval: String = "250ms", httpTimeout: String = "30s") throws {
        self.name = name
        dir = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("var/inbox"), withIntermediateDirectories: true)
        let config = """
            state_dir = "var/state"
            log_level = "info"
            [archive]
            path = "var/archive/articles.jsonl"
            [inbox]
            path = "var/inbox"
            processed = "var/processed"
            failed = "var/failed"
            [http]
            user_agent = "feedwatch-test node-\(name)"
            timeout = "\(httpTimeout)"
            # The loopback server stands for 60 hosts: one host here, so no per-host queue.
            per_host = 16
            [metrics]
            textfile = "var/feedwatch.prom"
            textfile_interval = "1s"
            \(server.clusterSection(node: name, leaseTTL: leaseTTL, claimInterval: claimInterval))
            \(sources)
            """
        try config.write(to: configURL, atomically: true, encoding: .utf8)
    }

    func start() throws -> DaemonProcess {
        try DaemonProcess(["run", "--config", configURL.path], in: dir)
    }

    func names(in url: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }
}

/// Every request the loopback server answered: path, when, and which node (from the User-Agent).
final class RequestLog: Sendable {
    struct Entry: Sendable {
        var path: String
        var at: ContinuousClock.Instant
        var node: String
    }

    private let entries = Mutex<[Entry]>([])

    func record(_ request: RecordedRequest) {
        let agent = request.header("User-Agent") ?? ""
        let node = agent.split(separator: "node-").last.map(String.init) ?? "?"
        entries.withLock { $0.append(Entry(path: request.path, at: .now, node: node)) }
    }

    var all: [Entry] { entries.withLock { $0 } }
}

enum ClusterFixtures {
    /// An RSS feed: `own` items of its own plus the shared ones (the same title and text in
    /// several feeds: one article id, archived once however many feeds serve it).
    static func feed(_ index: Int, own: Int = 2, shared: [Int] = []) -> [UInt8] {
        var items = (0..<own).map { k in
            "<item><title>Feed \(index) story \(k)</title><guid>f\(index)-\(k)</guid><description>Story \(k) of feed \(index), told at length.</description></item>"
        }
        items += shared.map { s in
            "<item><title>Shared story \(s)</title><guid>shared-\(s)-in-\(index)</guid><description>A story many feeds carry, number \(s).</description></item>"
        }
        return Array("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Feed \(index)</title>\(items.joined())</channel></rss>".utf8)
    }

    /// `[[source]]` entries for `count` feeds at `/feed/N`.
    static func sources(_ count: Int, server: LoopbackHTTPServer) -> String {
        (0..<count).map { i in
            """
            [[source]]
            name = "feed-\(i)"
            url = "\(server.url("/feed/\(i)"))"
            type = "feed"

            """
        }.joined()
    }

    /// The ids `feedwatch parse` finds in these documents: what the archive must hold exactly.
    static func expectedIDs(_ documents: [[UInt8]], in dir: URL) async throws -> Set<String> {
        let folder = dir.appendingPathComponent("expected")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var paths: [String] = []
        for (i, bytes) in documents.enumerated() {
            let url = folder.appendingPathComponent("doc-\(i).xml")
            try Data(bytes).write(to: url)
            paths.append(url.path)
        }
        let result = try await runFeedwatch(["parse"] + paths, in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        var ids = Set<String>()
        for line in result.stdout.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            if let id = object?["id"] as? String { ids.insert(id) }
        }
        return ids
    }

    /// count = distinct = max(seq), min(seq) = 1: no duplicate, no gap.
    static func checkLog(_ server: PostgresServer, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Int {
        let row = try await server.psql("SELECT count(*), count(DISTINCT id), coalesce(max(seq), 0), coalesce(min(seq), 1) FROM feedwatch.articles")
        let parts = row.first?.split(separator: "|").compactMap { Int($0) } ?? []
        #expect(parts.count == 4, "\(row)", sourceLocation: sourceLocation)
        guard parts.count == 4 else { return 0 }
        #expect(parts[0] == parts[1] && parts[1] == parts[2] && parts[3] == 1,
                "count \(parts[0]), distinct \(parts[1]), max(seq) \(parts[2]), min(seq) \(parts[3])", sourceLocation: sourceLocation)
        let head = try await server.psql("SELECT last_seq FROM feedwatch.archive_head")
        #expect(head == ["\(parts[2])"], "archive_head \(head) vs max(seq) \(parts[2])", sourceLocation: sourceLocation)
        return parts[0]
    }

    static func ids(_ server: PostgresServer) async throws -> Set<String> {
        Set(try await server.psql("SELECT id FROM feedwatch.articles"))
    }
}
