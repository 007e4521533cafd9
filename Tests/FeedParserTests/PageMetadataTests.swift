import FeedModel
import Foundation
@testable import PageExtraction
import Testing

/// Page metadata: each field from its most authoritative source, in the documented order.
@Suite struct PageMetadataTests {
    static let body = "<body><article><h1>The H1 headline</h1><p>" + String(repeating: "Body text of the article, long enough to be found. ", count: 6) + "</p></article></body>"

    static func article(_ head: String, htmlAttributes: String = "", body: String = body, base: String? = "https://example.org/news/story?utm_source=x") -> Article {
        let html = "<!DOCTYPE html><html \(htmlAttributes)><head>\(head)</head>\(body)</html>"
        return PageExtractor.extract(html: Array(html.utf8), baseURL: base, charset: nil).article
    }

    static let jsonLD = """
    <script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Site"},
    {"@type":"NewsArticle","headline":"JSON-LD headline","author":[{"@type":"Person","name":"Ann Lee"},{"@type":"Person","name":"Bo Chen"}],
    "datePublished":"2024-03-01T10:00:00+01:00","dateModified":"2024-03-02T08:30:00Z","keywords":["transport","city"],
    "description":"JSON-LD description"}]}</script>
    """

    @Test func titlePriority() {
        let title = "<title>The title tag headline is here | Site Name</title>"
        let og = "<meta property=\"og:title\" content=\"OG headline\">"
        #expect(Self.article(title + og + Self.jsonLD).title == "JSON-LD headline")
        #expect(Self.article(title + og).title == "OG headline")
        #expect(Self.article(title).title == "The title tag headline is here")
        #expect(Self.article("<title>Another long headline with words - The Site</title>").title == "Another long headline with words")
        #expect(Self.article("<title>Headline of an article today – My website</title>").title == "Headline of an article today", "en dash")
        // Readability's rule: cutting that leaves four words or fewer keeps the whole title.
        #expect(Self.article("<title>Short headline - The Site</title>").title == "Short headline - The Site")
        // One part only: the first part is cut instead of the last.
        #expect(Self.article("<title>Site » The headline of the article today</title>").title == "The headline of the article today")
        #expect(Self.article("").title == "The H1 headline")
        #expect(Self.article("<meta property=\"dc:title\" content=\"DC title\">" + og).title == "DC title")
        #expect(Self.article("<meta property=\"x:title og:title\" content=\"Space separated\"/>").title == "Space separated")
        #expect(Self.article("<title>Caf&eacute;  &amp;\n bar</title>").title == "Café & bar")
    }

