import FeedModel
import FeedWatchTesting
import Foundation
@testable import PageExtraction
import Testing

/// The two extraction dev sets, scored by the benchmark's metric (`ExtractionMetric`, as
/// `extract_eval.py` computes it), and the Readability set's expected titles and bylines.
///
/// The floors are the measured figures minus a little noise, so a regression fails here; the
/// targets are the best peers measured in the same run (`scripts/bench-extract.sh`).
@Suite struct ExtractionDevSetTests {
    struct Gold: Decodable { var articleBody: String; var url: String? }

    struct Expected: Decodable { var title: String?; var byline: String? }

    struct Page {
        var id: String
        var gold: Gold
        var article: Article
    }

    /// Every page of `Tests/Fixtures/<set>` extracted once.
    static func extractAll(_ set: String) throws -> [Page] {
        let dir = TestPaths.fixtures.appendingPathComponent(set)
        let gold = try JSONDecoder().decode([String: Gold].self,
                                            from: Data(contentsOf: dir.appendingPathComponent("ground-truth.json")))
        return try gold.sorted(by: { $0.key < $1.key }).map { id, g in
            let html = try #require(FileManager.default.contents(atPath: dir.appendingPathComponent("html/\(id).html").path))
            return Page(id: id, gold: g, article: PageExtractor.extract(html: [UInt8](html), baseURL: g.url, charset: nil).article)
        }
    }

    static func score(_ pages: [Page], label: String) -> ExtractionMetric.Score {
        let score = ExtractionMetric.score(pages.map { ExtractionMetric.counts(gold: $0.gold.articleBody, predicted: $0.article.text) })
        print(String(format: "\(label): %d pages, F1 %.4f  P %.4f  R %.4f", pages.count, score.f1, score.precision, score.recall))
        return score
    }

    /// Pages whose gold has text but whose output has none.
    static func empties(_ pages: [Page]) -> [String] {
        pages.filter { !ExtractionMetric.tokens($0.gold.articleBody).isEmpty && ExtractionMetric.tokens($0.article.text).isEmpty }
            .map(\.id)
    }

    @Test(.timeLimit(.minutes(5)))
    func benchmarkPages() throws {
        let pages = try Self.extractAll("extraction")
        #expect(pages.count == 62)
        let score = Self.score(pages, label: "extraction dev set (benchmark)")
        // Measured 0.985 (P 0.981, R 0.989; halves A 0.981, B 0.989); trafilatura 2.3.1 0.967,
        // readability-lxml 0.960 in the same run.
        #expect(score.f1 >= 0.978)
        #expect(score.precision >= 0.975 && score.recall >= 0.983)
        #expect(Self.empties(pages) == [])
    }

    @Test(.timeLimit(.minutes(5)))
    func readabilityPages() throws {
        let pages = try Self.extractAll("extraction-readability")
        #expect(pages.count == 130)
        let score = Self.score(pages, label: "extraction dev set (Readability)")
        // Measured 0.970 (P 0.983, R 0.957; halves A 0.971, B 0.968); readability-lxml 0.9
        // 0.965 (its gold keeps captions and link paragraphs, which we drop), trafilatura 0.933.
        #expect(score.f1 >= 0.955)
        #expect(Self.empties(pages) == [])
    }

    /// Titles and bylines against Readability's expected metadata: a title counts when equal
    /// after white space is normalized, a byline when equal after a leading "By"/"Par"/"Von"
    /// is dropped too, ignoring case (Readability keeps "By Jane Doe" as the byline; the
    /// record's `author` is the name).
    @Test(.timeLimit(.minutes(5)))
    func readabilityMetadata() throws {
        let dir = TestPaths.fixtures.appendingPathComponent("extraction-readability")
        let expected = try JSONDecoder().decode([String: Expected].self,
                                                from: Data(contentsOf: dir.appendingPathComponent("metadata.json")))
        let pages = try Self.extractAll("extraction-readability")
        var titles = (equal: 0, total: 0), authors = (equal: 0, total: 0)
        for page in pages {
            guard let e = expected[page.id] else { continue }
            if let title = e.title, !title.isEmpty {
                titles.total += 1
                if Self.spaces(title) == Self.spaces(page.article.title) { titles.equal += 1 }
            }
            if let byline = e.byline, !byline.isEmpty {
                authors.total += 1
                if Self.name(byline) == Self.name(page.article.author ?? "") { authors.equal += 1 }
            }
        }
        print("Readability metadata: titles \(titles.equal)/\(titles.total), authors \(authors.equal)/\(authors.total)")
        #expect(titles.total == 127 && authors.total == 76)
        // Measured 127 and 63; the issue asks for 110 and 40 (trafilatura: 82 and 34).
        #expect(titles.equal >= 120)
        #expect(authors.equal >= 55)
    }

    /// Every dev page cut at a third and at two thirds (a transfer that stopped): no crash, and
    /// text whenever the cut page still holds an article.
    @Test(.timeLimit(.minutes(5)))
    func truncatedDevPagesDoNotCrash() throws {
        for set in ["extraction", "extraction-readability"] {
            let dir = TestPaths.fixtures.appendingPathComponent(set).appendingPathComponent("html")
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(".html") {
                let bytes = try [UInt8](Data(contentsOf: dir.appendingPathComponent(name)))
                for cut in [bytes.count / 3, bytes.count * 2 / 3] {
                    let result = PageExtractor.extract(html: Array(bytes[..<cut]), baseURL: nil, charset: nil)
                    #expect(!result.article.text.contains("\n\n\n"), "\(name) cut at \(cut)")
                }
            }
        }
    }

    static func spaces(_ s: String) -> String {
        s.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static func name(_ s: String) -> String {
        var n = spaces(s).lowercased()
        for prefix in ["written by ", "by ", "par ", "von "] where n.hasPrefix(prefix) {
            n = String(n.dropFirst(prefix.count))
            break
        }
        return n
    }
}
