import FeedModel
import FeedParser
import Foundation
import Testing

/// The classes of real feeds issue 11 names, each on an input written for the rule (not the
/// corpus file it was found on). Where feedparser and gofeed disagree, the test says which spec
/// decided.
@Suite struct FeedClassTests {
    // MARK: Undeclared namespace prefixes

    /// `content:encoded`, `dc:creator`, `itunes:summary` … used without `xmlns:` declarations are
    /// read in their well-known namespaces (feedparser and gofeed both do), and the rest of the feed
    /// after the namespace error is still read.
    @Test func undeclaredWellKnownPrefixesAreRead() throws {
        let doc = try FeedFixtures.parse("""
        <rss version="2.0"><channel><title>T</title>
        <item><title>One</title><dc:creator>Ann</dc:creator><dc:date>2024-05-06T07:08:09Z</dc:date>
        <content:encoded>&lt;p&gt;Body one&lt;/p&gt;</content:encoded></item>
        <item><title>Two</title><itunes:summary>Show notes</itunes:summary><media:keywords>a, b</media:keywords></item>
        <item><title>Three &amp; more</title><description>Plain</description></item>
        </channel></rss>
        """)
        #expect(doc.articles.map(\.title) == ["One", "Two", "Three & more"])
        #expect(doc.articles[0].author == "Ann")
        #expect(doc.articles[0].text == "Body one")
        #expect(doc.articles[0].updated?.rfc3339 == "2024-05-06T07:08:09Z")
        #expect(doc.articles[1].text == "Show notes")
        #expect(doc.articles[1].tags == ["a", "b"])
        #expect(doc.articles[2].text == "Plain")
    }

    /// An undeclared prefix nobody knows is its own namespace: `<foo:title>` is not the title.
    @Test func undeclaredUnknownPrefixIsNotACoreElement() throws {
        let doc = try FeedFixtures.parse("""
        <rss version="2.0"><channel><item><foo:title>Wrong</foo:title><title>Right</title>
        <foo:link>https://wrong.example/</foo:link></item></channel></rss>
        """)
        #expect(doc.articles.first?.title == "Right")
        #expect(doc.articles.first?.url == nil)
    }

    // MARK: Atom text constructs

    /// A title or summary typed as a binary media type is base64 (feedparser and gofeed decode it;
    /// RFC 4287 §3.1.1 allows only text/html/xhtml there, §4.1.3.3 says content of such a type is base64).
    @Test func binaryTypedTextConstructsAreDecoded() throws {
        let title = Data("Caf\u{E9} news".utf8).base64EncodedString()
        let summary = Data("<p>Short</p>".utf8).base64EncodedString()
        let doc = try FeedFixtures.parse("""
        <feed xmlns="http://www.w3.org/2005/Atom"><entry>
        <title type="application/octet-stream">\(title)</title>
        <summary type="application/octet-stream">\(summary)</summary>
        <content type="text/plain">Body</content></entry></feed>
        """)
        #expect(doc.articles.first?.title == "Café news")
        #expect(doc.articles.first?.summary == "<p>Short</p>")
        #expect(doc.articles.first?.text == "Body")
        // "test" is valid base64 but decodes to no UTF-8 text: it stays as written.
        let custom = try FeedFixtures.parse("""
        <feed xmlns="http://www.w3.org/2005/Atom"><entry><title type="application/x-custom">test</title></entry></feed>
        """)
        #expect(custom.articles.first?.title == "test")
    }

    // MARK: Tags

    @Test func nestedITunesCategoriesAreEachATag() throws {
        let doc = try FeedFixtures.parse("""
        <rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><item><title>x</title>
        <itunes:category text="Technology"><itunes:category text="Gadgets"/></itunes:category>
        <itunes:category text="News"/></item></channel></rss>
        """)
        #expect(doc.articles.first?.tags == ["Technology", "Gadgets", "News"])
    }

    /// Media RSS §5.11: the category is the element's text; `label` is its human-readable name,
    /// used when the text is empty. Inside `media:group` and `media:content` too.
    @Test func mediaCategoryTextElseLabel() throws {
        let doc = try FeedFixtures.parse("""
        <rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><item><title>x</title>
        <media:category scheme="urn:x">music/pop</media:category>
        <media:category label="Rock"></media:category>
        <media:group><media:content url="https://e.example/a.mp3"><media:category>Live</media:category></media:content></media:group>
        </item></channel></rss>
        """)
        #expect(doc.articles.first?.tags == ["music/pop", "Rock", "Live"])
    }

    // MARK: Authors

