import FeedModel
@testable import FeedWatchCore
import Foundation
import SystemPackage
import Testing

/// The named rules of `full_text` (issue 15): which entries are teasers (`TeaserRule`), which
/// pages are the entry's article (`ArticlePageCheck`), the ledger's bound, and the config key.
@Suite struct FullTextRuleTests {
    static let article = [
        "The river council voted on Tuesday to rebuild the old stone bridge that washed away in the spring floods last year.",
        "Engineers said the new bridge would stand on deeper piers and carry a footpath on both sides, at a cost the council put at four million.",
        "Residents who had crossed by ferry for a year welcomed the vote, though some asked why the work would take until next autumn to begin.",
    ].joined(separator: "\n\n")

    static func long(_ words: Int) -> String { (0..<words).map { "word\($0 % 50)" }.joined(separator: " ") }

    @Test func teasersAreShortCutOrEndInAReadMoreLink() {
        #expect(TeaserRule.isTeaser(Article(title: "T", text: "One sentence about the story.")))
        #expect(TeaserRule.isTeaser(Article(title: "T", text: "")), "a title and a link")
        #expect(TeaserRule.isTeaser(Article(title: "T", text: Self.long(150) + " and then…")))
        #expect(TeaserRule.isTeaser(Article(title: "T", text: Self.long(150) + " [...]")))
        #expect(TeaserRule.isTeaser(Article(title: "T", text: Self.long(150) + "\n\nContinue reading →")))
        #expect(TeaserRule.isTeaser(Article(title: "T", text: Self.long(150) + "… more")))
        #expect(!TeaserRule.isTeaser(Article(title: "T", text: Self.long(150) + ".")), "a whole article")
        #expect(!TeaserRule.isTeaser(Article(title: "T", text: Self.long(150) + " we asked for more.")),
                "\"more\" ending a sentence is not a link")
        #expect(TeaserRule.readMoreWords(at: "The story begins. Read more") == 2)
        #expect(TeaserRule.readMoreWords(at: "The story begins.") == 0)
    }

    @Test func thePageIsTheArticleWhenItHoldsTheTeasersWords() {
        let entry = Article(title: "Bridge vote", text: "The river council voted on Tuesday to rebuild the old stone bridge… Read more")
        let page = Article(title: "Something else entirely", text: Self.article)
        let verdict = ArticlePageCheck.check(entry: entry, page: page, link: "http://h/2026/bridge", finalURL: "http://h/2026/bridge")
        guard case .article(let how) = verdict else { Issue.record("\(verdict)"); return }
        #expect(how.hasPrefix("teaser words found"))
    }

    @Test func aRewrittenStandfirstIsAcceptedByTheTitle() {
        let entry = Article(title: "Council votes to rebuild the bridge", text: "Months of ferry crossings will end, officials promise.")
        let page = Article(title: "Council votes to rebuild the bridge | Valley News", text: Self.article)
        let verdict = ArticlePageCheck.check(entry: entry, page: page, link: "http://h/a", finalURL: "http://h/a")
        guard case .article(let how) = verdict else { Issue.record("\(verdict)"); return }
        #expect(how.hasPrefix("titles match"))
        // The same title over a line of text (a wall that keeps the headline) is refused.
        let wall = Article(title: "Council votes to rebuild the bridge", text: "Subscribe to keep reading this story and every other story of ours today.")
        #expect(ArticlePageCheck.check(entry: entry, page: wall, link: "http://h/a", finalURL: "http://h/a")
                == .refused(Refusal(.notTheArticle, "the page's text lacks the entry's teaser and its title \"Council votes to rebuild the bridge\" is not the entry's")))
    }

    @Test func homePagesWallsAndShortPagesAreRefused() {
        let entry = Article(title: "Mayor resigns", text: "The mayor stepped down on Monday after an audit of the town's accounts.")
        let home = Article(title: "Valley News", text: Self.article)
        #expect(ArticlePageCheck.check(entry: entry, page: home, link: "http://h/2026/mayor", finalURL: "http://h/")
                == .refused(Refusal(.homePage, "the link was redirected to the site's home page http://h/")))
        let consent = Article(title: "Before you continue", text: Self.article)
        guard case .refused(let refusal) = ArticlePageCheck.check(entry: entry, page: consent, link: "http://h/a", finalURL: "http://h/a") else {
            Issue.record("accepted a page without the teaser or the title"); return
        }
        #expect(refusal.kind == .notTheArticle)
        let short = Article(title: "Mayor resigns", text: "The mayor stepped down.")
        #expect(ArticlePageCheck.check(entry: entry, page: short, link: "http://h/a", finalURL: "http://h/a").isRefused(.notLonger))
        #expect(ArticlePageCheck.check(entry: entry, page: Article(title: "x"), link: "http://h/a", finalURL: "http://h/a").isRefused(.noText))
        #expect(ArticlePageCheck.isRoot("https://h.example") && ArticlePageCheck.isRoot("https://h.example/"))
        #expect(!ArticlePageCheck.isRoot("https://h.example/?p=12") && !ArticlePageCheck.isRoot("https://h.example/news"))
    }

    @Test func theMergedRecordKeepsTheFeedsFieldsAndTheTeaserAsSummary() {
        let entry = Article(title: "Bridge vote", text: "The teaser.", url: "http://h/a", guid: "g1", published: Timestamp(secondsSince1970: 100))
        let page = Article(title: "Page title", text: Self.article, author: "Ann Writer", published: Timestamp(secondsSince1970: 50),
                           language: "en", tags: ["local"])
        let merged = FullTextPage.merge(entry, page: page)
        #expect(merged.title == "Bridge vote" && merged.text == Self.article && merged.summary == "The teaser.")
        #expect(merged.author == "Ann Writer" && merged.published == Timestamp(secondsSince1970: 100))
        #expect(merged.guid == "g1" && merged.url == "http://h/a" && merged.language == "en" && merged.tags == ["local"])
    }

    @Test func theLedgerKeepsWhatTheFeedShowsAndDropsTheOldestBeyondItsBound() throws {
        var ledger = FullTextLedger(source: "s/with a slash")
        for i in 0..<600 {
            ledger.record("u:\(i)", FullTextLedger.Entry(fingerprint: "f", state: .archived, seq: 0))
        }
        ledger.trim(keeping: ["u:0", "u:1"])
        #expect(ledger.entries.count == 500)
        #expect(ledger.entries["u:0"] != nil && ledger.entries["u:1"] != nil && ledger.entries["u:599"] != nil)
        #expect(ledger.entries["u:2"] == nil)

        let dir = try TestPathsShim.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = FullTextLedgerFiles(stateDirectory: FilePath(dir.path))
        let snapshot = FeedEntrySnapshot(Article(title: "T", text: "x", url: "http://h/a", published: Timestamp(secondsSince1970: 7), tags: ["a"]))
        ledger.record("u:retry", FullTextLedger.Entry(fingerprint: "f", state: .retrying, seq: 0, attempts: 1, retryAt: 99, feed: snapshot))
        try files.save([("s/with a slash", try FullTextLedgerFiles.encode(ledger))])
        let (loaded, problem) = files.load("s/with a slash")
        #expect(problem == nil && loaded.entries.count == 501)
        #expect(loaded.entries["u:retry"]?.feed?.article == snapshot.article)
        #expect(files.load("another").0.entries.isEmpty)
    }

    @Test func theConfigKeyIsCheckedAndDefaultsToNever() throws {
        let base = FilePath("/srv/fw")
        let config = try ConfigLoader.parse(text: """
            [[source]]
            name = "a"
            url = "https://example.org/feed"
            full_text = "auto"
            [[source]]
            name = "b"
            url = "https://example.org/other"
            """, file: "c.toml", base: base)
        #expect(config.sources.map(\.fullText) == [.auto, .never])
        do {
            _ = try ConfigLoader.parse(text: "[[source]]\nname = \"a\"\nurl = \"https://example.org/\"\nfull_text = \"yes\"\n", file: "c.toml", base: base)
            Issue.record("accepted full_text = \"yes\"")
        } catch {
            #expect(error.errors.map(\.description) == ["c.toml:4: full_text: \"yes\" is not one of auto, always, never"])
        }
    }
}

extension ArticlePageCheck.Verdict {
    func isRefused(_ kind: Refusal.Kind) -> Bool {
        if case .refused(let refusal) = self { return refusal.kind == kind }
        return false
    }
}
