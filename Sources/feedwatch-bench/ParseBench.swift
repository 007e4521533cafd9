import ArgumentParser
import FeedModel
import FeedParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Parser throughput: the real-world XML feeds, the JSON feeds, and a generated large RSS feed
/// with HTML descriptions, each parsed from bytes in memory through `ArticleParser.parse` (the
/// whole path: charset, XML, text normalization, dates, links). `scripts/bench-parse.sh` runs
/// Python's feedparser on the same XML files and prints the ratio.
struct ParseBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "parse", abstract: "Parser throughput (feeds) against Python's feedparser.")

    @Option(help: "Folder of real-world feeds (*.expected.json and *.md are skipped).")
    var corpus: String = "Tests/Fixtures/realworld"

    @Option(help: "Minimum seconds to spend on each set.")
    var seconds: Double = 2

    @Option(help: "Size of the generated RSS feed in MB (0 to skip).")
    var generatedMB: Int = 50

    struct Figures {
        var bytes = 0
        var entries = 0
        var elapsed = Duration.zero
        var cpuSeconds = 0.0
        var rounds = 0

        var seconds: Double { elapsed.seconds }
        var mbPerSecond: Double { Double(bytes) / 1_000_000 / seconds }
        var mbPerCPUSecond: Double { Double(bytes) / 1_000_000 / cpuSeconds }
        var entriesPerSecond: Double { Double(entries) / seconds }
    }

    func run() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: corpus)
            .filter { !$0.hasSuffix(".expected.json") && !$0.hasSuffix(".md") }
            .sorted()
        var xml: [[UInt8]] = []
        var json: [[UInt8]] = []
        for name in files {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: corpus).appendingPathComponent(name)))
            if name.hasSuffix(".json") { json.append(bytes) } else { xml.append(bytes) }
        }
        guard !xml.isEmpty else { throw ValidationError("no feeds in \(corpus)") }

        let x = try measure(xml)
        report("real-world XML feeds (\(xml.count) files)", x, set: xml)
        print("xml_mb_per_s=\(String(format: "%.2f", x.mbPerSecond))")
        print("xml_cpu_mb_per_s=\(String(format: "%.2f", x.mbPerCPUSecond))")
        if !json.isEmpty {
            let j = try measure(json)
            report("real-world JSON feeds (\(json.count) files)", j, set: json)
            print("json_mb_per_s=\(String(format: "%.2f", j.mbPerSecond))")
        }
        if generatedMB > 0 {
            let big = Self.generatedRSS(megabytes: generatedMB)
            let g = try measure([big], minimumRounds: 1)
            report("generated RSS with HTML descriptions", g, set: [big])
            print("generated_mb_per_s=\(String(format: "%.2f", g.mbPerSecond))")
        }
        print("peak memory (ru_maxrss): \(Int(ProcessMemory.peakMB())) MB")
    }

    private func measure(_ set: [[UInt8]], minimumRounds: Int = 3) throws -> Figures {
        var f = Figures()
        let clock = ContinuousClock()
        while f.rounds < minimumRounds || f.seconds < seconds {
            let start = clock.now
            let cpuStart = ProcessCPU.seconds()
            for bytes in set {
                let document = try ArticleParser.parse(ParserInput(bytes: bytes))
                f.entries += document.articles.count
                f.bytes += bytes.count
            }
            f.elapsed += clock.now - start
            f.cpuSeconds += ProcessCPU.seconds() - cpuStart
            f.rounds += 1
        }
        return f
    }

    private func report(_ label: String, _ f: Figures, set: [[UInt8]]) {
        let size = Double(set.reduce(0) { $0 + $1.count }) / 1_000_000
        print(String(format: "%@: %.2f MB, %d entries per round, %d rounds in %.2f s → %.1f MB/s, %.0f entries/s; %.1f MB/s per CPU second",
                     label, size, f.entries / max(f.rounds, 1), f.rounds, f.seconds, f.mbPerSecond, f.entriesPerSecond,
                     f.mbPerCPUSecond))
    }

    /// A feed shaped like a busy news site's: escaped HTML descriptions with links, entities,
    /// lists and paragraphs, RFC 822 dates, categories, dc:creator.
    static func generatedRSS(megabytes: Int) -> [UInt8] {
        var out = Array("""
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
        <title>Generated news</title><link>https://news.example.org/</link><language>en</language>

        """.utf8)
        let target = megabytes * 1_000_000
        var i = 0
        let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        while out.count < target {
            let item = """
            <item><title>Story \(i): council &amp; residents agree on the new café plan</title>
            <link>https://news.example.org/2024/story-\(i)?utm_source=rss</link>
            <guid isPermaLink="false">story-\(i)</guid><dc:creator>Reporter \(i % 97)</dc:creator>
            <pubDate>\(days[i % 7]), \(String(format: "%02d", i % 28 + 1)) Mar 2024 \(String(format: "%02d", i % 24)):15:00 +0100</pubDate>
            <category>Local</category><category>Politics</category>
            <description>&lt;p&gt;The council met on Tuesday &amp;mdash; and for once, &lt;b&gt;everyone&lt;/b&gt; agreed.&lt;/p&gt;
            &lt;p&gt;Residents had asked for &lt;a href="https://news.example.org/ref/\(i)"&gt;a new caf&amp;eacute;&lt;/a&gt; for years;
            the plan includes &lt;em&gt;longer opening hours&lt;/em&gt;, outdoor seating and a reading corner.&lt;/p&gt;
            &lt;ul&gt;&lt;li&gt;Opening: spring&lt;/li&gt;&lt;li&gt;Cost: 1.2 million&lt;/li&gt;&lt;li&gt;Seats: 48&lt;/li&gt;&lt;/ul&gt;
            &lt;p&gt;&lt;img src="/img/\(i).jpg" alt="The site"&gt;&lt;br&gt;Photo: archive.&lt;/p&gt;</description></item>

            """
            out.append(contentsOf: item.utf8)
            i += 1
        }
        out.append(contentsOf: "</channel></rss>\n".utf8)
        return out
    }
}
