import ArgumentParser
import FeedWatchTesting
import Foundation
import Glibc
import Synchronization

/// One polling cycle as users run it: `feedwatch once` (release build, fsync on) over 2,000
/// feed URLs spread over several loopback "hosts", serving copies of the real-world feeds
/// (each copy's titles tagged, so every feed brings its own articles, as distinct feeds do).
/// Then a second cycle, which the server must answer 304 for every feed. The child's wall
/// time, CPU time and peak RSS come from `wait4`, so the servers' own work is not counted.
/// With `--peer`, the same two cycles are run by a peer command on the same URLs.
struct PollBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "poll", abstract: "Polling cycle over many feeds on a loopback server.")

    @Option(help: "Feed URLs in the config.")
    var feeds = 2_000

    @Option(help: "Loopback servers (each its own host:port, so per-host limits apply as on the web).")
    var hosts = 50

    @Option(help: "Folder of real-world feeds to serve.")
    var corpus = "Tests/Fixtures/realworld"

    @Option(help: "The feedwatch binary (default: next to this one).")
    var feedwatch: String?

    @Option(help: "A peer command run the same way; the file of URLs (one a line) is appended as its last argument.")
    var peer: String?

    func run() async throws {
        let binary = feedwatch ?? FeedWatchBinary.besideThisOne
        let bodies = try Self.loadCorpus(corpus)
        guard !bodies.isEmpty else { throw ValidationError("no feeds in \(corpus)") }
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("feedwatch-poll-bench-\(getpid())")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }

        let counts = StatusCounts()
        let servers = try (0..<max(1, hosts)).map { _ in try LoopbackHTTPServer() }
        defer { withExtendedLifetime(servers) {} } // the servers stop when released
        var urls: [String] = []
        var servedBytes = 0
        for i in 0..<feeds {
            let body = Self.tagged(bodies[i % bodies.count], i)
            servedBytes += body.count
            let server = servers[i % servers.count]
            let path = "/feed-\(i).xml"
            server.route(path, Self.resource(body, etag: "\"feed-\(i)-v1\"", counts: counts))
            urls.append(server.url(path))
        }
        print("poll bench: \(feeds) feeds on \(servers.count) loopback hosts, \(bodies.count) real-world feeds as templates, "
              + String(format: "%.1f MB per full cycle", Double(servedBytes) / 1e6))

        let config = root.appendingPathComponent("feedwatch.toml")
        try Self.config(root: root, urls: urls).write(to: config, atomically: true, encoding: .utf8)
        var ours: [Cycle] = []
        for cycle in 1...2 {
            counts.reset()
            let run = try Self.measure(binary, ["once", "--config", config.path])
            let records = Self.lines(in: root.appendingPathComponent("var/archive/articles.jsonl"))
            let result = Cycle(run: run, counts: counts.snapshot)
            ours.append(result)
            print("feedwatch cycle \(cycle)\(cycle == 2 ? " (conditional)" : ""): \(result.line); archive \(records) records; exit \(run.status)")
        }
        guard let peer else { return }
        let list = root.appendingPathComponent("urls.txt")
        try urls.joined(separator: "\n").write(to: list, atomically: true, encoding: .utf8)
        let words = peer.split(separator: " ").map(String.init)
        for cycle in 1...2 {
            counts.reset()
            let run = try Self.measure(words[0], Array(words.dropFirst()) + [list.path])
            let result = Cycle(run: run, counts: counts.snapshot)
            print("peer cycle \(cycle)\(cycle == 2 ? " (conditional)" : ""): \(result.line); exit \(run.status)")
            print(String(format: "  ratio (peer wall / feedwatch wall): %.2fx", run.wall / ours[cycle - 1].run.wall))
        }
    }

    // MARK: - Serving

    /// 200 with the validators, or 304 when `If-None-Match` names the ETag; counts both.
    private static func resource(_ body: [UInt8], etag: String, counts: StatusCounts) -> Route {
        let lastModified = "Tue, 01 Jan 2030 00:00:00 GMT"
        let full = ScriptedResponse(status: 200, headers: [("Content-Type", "application/xml"), ("ETag", etag),
                                                           ("Last-Modified", lastModified)], body: .bytes(body))
        let notModified = ScriptedResponse(status: 304, headers: [("ETag", etag), ("Last-Modified", lastModified)])
        return Route { request in
            let hit = request.header("If-None-Match") == etag
                || (request.header("If-None-Match") == nil && request.header("If-Modified-Since") == lastModified)
            counts.add(hit ? 304 : 200)
            return hit ? notModified : full
        }
    }

    private static func loadCorpus(_ folder: String) throws -> [[UInt8]] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { !$0.hasSuffix(".expected.json") && !$0.hasSuffix(".md") && !$0.hasPrefix(".") }
            .sorted()
        return try names.map { Array(try Data(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent($0))) }
    }

    /// Prefixes every title with the feed's number, so the copies are distinct articles.
    private static func tagged(_ body: [UInt8], _ index: Int) -> [UInt8] {
        let tags: [([UInt8], [UInt8])] = [
            (Array("<title>".utf8), Array("<title>[\(index)] ".utf8)),
            (Array("\"title\": \"".utf8), Array("\"title\": \"[\(index)] ".utf8)),
            (Array("\"title\":\"".utf8), Array("\"title\":\"[\(index)] ".utf8)),
        ]
        var out: [UInt8] = []
        out.reserveCapacity(body.count + 4096)
        var i = 0
        outer: while i < body.count {
            for (from, to) in tags where body[i] == from[0] && i + from.count <= body.count && body[i..<(i + from.count)].elementsEqual(from) {
                out += to
                i += from.count
                continue outer
            }
            out.append(body[i])
            i += 1
        }
        return out
    }

    /// A daemon config over `root`'s `var/` with one `[[source]]` per URL, named
    /// `\(prefix)-N`, each with `sourceLines` added (the full-text bench shares it).
    static func config(root: URL, urls: [String], prefix: String = "feed", sourceLines: String = "") -> String {
        var text = """
        state_dir = "\(root.path)/var/state"
        log_level = "warning"
        [archive]
        path = "\(root.path)/var/archive/articles.jsonl"
        [inbox]
        path = "\(root.path)/var/inbox"
        processed = "\(root.path)/var/processed"
        failed = "\(root.path)/var/failed"

        """
        for (i, url) in urls.enumerated() {
            text += "[[source]]\nname = \"\(prefix)-\(i)\"\nurl = \"\(url)\"\n\(sourceLines)"
        }
        return text
    }

    private static func lines(in file: URL) -> Int {
        guard let data = try? Data(contentsOf: file) else { return 0 }
        return data.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }

    // MARK: - Measuring

    struct Run: Sendable {
        var status: Int32
        var wall: Double
        var cpu: Double
        var peakMB: Double
    }

    struct Cycle {
        var run: Run
        var counts: [Int: Int]

        var line: String {
            let requests = counts.values.reduce(0, +)
            let statuses = counts.keys.sorted().map { "\(counts[$0] ?? 0)×\($0)" }.joined(separator: ", ")
            return String(format: "%d requests (%@) in %.2f s wall, %.2f s CPU, peak RSS %.1f MB → %.0f requests/s",
                          requests, statuses, run.wall, run.cpu, run.peakMB, Double(requests) / run.wall)
        }
    }

    /// Spawns `path ARGS…` (every path in them absolute) and waits with `wait4` for its own
    /// resource usage.
    static func measure(_ path: String, _ arguments: [String]) throws -> Run {
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let start = ContinuousClock.now
        let spawned = posix_spawnp(&pid, path, nil, nil, argv, environ)
        guard spawned == 0 else { throw ValidationError("cannot run \(path): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        var usage = rusage()
        // Peak RSS is sampled from /proc (VmHWM of the child's own address space): the
        // rusage figure would include this process's size, which the child's spawn shares.
        var peakKB = 0
        while true {
            let done = wait4(pid, &status, WNOHANG, &usage)
            if done == pid { break }
            if done < 0 && errno != EINTR { throw ValidationError("wait4 failed: \(String(cString: strerror(errno)))") }
            peakKB = max(peakKB, Self.highWaterKB(pid))
            usleep(5_000)
        }
        let elapsed = ContinuousClock.now - start
        let wall = elapsed.seconds
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        let exit = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Run(status: exit, wall: wall, cpu: cpu, peakMB: Double(peakKB) / 1024)
    }

    private static func highWaterKB(_ pid: pid_t) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
    }
}

/// Responses by status, counted by the server threads.
private final class StatusCounts: Sendable {
    private let counts = Mutex<[Int: Int]>([:])
    func add(_ status: Int) { counts.withLock { $0[status, default: 0] += 1 } }
    func reset() { counts.withLock { $0 = [:] } }
    var snapshot: [Int: Int] { counts.withLock { $0 } }
}