    /// JSON-LD `headline` and `name` disagree: the one that reads like the `<title>` wins, else
    /// `name` (Readability's check; Wikipedia's `headline` is a description).
    @Test func jsonLDHeadlineIsCheckedAgainstTheTitle() {
        func ld(_ name: String, _ headline: String) -> String {
            #"<script type="application/ld+json"><![CDATA[{"@context":"https://schema.org","@type":"Article","name":"\#(name)","headline":"\#(headline)"}]]></script>"#
        }
        #expect(Self.article("<title>New Zealand - Wikipedia</title>" + ld("New Zealand", "constitutional monarchy in Oceania")).title == "New Zealand")
        #expect(Self.article("<title>Students return to school this week - Aktualne</title>" + ld("Aktualne.cz", "Students return to school this week")).title
                == "Students return to school this week")
    }

    @Test func authorFromBylines() {
        func body(_ byline: String) -> String {
            Self.body.replacingOccurrences(of: "<h1>The H1 headline</h1>", with: "<h1>The H1 headline</h1>" + byline)
        }
        #expect(Self.article("", body: body(#"<span itemprop="author" itemscope><span itemprop="name">Ann Lee</span></span>"#)).author == "Ann Lee")
        #expect(Self.article("", body: body(#"<div class="article-byline">By Bo Chen</div>"#)).author == "Bo Chen")
        #expect(Self.article("", body: body(#"<p class="authorName">Par Zoé Martin</p>"#)).author == "Zoé Martin")
        // Not a byline: a name inside a word, or a byline in the page's navigation.
        #expect(Self.article("", body: body(#"<div class="authority-box">Trust us</div>"#)).author == nil)
        #expect(Self.article("", body: "<body><nav><span class=\"author\">Other Person</span></nav>" + Self.body.dropFirst(6)).author == nil)
        #expect(Self.article("<meta name=\"dc.creator\" content=\"Dee Creator\">").author == "Dee Creator")
    }

    @Test func authorPriority() {
        #expect(Self.article(Self.jsonLD + "<meta name=\"author\" content=\"Meta Author\">").author == "Ann Lee, Bo Chen")
        #expect(Self.article("<meta name=\"author\" content=\"Meta Author\">").author == "Meta Author")
        let relAuthor = Self.body.replacingOccurrences(of: "<p>", with: "<p>By <a rel=\"author\" href=\"/u/z\">Zoe Park</a>. ")
        #expect(Self.article("", body: relAuthor).author == "Zoe Park")
        #expect(Self.article("<meta property=\"article:author\" content=\"https://facebook.com/someone\">").author == nil)
    }

    @Test func datesPriority() {
        let fromLD = Self.article(Self.jsonLD + "<meta property=\"article:published_time\" content=\"2020-01-01T00:00:00Z\">")
        #expect(fromLD.published?.rfc3339 == "2024-03-01T09:00:00Z")
        #expect(fromLD.updated?.rfc3339 == "2024-03-02T08:30:00Z")
        let fromMeta = Self.article("<meta property=\"article:published_time\" content=\"2020-01-01T12:00:00-05:00\"><meta property=\"article:modified_time\" content=\"2020-01-02T00:00:00Z\">")
        #expect(fromMeta.published?.rfc3339 == "2020-01-01T17:00:00Z")
        #expect(fromMeta.updated?.rfc3339 == "2020-01-02T00:00:00Z")
        let timeBody = Self.body.replacingOccurrences(of: "<p>", with: "<time datetime=\"2019-11-19T10:07:00-0500\">Nov 19</time><p>")
        #expect(Self.article("", body: timeBody).published?.rfc3339 == "2019-11-19T15:07:00Z")
        #expect(Self.article("<meta name=\"date\" content=\"Tue, 19 Nov 2019 10:00:00 GMT\">").published?.rfc3339 == "2019-11-19T10:00:00Z")
        let none = Self.article("<meta name=\"date\" content=\"sometime soon\">")
        #expect(none.published == nil && none.updated == nil)
    }

    @Test func languageCanonicalTagsSummary() {
        let a = Self.article("""
            <link rel="canonical" href="/news/story-canonical?utm_medium=feed&amp;id=7">
            <meta property="og:url" content="https://example.org/og">
            <meta property="article:tag" content="Transport"><meta property="article:tag" content="City">
            <meta name="keywords" content="ignored, when, tags">
            <meta property="og:description" content="A short &amp; sweet summary.">
            """, htmlAttributes: "lang=\"en_GB\"")
        #expect(a.language == "en-GB")
        #expect(a.url == "https://example.org/news/story-canonical?id=7")
        #expect(a.tags == ["Transport", "City"])
        #expect(a.summary == "A short & sweet summary.")

        let b = Self.article("<meta http-equiv=\"Content-Language\" content=\"de\"><meta property=\"og:url\" content=\"https://example.org/og\"><meta name=\"keywords\" content=\"a, b ,a\">")
        #expect(b.language == "de")
        #expect(b.url == "https://example.org/og")
        #expect(b.tags == ["a", "b"])

        let c = Self.article("")
        #expect(c.url == "https://example.org/news/story")
        #expect(c.language == nil && c.tags.isEmpty && c.summary == nil)
        #expect(Self.article("", base: nil).url == nil)
    }

    @Test func summaryEqualToTextIsOmitted() {
        let text = "Body text of the article, long enough to be found, and it is the whole article."
        let a = Self.article("<meta name=\"description\" content=\"\(text)\">", body: "<body><p>\(text)</p></body>")
        #expect(a.text == text)
        #expect(a.summary == nil)
    }
}
