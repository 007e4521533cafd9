import FeedWatchTesting
import Foundation
import Glibc
import Testing

/// The Prometheus metrics of the real binary: the textfile `once` writes (checked by promtool),
/// and `/metrics` scraped from a running daemon after a poll and an inbox drop.
@Suite struct MetricsTests {
    static let names = [
        "feedwatch_build_info", "feedwatch_polls_total", "feedwatch_poll_duration_seconds", "feedwatch_poll_delay_seconds",
        "feedwatch_articles_archived_total", "feedwatch_duplicates_suppressed_total", "feedwatch_inbox_files_total",
        "feedwatch_archive_commit_duration_seconds", "feedwatch_archive_commit_bytes_total", "feedwatch_sources",
    ]

    /// `name{labels}` → value, for every sample line of an exposition.
    static func samples(_ text: String) -> [String: Double] {
        var out: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            out[String(line[..<space])] = value
        }
        return out
    }

    static func feed(_ titles: [String]) -> [UInt8] {
        let items = titles.map { "<item><title>\($0)</title><guid>\($0)</guid><description>About \($0) and more.</description></item>" }
        return Array("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Loop</title>\(items.joined())</channel></rss>".utf8)
    }

    static func archiveBytes(_ box: Sandbox) -> Double {
        Double((try? FileManager.default.attributesOfItem(atPath: box.archive.path)[.size] as? Int) ?? -1)
    }

    /// What both tests did: one feed poll with two new articles, then inbox files.
    static func expectCommon(_ s: [String: Double], box: Sandbox, sourceLocation: SourceLocation = #_sourceLocation) {
        for name in names {
            #expect(s.keys.contains { $0.hasPrefix(name) }, "no \(name)", sourceLocation: sourceLocation)
        }
        let expected: [String: Double] = [
            "feedwatch_polls_total{outcome=\"ok\"}": 1, "feedwatch_polls_total{outcome=\"http_error\"}": 0,
            "feedwatch_poll_duration_seconds_count": 1, "feedwatch_poll_delay_seconds_count": 1,
            "feedwatch_articles_archived_total{source_type=\"feed\",kind=\"new\"}": 2,
            "feedwatch_articles_archived_total{source_type=\"file\",kind=\"new\"}": 1,
            "feedwatch_articles_archived_total{source_type=\"page\",kind=\"new\"}": 0,
            "feedwatch_inbox_files_total{outcome=\"archived\"}": 1,
            "feedwatch_sources{health=\"ok\"}": 1, "feedwatch_sources{health=\"failing\"}": 0,
            "feedwatch_archive_commit_bytes_total": archiveBytes(box),
        ]
        for (key, value) in expected {
            let found: Double? = s[key]
            let shown = found.map { "\($0)" } ?? "missing"
            #expect(found == value, "\(key): \(shown), expected \(value)", sourceLocation: sourceLocation)
        }
        let buildInfo = s.filter { (key: String, value: Double) in key.hasPrefix("feedwatch_build_info{version=") }
        #expect(buildInfo.count == 1 && buildInfo.values.first == 1, "\(buildInfo)", sourceLocation: sourceLocation)
        #expect((s["feedwatch_archive_commit_duration_seconds_count"] ?? 0) >= 2, sourceLocation: sourceLocation)
    }

    @Test(.timeLimit(.minutes(2)))
    func onceWritesATextfileThatPromtoolAccepts() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        server.route("/a.xml", .resource(Self.feed(["M1", "M2"]), etag: "\"m\""))
        let box = try Sandbox(extraConfig: """
            [metrics]
            textfile = "var/metrics/feedwatch.prom"

            [[source]]
            name = "a"
            url = "\(server.url("/a.xml"))"
            """)
        defer { box.remove() }
        try FileManager.default.createDirectory(at: box.inbox, withIntermediateDirectories: true)
        try textArticle("Counted once", "Only one of these is archived.").write(to: box.inbox.appendingPathComponent("a.txt"), atomically: false, encoding: .utf8)
        try textArticle("Counted once", "Only one of these is archived.").write(to: box.inbox.appendingPathComponent("b.txt"), atomically: false, encoding: .utf8)
        try Data([0, 1, 2, 3, 0, 0, 255, 254]).write(to: box.inbox.appendingPathComponent("c.txt"))
        let once = try await runFeedwatch(["once", "--config", box.configURL.path], in: box.dir)
        #expect(once.status == 0, "\(once.stderr)")
        let file = box.dir.appendingPathComponent("var/metrics/feedwatch.prom")
        let text = try String(contentsOf: file, encoding: .utf8)
        let s = Self.samples(text)
        Self.expectCommon(s, box: box)
        #expect(s["feedwatch_inbox_files_total{outcome=\"duplicate\"}"] == 1, "\(text)")
        #expect(s["feedwatch_inbox_files_total{outcome=\"failed\"}"] == 1, "\(text)")
        #expect(s["feedwatch_duplicates_suppressed_total"] == 1, "\(text)")
        #expect(!box.names(in: file.deletingLastPathComponent()).contains { $0.hasSuffix(".tmp") }, "written by rename")
        #expect(!text.contains("a.xml") && !text.contains("name=\"a\""), "no source names or URLs as labels")

        let (status, lint) = try shell("command -v promtool >/dev/null || { echo 'promtool missing: apt-get install prometheus (scripts/test.sh does)'; exit 9; }; promtool check metrics < \(file.path) 2>&1")
        #expect(status == 0, "promtool check metrics: \(lint)")
    }

    @Test(.timeLimit(.minutes(3)))
    func aRunningDaemonServesEveryMetricOnLoopback() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        server.route("/a.xml", .resource(Self.feed(["S1", "S2"]), etag: "\"s\""))
        let box = try Sandbox(extraConfig: """
            [metrics]
            listen = "127.0.0.1:0"
            textfile = "var/metrics/feedwatch.prom"
            textfile_interval = "1s"

            [[source]]
            name = "a"
            url = "\(server.url("/a.xml"))"
            interval = "1m"
            """)
        defer { box.remove() }
        let daemon = try await box.startReady()
        defer { daemon.stop() }
        let served = await eventually(timeout: .seconds(20)) { daemon.stderr.contains("url=http://127.0.0.1:") }
        try #require(served, "\(daemon.stderr)")
        let urlText = try #require(daemon.stderr.split(separator: " ").first { $0.hasPrefix("url=http://127.0.0.1:") })
        let port = try #require(UInt16(urlText.dropFirst("url=http://127.0.0.1:".count).prefix { $0.isNumber }))
        #expect(await eventually { (try? box.titles().sorted()) == ["S1", "S2"] }, "\(daemon.stderr)")
        try box.drop("dropped.txt", textArticle("Dropped in", "An inbox article for the metrics."))
        #expect(await eventually { (try? box.titles().count) == 3 }, "\(daemon.stderr)")

        // The poll's commit and the inbox batch are both done once the archive holds all three.
        var scraped = ""
        let complete = await eventually(timeout: .seconds(20)) {
            scraped = (try? Self.get(port: port, path: "/metrics")) ?? ""
            return Self.samples(scraped)["feedwatch_inbox_files_total{outcome=\"archived\"}"] == 1
                && Self.samples(scraped)["feedwatch_sources{health=\"ok\"}"] == 1
        }
        #expect(complete, "\(scraped)")
        #expect(scraped.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(scraped.contains("Content-Type: text/plain; version=0.0.4"))
        Self.expectCommon(Self.samples(scraped), box: box)
        #expect(try Self.get(port: port, path: "/").hasPrefix("HTTP/1.1 404"))

        let textfile = box.dir.appendingPathComponent("var/metrics/feedwatch.prom")
        #expect(await eventually(timeout: .seconds(10)) {
            Self.samples((try? String(contentsOf: textfile, encoding: .utf8)) ?? "")["feedwatch_inbox_files_total{outcome=\"archived\"}"] == 1
        }, "the textfile is rewritten while the daemon runs")
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
        #expect((try? Self.get(port: port, path: "/metrics")) == nil, "the listener closes with the daemon")
    }

    @Test func checkConfigNamesFileLineAndKeyForMetricsMistakes() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        try """
            [metrics]
            textfile = "var/metrics/feedwatch.txt"
            textfile_interval = "soon"
            listen = "0.0.0.0:9464"
            port = 9464
            """.write(to: box.dir.appendingPathComponent("m.toml"), atomically: true, encoding: .utf8)
        let result = try await runFeedwatch(["check-config", "m.toml"], in: box.dir)
        #expect(result.status == 78)
        #expect(result.stderr.split(separator: "\n") == [
            #"m.toml:2: metrics.textfile: "var/metrics/feedwatch.txt" must end in .prom (node_exporter reads only *.prom files)"#,
            #"m.toml:3: metrics.textfile_interval: "soon" is not a duration like "30s", "5m", "1h" or "1d""#,
            #"m.toml:4: metrics.listen: "0.0.0.0:9464": metrics are served on a loopback address only (127.0.0.1, ::1 or localhost)"#,
            #"m.toml:5: metrics.port: unknown key"#,
        ], "\(result.stderr)")
        for good in ["127.0.0.1:0", "[::1]:9464", "localhost:9464", "127.0.0.2:1"] {
            try "[metrics]\nlisten = \"\(good)\"\n".write(to: box.dir.appendingPathComponent("g.toml"), atomically: true, encoding: .utf8)
            let ok = try await runFeedwatch(["check-config", "g.toml"], in: box.dir)
            #expect(ok.status == 0, "\(good): \(ok.stderr)")
        }
        for bad in ["127.0.0.1", "127.0.0.1:70000", "[::1]9464", "example.org:80"] {
            try "[metrics]\nlisten = \"\(bad)\"\n".write(to: box.dir.appendingPathComponent("b.toml"), atomically: true, encoding: .utf8)
            let refused = try await runFeedwatch(["check-config", "b.toml"], in: box.dir)
            #expect(refused.status == 78 && refused.stderr.hasPrefix("b.toml:2: metrics.listen: "), "\(bad): \(refused.stderr)")
        }
    }

    /// One HTTP/1.1 request over a plain loopback socket; the whole response, head and body.
    static func get(port: UInt16, path: String) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { break }
            response += buffer[..<n]
        }
        return String(decoding: response, as: UTF8.self)
    }
}