    /// `dc:author` is no Dublin Core element, but both peers read it as the author; and the RSS
    /// "email (Name)" / "Name (email)" conventions give the name in every RSS-style author element.
    @Test func dcAuthorAndNameEmailForms() throws {
        let doc = try FeedFixtures.parse("""
        <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
             xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>
        <item><title>a</title><dc:author>Ann Lee (ann@example.org)</dc:author></item>
        <item><title>b</title><dc:creator>bob@example.org (Bob Ray)</dc:creator></item>
        <item><title>c</title><itunes:author>Cy Young (cy@example.org)</itunes:author></item>
        <item><title>d</title><author>dee@example.org (Dee)</author></item>
        <item><title>e</title><dc:creator>Plain Name (Editor)</dc:creator></item>
        </channel></rss>
        """)
        #expect(doc.articles.map(\.author) == ["Ann Lee", "Bob Ray", "Cy Young", "Dee", "Plain Name (Editor)"])
    }

    /// gofeed keeps only the first of several `dc:creator`s; SPEC §3 joins every author name
    /// with ", " (and feedparser lists them all in `authors`), so both stay.
    @Test func severalCreatorsAreAllKept() throws {
        let doc = try FeedFixtures.parse("""
        <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><item><title>a</title>
        <dc:creator>Alice</dc:creator><dc:creator>Bob</dc:creator></item></channel></rss>
        """)
        #expect(doc.articles.first?.author == "Alice, Bob")
    }

    /// RSS 2.0 and RSS 1.0 give an item one `link`; of several, the first is kept (feedparser);
    /// gofeed takes the last.
    @Test func repeatedLinksKeepTheFirst() throws {
        let doc = try FeedFixtures.parse("""
        <rss version="2.0"><channel><item><title>a</title><link>https://first.example/</link>
        <link>https://second.example/</link></item></channel></rss>
        """)
        #expect(doc.articles.first?.url == "https://first.example/")
    }

    // MARK: MathML

    @Test func mathMLGivesItsText() throws {
        let doc = try FeedFixtures.parse("""
        <feed xmlns="http://www.w3.org/2005/Atom"><entry><title>m</title>
        <summary type="html">Area: &lt;math&gt;&lt;mi&gt;π&lt;/mi&gt;&lt;msup&gt;&lt;mi&gt;r&lt;/mi&gt;&lt;mn&gt;2&lt;/mn&gt;&lt;/msup&gt;&lt;/math&gt;</summary>
        <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Sum
        <math xmlns="http://www.w3.org/1998/Math/MathML"><mi>x</mi><mo>+</mo><mn>1</mn></math></p></div></content>
        </entry></feed>
        """)
        let a = try #require(doc.articles.first)
        // MathML token elements (`mi`, `mn`, `mo`…) are words of their own, in feeds as in pages
        // (HTMLTag's word separators), so an identifier and a number never run together.
        #expect(a.summary == "Area: π r 2")
        #expect(a.text == "Sum x + 1")
    }

    // MARK: Summary and content

    /// feedparser: of two summary elements (`description`, `itunes:summary`) in an item with no
    /// content element, the first is the summary and the second the content; gofeed reads only the
    /// first as the description and has no content. Both agree on the summary.
    @Test func secondSummaryElementIsTheText() throws {
        let doc = try FeedFixtures.parse("""
        <rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>
        <item><title>a</title><description>Short A</description><itunes:summary>Long notes A</itunes:summary></item>
        <item><title>b</title><itunes:summary>Long notes B</itunes:summary><description>Short B</description></item>
        <item><title>c</title><description>Only C</description></item>
        <item><title>d</title><description>Short D</description><itunes:summary>Notes D</itunes:summary>
        <content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">Body D</content:encoded></item>
        </channel></rss>
        """)
        #expect(doc.articles.map(\.text) == ["Long notes A", "Short B", "Only C", "Body D"])
        #expect(doc.articles.map(\.summary) == ["Short A", "Long notes B", nil, "Short D"])
    }

    // MARK: Links and dates

    /// With no document URL and no absolute feed link, the feed's `rel="self"` link (the URI it
    /// was retrieved from, RFC 3986 §5.1.3) is the base of relative entry links.
    @Test func selfLinkIsTheLastResortBase() throws {
        let doc = try FeedFixtures.parse("""
        <feed xmlns="http://www.w3.org/2005/Atom"><link rel="self" href="https://blog.example/feeds/all.atom"/>
        <entry><title>a</title><link href="/2024/post-a"/></entry>
        <entry><title>b</title><link href="https://other.example/b"/></entry></feed>
        """)
        #expect(doc.articles.map(\.url) == ["https://blog.example/2024/post-a", "https://other.example/b"])
        let withBase = try FeedFixtures.parse("""
        <feed xmlns="http://www.w3.org/2005/Atom"><link rel="self" href="https://blog.example/feeds/all.atom"/>
        <entry><title>a</title><link href="/2024/post-a"/></entry></feed>
        """, baseURL: "https://mirror.example/x.xml")
        #expect(withBase.articles.first?.url == "https://mirror.example/2024/post-a", "the document URL comes first")
    }

