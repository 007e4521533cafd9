import FeedModel
import FeedParser
import FeedWatchTesting
import Foundation
import Testing

/// A corpus-driven mutation fuzzer for the parser's public entry point, `ArticleParser.parse`
/// (issue 14): inputs start from every fixture under `Tests/Fixtures` and are mutated (bit
/// flips, interesting bytes, markup tokens, deletions, duplications, splices with another
/// fixture, truncation) for a bounded time:
///
/// - `FEEDWATCH_FUZZ_SECONDS` (default 60 under `CI=true`, 3 otherwise);
/// - `FEEDWATCH_FUZZ_SEED` to replay a run (printed at the start);
/// - `FEEDWATCH_FUZZ_INPUT_SECONDS`: the per-input limit (default 20 in this debug build).
///
/// A crash takes the process down (the failure signal); an input over the per-input limit is a
/// hang and is saved to `$TMPDIR/feedwatch-fuzz-*.bin` for replay; memory must not keep growing.
@Suite(.timeLimit(.minutes(15)))
struct FuzzTests {
    static let environment = ProcessInfo.processInfo.environment

    static var duration: Duration {
        if let s = environment["FEEDWATCH_FUZZ_SECONDS"].flatMap(Double.init) { return .seconds(s) }
        return environment["CI"] == "true" ? .seconds(60) : .seconds(3)
    }

    static var inputLimit: Duration {
        .seconds(environment["FEEDWATCH_FUZZ_INPUT_SECONDS"].flatMap(Double.init) ?? 20)
    }

    /// Every fixture file, at most 64 KB of each (mutants of huge files cost debug-build seconds
    /// and find nothing the small ones do not).
    static func corpus() throws -> [[UInt8]] {
        guard let walk = FileManager.default.enumerator(at: TestPaths.fixtures, includingPropertiesForKeys: nil) else { return [] }
        var out: [[UInt8]] = []
        for case let url as URL in walk where !url.hasDirectoryPath {
            guard let data = try? Data(contentsOf: url), !data.isEmpty else { continue }
            out.append(Array(data.prefix(64 << 10)))
        }
        return out
    }

    static let tokens: [[UInt8]] = [
        "<", ">", "&", "\"", "'", "/>", "</", "<![CDATA[", "]]>", "<!--", "-->", "&amp;", "&#0;", "&#x10FFFF;",
        "&#xD800;", "&nbsp;", "&undefined;", "<?xml version=\"1.0\" encoding=\"utf-16\"?>",
        "<?xml version=\"1.0\" encoding=\"x-unknown\"?>", "<!DOCTYPE rss [<!ENTITY e \"eeee\">]>",
        "<!ENTITY x SYSTEM \"file:///etc/passwd\">", "&e;&e;&e;", "<item>", "</item>", "<entry>", "</entry>",
        "<rss version=\"2.0\"><channel>", "<feed xmlns=\"http://www.w3.org/2005/Atom\">", "<rdf:RDF>",
        "xml:base=\"javascript:alert(1)\"", "href=\"//evil\"", "<pubDate>", "Mon, 99 Foo 2020 25:61:61 +9999",
        "<script>", "</script>", "<br>", "<p>", "</p>", "{", "}", "[", "]", ":", ",", "\"items\":[",
        "{\"version\":\"https://jsonfeed.org/version/1.1\",", "\\u0000", "\\ud800", "\u{FEFF}", "\r\n", "\0",
        "Title: ", "Date: ", "\n\n", "\u{202E}", "\u{0301}",
    ].map { Array($0.utf8) }

    static let interesting: [UInt8] = [0, 0x0A, 0x0D, 0x20, 0x22, 0x26, 0x3C, 0x3E, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xEF, 0xF0, 0xFE, 0xFF]

