import FeedModel
import FeedWatchTesting
import Foundation
@testable import PlainText
import Testing

/// Whole pages dumped as plain text (`PageDumpSet`) through the plain-text parser: article
/// paragraphs kept, the head (navigation, share bars, bylines) and the trailer (comments, polls,
/// related lists, footers) dropped. Rules were developed on half A and confirmed on half B.
@Suite struct PageDumpSetTests {
    static func score(half: String?, prefix: String = "") throws -> PageDumpScore {
        var total = PageDumpScore()
        for page in try PageDumpSet.pages()
        where (half == nil || PageDumpSet.half(page.site) == half) && page.file.hasPrefix(prefix) {
            let dump = try PageDumpSet.dump(page)
            let article = PlainTextArticle.parse(dump)
            total = total + PageDumpScore(dump: dump, gold: page.gold, output: article.text, label: page.file)
        }
        return total
    }

    @Test func setIsPresentAndSplitBySite() throws {
        let pages = try PageDumpSet.pages()
        #expect(pages.count == 192)
        let halves = Dictionary(grouping: pages, by: { PageDumpSet.half($0.site) })
        #expect(halves["A"]?.count ?? 0 >= 70)
        #expect(halves["B"]?.count ?? 0 >= 70)
    }

    @Test(.timeLimit(.minutes(2)), arguments: ["A", "B"])
    func articleKeptPageChromeDropped(half: String) throws {
        let s = try Self.score(half: half)
        print("page dumps, half \(half): \(s.summary); \(s.unscored) pages unscored")
        // The news pages of the Zyte benchmark apart: their gold is the article alone, where
        // Readability's gold keeps what its extractor keeps (references, link lists, captions).
        print("  news pages (x-): \(try Self.score(half: half, prefix: "x-").summary)")
        print("  Readability pages (r-): \(try Self.score(half: half, prefix: "r-").summary)")
        if let path = ProcessInfo.processInfo.environment["FEEDWATCH_PAGEDUMPS_REPORT"] {
            let report = (["# half \(half): \(s.summary)", "## lost"] + s.lost + ["## trailer kept"] + s.trailerKept
                + ["## head kept"] + s.headKept).joined(separator: "\n")
            try Data(report.utf8).write(to: URL(fileURLWithPath: "\(path)-\(half).txt"))
        }
        #expect(s.goldPresent >= 2000)
        // Floors just below the measured figures, so a regression fails. All pages: A 94.4 / 98.1 /
        // 93.3 %, B 80.9 / 93.7 / 90.2 % (kept / trailer dropped / head dropped); news pages: A
        // 99.3 / 97.3 / 94.6 %, B 100 / 97.3 / 84.6 %. Kept is the hard constraint (≥ 99 % on news
        // pages): what the news pages still lose is gold that keeps page furniture (a photo credit
        // and a copyright line under a column, an affiliate notice past the related links, a
        // head line over a code list); on
        // Readability's pages its gold keeps link lists, wiki references and a weekly edition's
        // other articles.
        #expect(s.keptShare >= (half == "A" ? 0.94 : 0.805), "\(s.lost.prefix(20).joined(separator: "\n"))")
        #expect(s.trailerDroppedShare >= 0.935)
        #expect(s.headDroppedShare >= 0.90)
        let news = try Self.score(half: half, prefix: "x-")
        #expect(news.keptShare >= 0.99, "\(news.lost.joined(separator: "\n"))")
        #expect(news.trailerDroppedShare >= 0.97)
    }

    /// Regenerates the fixtures from `../shared/corpus` when asked:
    /// `FEEDWATCH_PAGEDUMPS_CORPUS=../shared/corpus swift test --filter PageDumpSetTests/rebuild`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["FEEDWATCH_PAGEDUMPS_CORPUS"] != nil))
    func rebuild() throws {
        let corpus = try #require(ProcessInfo.processInfo.environment["FEEDWATCH_PAGEDUMPS_CORPUS"])
        #expect(try PageDumpSet.build(corpus: URL(fileURLWithPath: corpus)) == 192)
    }

    /// A development aid: `FEEDWATCH_TRACE=file.txt` prints every paragraph of the file with its
    /// shape and, for each one removed, the rule.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["FEEDWATCH_TRACE"] != nil))
    func trace() throws {
        let path = try #require(ProcessInfo.processInfo.environment["FEEDWATCH_TRACE"])
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        let (_, removed) = PlainTextArticle.explain(text)
        var paragraphs = PageDumpScore.bodyParagraphs(text)
        // The dump's paragraphs may include the header lines the parser took as fields: align
        // on the first removed paragraph's text.
        if let first = removed.first, let at = paragraphs.firstIndex(of: first.paragraph), at > first.index {
            paragraphs.removeFirst(at - first.index)
        }
        let words = paragraphs.map(Words.init)
        let kinds = words.map { ArticleShape.kind($0, strong: BoilerplateClassifier.classify($0).strong) }
        let gone = Dictionary(removed.map { ($0.index, $0.rule) }, uniquingKeysWith: { a, _ in a })
        // "G": a paragraph of the gold article, when the file is one of the set's.
        let name = URL(fileURLWithPath: path).lastPathComponent
        let gold = Set(try PageDumpSet.pages().first { $0.file == name }?.gold ?? [])
        var lines: [String] = []
        for (i, (p, k)) in zip(paragraphs, kinds).enumerated() {
            lines.append("\(gold.contains(p) ? "G" : " ")\(gone[i] == nil ? "   " : "-- ")\(k) \(ArticleShape.size(Words(p))) | \(p.prefix(100))\(gone[i].map { "  [\($0)]" } ?? "")")
        }
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: "/tmp/trace.txt"))
    }

    /// The scorer itself: a trailer kept and dropped, a gold paragraph kept and lost.
    @Test func scorerCountsWhatItShould() {
        let gold = ["The council voted on Tuesday to expand the bicycle network by forty kilometres.",
                    "Shop owners worried about deliveries and parking during the long construction."]
        let dump = "Title\n\nHome\n\n" + gold.joined(separator: "\n\n") + "\n\nView all comments\n\nTerms of use\n"
        let s = PageDumpScore(dump: dump, gold: gold, output: gold[0] + "\n\nTerms of use")
        #expect(s.goldPresent == 2 && s.goldKept == 1)
        #expect(s.head == 1 && s.headDropped == 1)
        #expect(s.trailer == 2 && s.trailerDropped == 1)
    }
}
