import FeedModel
import FeedParser
import Foundation
import FeedWatchTesting
import Testing

/// Damaged and hostile input must neither crash nor hang the parser, nor leak local files
/// (SPEC §4). A crash here takes the test process down, which is the failure signal. Blowups
/// are caught by what they would produce (output size, warnings), never by wall-clock time:
/// CI runs every suite at once on two busy cores; the suite's time limit catches a hang.
@Suite(.timeLimit(.minutes(1)))
struct FuzzFeedTests {

    static func corpus() throws -> [URL] {
        FeedFixtures.conformanceFiles() + (try FeedFixtures.realworldFeeds())
    }

    /// Parses and touches every field; any thrown `ParseError` is an accepted outcome.
    @discardableResult
    static func survive(_ bytes: [UInt8], format: InputFormat = .auto) -> ParsedDocument? {
        guard let doc = try? ArticleParser.parse(ParserInput(bytes: bytes, format: format)) else { return nil }
        for a in doc.articles { _ = a.id; _ = a.wordCount }
        return doc
    }

    @Test func truncatedCorpusFilesParse() throws {
        for url in try Self.corpus() {
            // Cut inside the first 128 KB: every kind of construct is cut somewhere in the corpus,
            // and the suite stays fast in a debug build.
            let bytes = Array(try FeedFixtures.bytes(url).prefix(128 << 10))
            for fraction in [0.05, 0.3, 0.5, 0.77, 0.99] {
                Self.survive(Array(bytes.prefix(Int(Double(bytes.count) * fraction))))
            }
        }
    }

    @Test func truncatedFeedKeepsEarlierEntries() throws {
        let url = FeedFixtures.realworld.appendingPathComponent("rsparser-atp.rss")
        let bytes = try FeedFixtures.bytes(url)
        let full = try FeedFixtures.parse(bytes)
        let half = try FeedFixtures.parse(Array(bytes.prefix(bytes.count / 2)))
        #expect(half.articles.count > 10)
        #expect(half.articles.count < full.articles.count)
        #expect(half.articles.first?.title == full.articles.first?.title)
        #expect(!half.warnings.isEmpty)
    }

    @Test func bitFlippedCorpusFilesParse() throws {
        var rng = SeededRandom(seed: 0xFEED_0001)
        for url in try Self.corpus() {
            // The first 128 KB of each file: enough structure to damage, bounded time.
            let original = Array(try FeedFixtures.bytes(url).prefix(128 << 10))
            guard !original.isEmpty else { continue }
            for _ in 0..<3 {
                var bytes = original
                for _ in 0..<max(1, bytes.count / 2000) {
                    let i = Int.random(in: 0..<bytes.count, using: &rng)
                    bytes[i] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
                }
                Self.survive(bytes)
            }
        }
    }

    @Test func randomBytesInEveryFormat() {
        var rng = SeededRandom(seed: 0xFEED_0002)
        for round in 0..<300 {
            let count = Int.random(in: 1..<4096, using: &rng)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if round % 3 == 0 { bytes = Array("<rss><channel><item><title>".utf8) + bytes }
            if round % 3 == 1 { bytes = bytes.map { $0 & 0x7F | 0x20 } }
            for format in InputFormat.allCases { Self.survive(bytes, format: format) }
        }
    }

    static func survive(_ xml: String) -> ParsedDocument? {
        survive(Array(xml.utf8))
    }

    @Test func billionLaughsIsNotExpanded() {
        var dtd = "<!ENTITY lol \"lol\">"
        for i in 1...9 {
            let prev = i == 1 ? "lol" : "lol\(i - 1)"
            dtd += "<!ENTITY lol\(i) \"" + String(repeating: "&\(prev);", count: 10) + "\">"
        }
        let doc = Self.survive("<?xml version=\"1.0\"?><!DOCTYPE rss [\(dtd)]><rss><channel><item><title>&lol9;</title></item></channel></rss>")
        // Expanded, the title would be 3 GB.
        #expect((doc?.articles.first?.title.count ?? 0) < 1000)
    }

    @Test func quadraticBlowupIsBounded() {
        let big = String(repeating: "a", count: 4000)
        let refs = String(repeating: "&big;", count: 50_000)
        let doc = Self.survive("<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY big \"\(big)\">]><rss><channel><item><title>\(refs)</title></item></channel></rss>")
        // Unbounded, this is 200 MB of title; bounded, it is 256 KB.
        #expect((doc?.articles.first?.title.utf8.count ?? 0) <= (256 << 10) + 4000)
        #expect(doc?.warnings.contains { $0.contains("expansion") } == true)
    }

    /// libxml2 refuses to look ahead more than 10 MB at once ("Huge input lookup"); the driver
    /// must feed a large document in pieces below that, and across piece boundaries.
    @Test func documentOverTenMegabytesHasNoLookupWarning() {
        // 11 MB of 1 KB comments: no single construct is anywhere near the limit.
        let comment = "<!-- " + String(repeating: "0123456789abcdef", count: 63) + " -->\n"
        let xml = "<rss><channel><item><title>first</title></item>" + String(repeating: comment, count: 11 << 10)
            + "<item><title>second</title></item></channel></rss>"
        let doc = Self.survive(xml)
        #expect(doc?.articles.map(\.title) == ["first", "second"])
        #expect(doc?.warnings == [])
    }

    @Test func externalEntitiesAreNeverLoaded() throws {
        let passwd = try String(contentsOfFile: "/etc/passwd", encoding: .utf8)
        let firstLine = String(passwd.split(separator: "\n").first ?? "root:x:0:0")
        let documents = [
            "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><rss><channel><title>&xxe;</title><item><title>&xxe;</title><description>&xxe;</description></item></channel></rss>",
            "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM \"http://127.0.0.1:9/x\">]><rss><channel><item><title>a&xxe;b</title></item></channel></rss>",
            "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY % pe SYSTEM \"file:///etc/passwd\"> %pe;]><rss><channel><item><title>t</title></item></channel></rss>",
            "<?xml version=\"1.0\"?><!DOCTYPE rss SYSTEM \"file:///etc/passwd\"><rss><channel><item><title>t</title></item></channel></rss>",
            "<?xml version=\"1.0\"?><!DOCTYPE rss SYSTEM \"http://127.0.0.1:9/evil.dtd\"><rss><channel><item><title>&ext;</title></item></channel></rss>",
        ]
        for xml in documents {
            let doc = Self.survive(xml)
            let all = (doc?.articles ?? []).map { "\($0.title) \($0.text) \($0.summary ?? "")" }.joined() + (doc?.feedTitle ?? "")
            #expect(!all.contains(firstLine))
            #expect(!all.contains("root:"))
        }
    }

    @Test func deeplyNestedAndHugeDocumentsAreSurvived() {
        let deep = "<rss><channel><item><description>" + String(repeating: "<div>", count: 100_000) + "x"
            + String(repeating: "</div>", count: 100_000) + "</description></item></channel></rss>"
        // A recursive walk would overflow the stack (a crash); a quadratic one, the time limit.
        #expect(Self.survive(deep)?.articles.first?.text == "x")
        let manyAttributes = "<rss><channel><item " + (0..<5000).map { "a\($0)=\"v\"" }.joined(separator: " ") + "><title>x</title></item></channel></rss>"
        #expect(Self.survive(manyAttributes)?.articles.first?.title == "x")
    }
}
