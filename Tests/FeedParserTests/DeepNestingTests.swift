import FeedModel
import FeedParser
import Foundation
import Glibc
import Testing

/// Hostile nesting: unknown elements nested very deep inside an entry must cost time linear in
/// the depth (a scan of the element stack per element made 200,000 levels a 50 s parse), and
/// the entry around them must still come out.
@Suite struct DeepNestingTests {
    static func feed(depth: Int) -> [UInt8] {
        var s = #"<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>deep</title>"#
        s += String(repeating: "<a>", count: depth) + "x" + String(repeating: "</a>", count: depth)
        s += "<description>after the nesting</description></item></channel></rss>"
        return Array(s.utf8)
    }

    /// CPU time of this thread: steadier than wall time on a machine shared with other jobs.
    static func threadCPU() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func seconds(depth: Int) throws -> Double {
        let bytes = feed(depth: depth)
        let start = threadCPU()
        let document = try ArticleParser.parse(ParserInput(bytes: bytes, format: .rss))
        let elapsed = threadCPU() - start
        #expect(document.articles.count == 1)
        #expect(document.articles.first?.title == "deep")
        return elapsed
    }

    @Test(.timeLimit(.minutes(2)))
    func parseTimeGrowsLinearlyWithDepth() throws {
        _ = try Self.seconds(depth: 1_000) // warm-up
        let sizes = [25_000, 50_000, 100_000, 200_000]
        let times = try sizes.map { try Self.seconds(depth: $0) }
        // Linear growth gives 8× from 25k to 200k, quadratic 64×; the bound leaves room for noise.
        let growth = times[3] / max(times[0], 1e-4)
        #expect(growth < 20, "parse CPU \(times) s for depths \(sizes): grows \(growth)× over 8× the depth")
    }

    static func page(depth: Int) -> [UInt8] {
        let prose = "<p>" + String(repeating: "The council voted on Tuesday to build new bike lanes along the river. ", count: 8) + "</p>"
        var s = "<html><head><title>Deep</title></head><body><article>" + prose
        s += String(repeating: "<div>", count: depth) + "nested text" + String(repeating: "</div>", count: depth)
        s += prose + "</article></body></html>"
        return Array(s.utf8)
    }

    /// The same for whole pages: elements past the browsers' depth limit get no node of their own,
    /// so extraction (which walks subtrees and ancestors) stays linear and keeps the text.
    @Test(.timeLimit(.minutes(2)))
    func pageExtractionTimeGrowsLinearlyWithDepth() throws {
        let sizes = [25_000, 50_000, 100_000, 200_000]
        var times: [Double] = []
        for depth in sizes {
            let bytes = Self.page(depth: depth)
            let start = Self.threadCPU()
            let document = try ArticleParser.parse(ParserInput(bytes: bytes, format: .html))
            times.append(Self.threadCPU() - start)
            let text = try #require(document.articles.first?.text)
            #expect(text.contains("bike lanes along the river"))
        }
        let growth = times[3] / max(times[0], 1e-4)
        #expect(growth < 20, "extraction CPU \(times) s for depths \(sizes): grows \(growth)× over 8× the depth")
    }
}