    /// A feed link given after the entries still serves as their base.
    @Test func feedLinkAfterTheEntriesIsStillTheBase() throws {
        let doc = try FeedFixtures.parse("""
        <rss version="2.0"><channel><item><title>a</title><link>post/1</link></item>
        <link>https://example.org/blog/</link><language>de</language></channel></rss>
        """)
        #expect(doc.articles.first?.url == "https://example.org/blog/post/1")
        #expect(doc.articles.first?.language == "de")
    }

    @Test func rssModifiedIsTheUpdatedDate() throws {
        let doc = try FeedFixtures.parse("""
        <rss version="2.0"><channel><item><title>a</title><pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate>
        <modified>Tue, 02 Jan 2024 11:00:00 GMT</modified></item></channel></rss>
        """)
        #expect(doc.articles.first?.published?.rfc3339 == "2024-01-01T10:00:00Z")
        #expect(doc.articles.first?.updated?.rfc3339 == "2024-01-02T11:00:00Z")
    }

    @Test func compactOrdinalDatesInFeeds() throws {
        let doc = try FeedFixtures.parse("""
        <feed xmlns="http://www.w3.org/2005/Atom"><entry><title>a</title><published>03335</published>
        <updated>2003-335T12:00:00Z</updated></entry></feed>
        """)
        #expect(doc.articles.first?.published?.rfc3339 == "2003-12-01T00:00:00Z")
        #expect(doc.articles.first?.updated?.rfc3339 == "2003-12-01T12:00:00Z")
    }

    /// Under an explicit xml:base, a relative path id (`posts/7`) resolves, as gofeed does and as
    /// XML Base says of relative references; opaque ids stay.
    @Test func relativeSegmentIDsResolveUnderXMLBase() throws {
        let doc = try FeedFixtures.parse("""
        <feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://example.org/blog/">
        <entry><title>a</title><id>posts/7</id></entry><entry><title>b</title><id>12345</id></entry>
        <entry><title>c</title><id>urn:uuid:1/2</id></entry></feed>
        """)
        #expect(doc.articles.map(\.guid) == ["https://example.org/blog/posts/7", "12345", "urn:uuid:1/2"])
    }

    /// The bare-`&` repair scans eight bytes at a time: a bare `&` at every offset within a word,
    /// next to CDATA and comments, is still repaired (and a `&` inside CDATA left alone).
    @Test func bareAmpersandsAtEveryOffsetAreRepaired() throws {
        var items = ""
        for k in 0..<20 {
            items += "<item><title>\(String(repeating: "x", count: k))A&B &amp; C&#X41;</title>"
                + "<description><![CDATA[keep & this]]><!-- & --></description></item>"
        }
        let doc = try FeedFixtures.parse("<rss version=\"2.0\"><channel>\(items)</channel></rss>")
        #expect(doc.articles.count == 20)
        for (k, a) in doc.articles.enumerated() {
            #expect(a.title == String(repeating: "x", count: k) + "A&B & CA")
            #expect(a.text == "keep & this")
        }
    }

    // MARK: Wrappers and non-feeds

    @Test func atomFeedInsideAnXHTMLWrapper() throws {
        let doc = try FeedFixtures.parse("""
        <?xml version="1.0" encoding="utf-8"?>
        <html xmlns="http://www.w3.org/1999/xhtml"><head><title>Page title</title></head><body>
        <feed xmlns="http://www.w3.org/2005/Atom"><title>Wrapped</title>
        <entry><title>Inside</title><link href="https://example.org/in"/><id>tag:x,1</id></entry></feed>
        </body></html>
        """)
        #expect(doc.format == .atom)
        #expect(doc.feedTitle == "Wrapped")
        #expect(doc.articles.map(\.title) == ["Inside"])
        #expect(doc.articles.first?.url == "https://example.org/in")
    }

    /// XML whose root is no HTML element and no feed is refused, not read as a web page.
    @Test func unknownXMLIsRefused() throws {
        #expect(throws: ParseError.self) {
            try FeedFixtures.parse("<note><to>Tove</to><body>Don't forget me</body></note>")
        }
        let page = try FeedFixtures.parse("<div><p>A fragment of a page.</p></div>")
        #expect(page.format == .html)
    }
}