    static func mutate(_ input: [UInt8], corpus: [[UInt8]], using rng: inout some RandomNumberGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let at = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<9, using: &rng) {
            case 0 where !bytes.isEmpty: bytes[at] ^= UInt8(1) << UInt8.random(in: 0...7, using: &rng)
            case 1 where !bytes.isEmpty: bytes[at] = interesting.randomElement(using: &rng) ?? 0
            case 2: bytes.insert(contentsOf: tokens.randomElement(using: &rng) ?? [], at: at)
            case 3 where !bytes.isEmpty:
                bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...256, using: &rng)))
            case 4 where !bytes.isEmpty:
                let piece = Array(bytes[at..<min(bytes.count, at + Int.random(in: 1...512, using: &rng))])
                bytes.insert(contentsOf: piece, at: Int.random(in: 0...bytes.count, using: &rng))
            case 5:
                let other = corpus.randomElement(using: &rng) ?? []
                guard !other.isEmpty else { continue }
                let from = Int.random(in: 0..<other.count, using: &rng)
                bytes.insert(contentsOf: other[from..<min(other.count, from + Int.random(in: 1...2048, using: &rng))], at: at)
            case 6 where !bytes.isEmpty: bytes.removeSubrange(at...)
            case 7:
                // Nesting, now and then deep (DeepNestingTests measures the growth; here it
                // must only never hang or crash).
                let depth = Int.random(in: 1...(Int.random(in: 0..<8, using: &rng) == 0 ? 20_000 : 500), using: &rng)
                let open = Array(String(repeating: "<x>", count: depth).utf8)
                bytes.insert(contentsOf: open + Array(String(repeating: "</x>", count: depth).utf8), at: at)
            default:
                if !bytes.isEmpty { bytes.swapAt(at, Int.random(in: 0..<bytes.count, using: &rng)) }
            }
        }
        return bytes
    }

    /// Parses on a thread of its own so that a hang is seen (and reported) instead of holding
    /// the suite: `nil` when it did not return within `limit`. Touches every article field.
    static func parse(_ input: ParserInput, limit: Duration) -> Bool {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            if let doc = try? ArticleParser.parse(input) {
                for a in doc.articles {
                    _ = a.id
                    _ = a.wordCount
                    _ = ArticleRecord(article: a, source: ArticleSource(kind: .file, name: "fuzz"),
                                      fetchedAt: Timestamp(secondsSince1970: 0)).jsonLine(id: a.id)
                }
            }
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        let seconds = Double(limit.components.seconds) + Double(limit.components.attoseconds) / 1e18
        return done.wait(timeout: .now() + seconds) == .success
    }

    static func residentBytes() -> Int {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    @Test func mutatedFixturesNeitherCrashNorHangNorLeak() throws {
        let corpus = try Self.corpus()
        try #require(corpus.count > 100, "the fixture corpus is missing")
        let seed = Self.environment["FEEDWATCH_FUZZ_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64.max)
        print("fuzz: seed \(seed), \(Self.duration), \(corpus.count) corpus files (FEEDWATCH_FUZZ_SEED replays)")
        var rng = SeededRandom(seed: seed)
        let formats: [InputFormat] = InputFormat.allCases
        let clock = ContinuousClock()
        let start = clock.now
        let end = start + Self.duration
        var inputs = 0
        var baseline: Int?
        var peak = 0
        while clock.now < end {
            let base = corpus.randomElement(using: &rng) ?? []
            let bytes = Self.mutate(base, corpus: corpus, using: &rng)
            let format = Int.random(in: 0..<3, using: &rng) == 0 ? (formats.randomElement(using: &rng) ?? .auto) : .auto
            let input = ParserInput(bytes: bytes, format: format, baseURL: "https://fuzz.example/feed",
                                    fileName: Bool.random(using: &rng) ? "input.xml" : nil)
            guard Self.parse(input, limit: Self.inputLimit) else {
                let saved = FileManager.default.temporaryDirectory.appendingPathComponent("feedwatch-fuzz-\(seed)-\(inputs).bin")
                try? Data(bytes).write(to: saved)
                Issue.record("input \(inputs) (format \(format), \(bytes.count) bytes) did not parse within \(Self.inputLimit); saved to \(saved.path)")
                return
            }
            inputs += 1
            // Memory after the first tenth of the run is the baseline; a leak keeps growing.
            if baseline == nil, clock.now - start > Self.duration / 10 { baseline = Self.residentBytes() }
            if inputs % 64 == 0 { peak = max(peak, Self.residentBytes()) }
        }
        let final = Self.residentBytes()
        print("fuzz: \(inputs) inputs in \(clock.now - start); resident \(final >> 20) MB (baseline \((baseline ?? 0) >> 20) MB, peak \(peak >> 20) MB)")
        #expect(inputs > 0)
        if let baseline {
            #expect(final - baseline < 256 << 20, "resident memory grew from \(baseline >> 20) MB to \(final >> 20) MB while fuzzing")
        }
    }
}
