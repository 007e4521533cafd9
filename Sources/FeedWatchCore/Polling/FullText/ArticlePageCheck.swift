import FeedModel
import Foundation

/// Whether a fetched page is the entry's article, before its text replaces the feed's teaser.
///
/// The class of input it guards against: links that do not lead to the article, although the
/// server answers 200 — a paywall or a consent wall in front of it, a home page after a
/// redirect (a removed article, a geo block), an error page served as a success. The rule:
/// 1. the page has article text, and more words than the feed's entry (else there is nothing
///    to gain and the page is likely a wall);
/// 2. a redirect that ends on the site's root is a home page, whatever it says;
/// 3. the teaser's words are in the page's text (`foundShare` of its first `teaserWords`
///    words, "read more" left out) — the feed's text is the article's opening or its summary;
/// 4. or, when the teaser is a rewritten standfirst whose words are not the article's, the
///    page's title carries the entry's title (`foundShare` of its words; sites append their
///    name to `<title>`), and the page's text is at least `minimumWords` long (a wall that
///    keeps the headline has a line of text, not an article).
/// A page that fails is refused with the reason, and the entry is archived from the feed.
enum ArticlePageCheck {
    enum Verdict: Sendable, Hashable {
        /// The page is the article; how it was recognised, for the debug log.
        case article(String)
        /// Not the article: the reason, for the log and `feedwatch stats`.
        case refused(Refusal)
    }

    static let teaserWords = 40
    static let minimumTeaserWords = 5
    static let foundShare = 0.8
    static let minimumWords = 50

    static func check(entry: Article, page: Article, link: String, finalURL: String) -> Verdict {
        let pageWords = TextWords.lowercased(page.text)
        guard !pageWords.isEmpty else { return .refused(Refusal(.noText, "the page has no article text")) }
        let feedText = entry.text.isEmpty ? (entry.summary ?? "") : entry.text
        let feedCount = TextWords.count(feedText)
        guard pageWords.count > feedCount else {
            return .refused(Refusal(.notLonger, "the page's text (\(pageWords.count) words) is no longer than the feed's (\(feedCount))"))
        }
        if isRoot(finalURL), !isRoot(link) {
            return .refused(Refusal(.homePage, "the link was redirected to the site's home page \(finalURL)"))
        }
        let teaser = teaserWords(entry)
        if teaser.count >= minimumTeaserWords {
            let found = share(of: teaser, in: Set(pageWords))
            if found >= foundShare { return .article("teaser words found (\(percent(found)))") }
        }
        let title = TextWords.lowercased(entry.title)
        if title.count >= 2 {
            let found = share(of: title, in: Set(TextWords.lowercased(page.title)))
            if found >= foundShare, pageWords.count >= minimumWords { return .article("titles match (\(percent(found)))") }
        }
        let pageTitle = page.title.isEmpty ? "no title" : "title \"\(page.title.prefix(80))\""
        return .refused(Refusal(.notTheArticle, "the page's text lacks the entry's teaser and its \(pageTitle) is not the entry's"))
    }

    /// The feed's teaser as words: its summary, else its text, without a "read more" link.
    static func teaserWords(_ entry: Article) -> [String] {
        let text = entry.summary ?? entry.text
        let words = TextWords.lowercased(text)
        return Array(words.dropLast(TeaserRule.readMoreWords(at: text)).prefix(teaserWords))
    }

    static func share(of words: [String], in page: Set<String>) -> Double {
        guard !words.isEmpty else { return 0 }
        return Double(words.filter(page.contains).count) / Double(words.count)
    }

    /// A URL whose path is empty or `/` and that has no query: a site's home page.
    static func isRoot(_ url: String) -> Bool {
        guard let parts = URLComponents(string: url), parts.host != nil else { return false }
        return (parts.path.isEmpty || parts.path == "/") && (parts.query ?? "").isEmpty
    }

    private static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded()))%" }
}

/// Why a page was not taken for the entry's article: a kind from a small fixed set (counted per
/// source in `feedwatch stats`) and a message for the log.
struct Refusal: Sendable, Hashable, Codable {
    enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case noText = "no_text", notLonger = "not_longer", homePage = "home_page", notTheArticle = "not_the_article"
        case httpStatus = "http_status", notHTML = "not_html", unparseable, fetchLimit = "fetch_limit"
        case retriesExhausted = "retries_exhausted"
    }

    var kind: Kind
    var message: String

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}
