import ArgumentParser
import FeedModel
import FeedWatchTesting
import Foundation
import Glibc
import PageExtraction
import Synchronization

/// `full_text` at scale: `feedwatch once` (release build, fsync on) over `hosts` teaser feeds,
/// one per loopback host, `entries` teasers in all, each linking to a page on its feed's host
/// (the extraction dev pages in turn; the teaser is the first 20 words of the page's gold text,
/// the title the page's headline). The first cycle fetches every feed and every page; the second
/// gets every feed again in full (no validators) and must fetch no page: the ledger remembers.
/// Wall time, CPU time and peak RSS are the child's (`PollBench.measure`).
struct FullTextBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "full-text",
                                                    abstract: "Teaser feeds whose entries' pages are fetched and extracted (full_text).")

    @Option(help: "Teaser entries in all.")
    var entries = 2_000

    @Option(help: "Loopback servers, one feed each (each its own host:port, so per-host limits apply as on the web).")
    var hosts = 50

    @Option(help: "Folder with ground-truth.json and html/ (the extraction dev set).")
    var corpus = "Tests/Fixtures/extraction"

    @Option(help: "The feedwatch binary (default: next to this one).")
    var feedwatch: String?

    struct Gold: Decodable { var articleBody: String }

    struct Template {
        var html: [UInt8]
        var headline: String
        var teaser: String
    }

    func run() async throws {
        let binary = feedwatch ?? FeedWatchBinary.besideThisOne
        let folder = URL(fileURLWithPath: corpus)
        let gold = try JSONDecoder().decode([String: Gold].self, from: Data(contentsOf: folder.appendingPathComponent("ground-truth.json")))
        let templates: [Template] = try gold.sorted { $0.key < $1.key }.map { id, g in
            let html = Array(try Data(contentsOf: folder.appendingPathComponent("html/\(id).html")))
            let headline = PageExtractor.extract(html: html, baseURL: nil, charset: nil).article.title
            let teaser = g.articleBody.split(whereSeparator: \.isWhitespace).prefix(20).joined(separator: " ") + " …"
            return Template(html: html, headline: headline, teaser: teaser)
        }
        guard !templates.isEmpty else { throw ValidationError("no pages in \(corpus)") }
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("feedwatch-fulltext-bench-\(getpid())")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }

        let counts = RequestCounts()
        let servers = try (0..<max(1, hosts)).map { _ in try LoopbackHTTPServer() }
        defer { withExtendedLifetime(servers) {} }
        var items = [[String]](repeating: [], count: servers.count)
        var pageBytes = 0
        for i in 0..<entries {
            let host = i % servers.count
            let template = templates[i % templates.count]
            let path = "/news/\(i)"
            servers[host].route(path, Route { _ in
                counts.add(page: true)
                return ScriptedResponse(status: 200, headers: [("Content-Type", "text/html; charset=utf-8")], body: .bytes(template.html))
            })
            pageBytes += template.html.count
            items[host].append("<item><title>\(Self.escape("[\(i)] " + template.headline))</title><guid isPermaLink=\"false\">e\(i)</guid>"
                               + "<link>\(servers[host].url(path))</link><description>\(Self.escape(template.teaser))</description></item>")
        }
        var urls: [String] = []
        for (host, server) in servers.enumerated() {
            let feed = Array(("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Host \(host)</title>"
                              + items[host].joined() + "</channel></rss>").utf8)
            server.route("/feed.xml", Route { _ in
                counts.add(page: false)
                return ScriptedResponse(status: 200, headers: [("Content-Type", "application/rss+xml")], body: .bytes(feed))
            })
            urls.append(server.url("/feed.xml"))
        }
        print("full-text bench: \(entries) teaser entries in \(servers.count) feeds on \(servers.count) loopback hosts, "
              + String(format: "%.1f MB of pages (the %d extraction dev pages in turn)", Double(pageBytes) / 1e6, templates.count))
        let config = root.appendingPathComponent("feedwatch.toml")
        try PollBench.config(root: root, urls: urls, prefix: "host", sourceLines: "full_text = \"auto\"\n").write(to: config, atomically: true, encoding: .utf8)
        for cycle in 1...2 {
            counts.reset()
            let run = try PollBench.measure(binary, ["once", "--config", config.path])
            let (feeds, pages) = counts.snapshot
            let (records, withSummary) = Self.records(in: root.appendingPathComponent("var/archive/articles.jsonl"))
            print(String(format: "feedwatch cycle %d%@: %d feed + %d page requests in %.2f s wall, %.2f s CPU, peak RSS %.1f MB; "
                         + "archive %d records (%d with the page's text); exit %d",
                         cycle, cycle == 2 ? " (feeds again, pages remembered)" : "", feeds, pages, run.wall, run.cpu, run.peakMB,
                         records, withSummary, run.status))
        }
        print("most requests at once on one host: \(servers.map(\.maxSimultaneousRequests).max() ?? 0) (per_host = 2, the default)")
    }

    private static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Records in the archive, and how many carry a `summary` (the teaser, kept beside the page's text).
    private static func records(in file: URL) -> (Int, Int) {
        guard let data = try? Data(contentsOf: file) else { return (0, 0) }
        let lines = data.split(separator: 0x0A)
        let withSummary = lines.filter { String(decoding: $0, as: UTF8.self).contains("\"summary\":") }.count
        return (lines.count, withSummary)
    }
}

/// Feed and page requests, counted by the server threads.
private final class RequestCounts: Sendable {
    private let counts = Mutex<(feeds: Int, pages: Int)>((0, 0))
    func add(page: Bool) { counts.withLock { if page { $0.pages += 1 } else { $0.feeds += 1 } } }
    func reset() { counts.withLock { $0 = (0, 0) } }
    var snapshot: (Int, Int) { counts.withLock { ($0.feeds, $0.pages) } }
}
