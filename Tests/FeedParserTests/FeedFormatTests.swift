import FeedModel
import FeedParser
import Foundation
import Testing

/// One feed per format through `ArticleParser.parse`, checking every field the SPEC maps.
@Suite struct FeedFormatTests {
    @Test func rss20ItemFields() throws {
        let doc = try FeedFixtures.parse("""
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
             xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom">
        <channel>
          <title>Example &amp; Co</title>
          <link>https://example.org/</link>
          <language>en-GB</language>
          <atom:link rel="self" href="https://example.org/feed.xml"/>
          <image><title>Logo</title><link>https://example.org/logo</link></image>
          <item>
            <title>Caf&eacute; opens&nbsp;today</title>
            <link>/news/cafe?utm_source=rss&amp;id=7</link>
            <guid isPermaLink="false">cafe-7</guid>
            <author>editor@example.org (Ann Editor)</author>
            <dc:creator>Bob Writer</dc:creator>
            <pubDate>Mon, 02 Apr 2018 14:00:00 GMT</pubDate>
            <category>Food</category><category>Town</category><category>Food</category>
            <description>&lt;p&gt;Short &lt;b&gt;summary&lt;/b&gt;&lt;/p&gt;</description>
            <content:encoded><![CDATA[<p>First paragraph.</p><p>Second paragraph.</p>]]></content:encoded>
          </item>
          <item><title>Second</title><guid>https://example.org/2</guid></item>
          <item></item>
        </channel>
        </rss>
        """)
        #expect(doc.format == .rss)
        #expect(doc.feedTitle == "Example & Co")
        #expect(doc.feedLink == "https://example.org/")
        #expect(doc.language == "en-GB")
        #expect(doc.articles.count == 3)
        let a = try #require(doc.articles.first)
        #expect(a.title == "Café opens\u{A0}today")
        #expect(a.guid == "cafe-7")
        #expect(a.author == "Ann Editor, Bob Writer")
        #expect(a.tags == ["Food", "Town"])
        #expect(a.language == "en-GB")
        #expect(a.text.contains("First paragraph."))
        #expect(a.summary?.contains("Short") == true)
        #expect(doc.articles[1].guid == "https://example.org/2")
        #expect(doc.articles[2].isEmpty, "an empty item is still returned, in order")
    }

    @Test func rss20LinkResolutionAndGuidFallback() throws {
        let doc = try FeedFixtures.parse("""
        <rss version="2.0"><channel><link>https://example.org/blog/</link>
        <item><title>a</title><link>post/1</link></item>
        <item><title>b</title><guid>https://example.org/b</guid></item>
        <item><title>c</title><guid isPermaLink="false">https://example.org/c</guid></item>
        </channel></rss>
        """)
        #expect(doc.articles.map(\.url) == ["https://example.org/blog/post/1", "https://example.org/b", nil])
    }

    /// A relative-path id resolves against xml:base or the document URL (feedparser and RFC 4287
    /// agree); opaque ids, permalink="false" guids and ids with no base in effect stay as written.
    @Test func relativePathIDsResolveOpaqueIDsStay() throws {
        let atom = try FeedFixtures.parse("""
        <feed xmlns="http://www.w3.org/2005/Atom">
        <entry><title>a</title><id>/relative/link</id></entry>
        <entry xml:base="https://other.example/dir/"><title>b</title><id>../up</id></entry>
        <entry><title>c</title><id>12345</id></entry>
        <entry><title>d</title><id>tag:example.org,2026:/x</id></entry>
        </feed>
        """, baseURL: "https://example.org/feeds/atom.xml")
        #expect(atom.articles.map(\.guid) == [
            "https://example.org/relative/link", "https://other.example/up", "12345", "tag:example.org,2026:/x",
        ])
        let rss = try FeedFixtures.parse("""
        <rss version="2.0"><channel><link>https://example.org/</link>
        <item><title>a</title><guid>/posts/1</guid></item>
        <item><title>b</title><guid isPermaLink="false">/posts/2</guid></item>
        </channel></rss>
        """, baseURL: "https://example.org/feed.xml")
        #expect(rss.articles.map(\.guid) == ["https://example.org/posts/1", "/posts/2"])
        let noBase = try FeedFixtures.parse("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><id>/a</id></entry></feed>")
        #expect(noBase.articles.map(\.guid) == ["/a"])
    }

    /// The document URL comes before the channel link as the base of a relative link (RFC 3986
    /// §5.1); a relative permalink guid becomes the url too.
    @Test func documentURLIsTheBaseBeforeTheChannelLink() throws {
        let doc = try FeedFixtures.parse("""
        <rss version="2.0"><channel><link>https://example.com/</link>
        <item><title>a</title><link>relative/path</link></item>
        <item><title>b</title><guid>/posts/1</guid></item>
        </channel></rss>
        """, baseURL: "https://base.example.org/dir/feed.xml")
        #expect(doc.articles.map(\.url) == ["https://base.example.org/dir/relative/path", "https://base.example.org/posts/1"])
        let local = try FeedFixtures.parse("""
        <rss version="2.0"><channel><link>https://example.com/</link>
        <item><title>a</title><link>relative/path</link></item></channel></rss>
        """)
        #expect(local.articles.map(\.url) == ["https://example.com/relative/path"])
    }

    /// A repeated title, description or body keeps the first: a later dc:title or second
    /// content:encoded does not replace it, and the result does not depend on extension order.
    @Test func repeatedElementsKeepTheFirst() throws {
        let doc = try FeedFixtures.parse("""
        <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
             xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
        <item><title>Plain</title><dc:title>DC</dc:title><description>D1</description><description>D2</description>
          <content:encoded></content:encoded><content:encoded>C1</content:encoded><content:encoded>C2</content:encoded></item>
        <item><title></title><title>Second non-empty</title></item>
        </channel></rss>
        """)
        #expect(doc.articles.map(\.title) == ["Plain", "Second non-empty"])
        #expect(doc.articles[0].text == "C1")
        #expect(doc.articles[0].summary == "D1")
    }

    @Test func mediaAndITunesKeywordsAreTags() throws {
        let doc = try FeedFixtures.parse("""
        <rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"
             xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>
        <item><title>a</title><media:keywords>kw1, kw2,kw3</media:keywords><itunes:keywords>kw2,pod</itunes:keywords></item>
        </channel></rss>
        """)
        #expect(doc.articles[0].tags == ["kw1", "kw2", "kw3", "pod"])
    }

    @Test func atomOddsAndEnds() throws {
        let doc = try FeedFixtures.parse("""
        <feed version="0.3" xmlns="http://purl.org/atom/ns#">
        <entry><title>issued wins</title><created>2003-12-31T10:00:00Z</created><issued>2004-01-01T10:00:00Z</issued></entry>
        <entry><title>created alone</title><created>2003-12-31T10:00:00Z</created></entry>
        </feed>
        """)
        #expect(doc.articles.map { $0.published?.rfc3339 } == ["2004-01-01T10:00:00Z", "2003-12-31T10:00:00Z"])
        let atom = try FeedFixtures.parse("""
        <feed xmlns="http://www.w3.org/2005/Atom">
        <entry><title>b64</title><content type="application/octet-stream">SGVsbG8gYmluYXJ5</content>
          <link rel="http://www.iana.org/assignments/relation/alternate" href="http://example.com/iana"/></entry>
        </feed>
        """)
        #expect(atom.articles[0].text == "Hello binary")
        #expect(atom.articles[0].url == "http://example.com/iana")
    }

    @Test func rdfItemsAreSiblingsOfTheChannel() throws {
        let doc = try FeedFixtures.parse("""
        <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
                 xmlns:dc="http://purl.org/dc/elements/1.1/">
          <channel rdf:about="https://example.org/"><title>RDF feed</title><link>https://example.org/</link>
            <dc:language>de</dc:language></channel>
          <image><title>not the feed title</title></image>
          <item rdf:about="https://example.org/1"><title>One</title><link>https://example.org/1</link>
            <dc:creator>Ann</dc:creator><dc:subject>Science</dc:subject><description>Plain text.</description></item>
          <item rdf:about="https://example.org/2"><title>Two</title></item>
        </rdf:RDF>
        """)
        #expect(doc.format == .rdf)
        #expect(doc.feedTitle == "RDF feed")
        #expect(doc.articles.map(\.title) == ["One", "Two"])
        #expect(doc.articles.map(\.guid) == ["https://example.org/1", "https://example.org/2"])
        #expect(doc.articles[0].author == "Ann")
        #expect(doc.articles[0].tags == ["Science"])
        #expect(doc.articles[0].text == "Plain text.")
        #expect(doc.articles[0].summary == nil, "summary equal to text is omitted")
        #expect(doc.articles[0].language == "de")
    }

    @Test func rss090() throws {
        let doc = try FeedFixtures.parse("""
        <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">
          <channel><title>Old</title><link>http://example.com/</link></channel>
          <item><title>Ninety</title><link>http://example.com/90</link></item>
        </rdf:RDF>
        """)
        #expect(doc.feedTitle == "Old")
        #expect(doc.articles.first?.title == "Ninety")
        #expect(doc.articles.first?.url == "http://example.com/90")
    }

    @Test func atom10EntryFields() throws {
        let doc = try FeedFixtures.parse("""
        <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en" xml:base="https://example.org/blog/">
          <title type="html">A &lt;b&gt;bold&lt;/b&gt; feed</title>
          <link rel="self" href="https://example.org/feed.atom"/>
          <link href="https://example.org/"/>
          <author><name>Feed Author</name></author>
          <entry>
            <title type="text">History of the &lt;blink&gt; tag</title>
            <link rel="enclosure" href="/audio.mp3"/>
            <link rel="alternate" type="text/html" href="posts/1"/>
            <id>tag:example.org,2024:1</id>
            <published>2024-01-02T03:04:05Z</published>
            <updated>2024-01-03T03:04:05+01:00</updated>
            <category term="swift" label="Swift"/>
            <summary>Summary text</summary>
            <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Para <b>one</b>.</p><p>Para two.</p></div></content>
          </entry>
          <entry xml:lang="fr">
            <title>Deux</title>
            <source><author><name>Source Author</name></author><title>not this</title></source>
          </entry>
          <entry><title>Three</title><contributor><name>not an author</name></contributor></entry>
        </feed>
        """)
        #expect(doc.format == .atom)
        #expect(doc.feedTitle?.contains("bold") == true)
        #expect(doc.feedLink == "https://example.org/")
        let a = try #require(doc.articles.first)
        #expect(a.title == "History of the <blink> tag", "type=text is literal")
        #expect(a.url == "https://example.org/blog/posts/1")
        #expect(a.guid == "tag:example.org,2024:1")
        #expect(a.author == "Feed Author", "entry without author inherits the feed's")
        #expect(a.tags == ["swift"])
        #expect(a.language == "en")
        #expect(a.text.contains("Para"))
        #expect(a.summary == "Summary text")
        #expect(doc.articles[1].author == "Source Author")
        #expect(doc.articles[1].title == "Deux")
        #expect(doc.articles[1].language == "fr")
        #expect(doc.articles[2].author == "Feed Author")
    }

    @Test func atom03ModesAndDates() throws {
        let doc = try FeedFixtures.parse("""
        <feed version="0.3" xmlns="http://purl.org/atom/ns#">
          <title>Old Atom</title>
          <link rel="alternate" type="text/html" href="http://example.org/"/>
          <entry>
            <title mode="escaped" type="text/html">Q&amp;amp;A</title>
            <link rel="alternate" type="text/html" href="http://example.org/1"/>
            <id>urn:1</id>
            <issued>2003-12-31T10:14:55Z</issued>
            <modified>2004-01-01T19:48:21Z</modified>
            <summary mode="base64" type="text/plain">RXhhbXBsZSA8Yj5BdG9tPC9iPg==</summary>
            <content type="text/html" mode="escaped">&lt;p&gt;Body&lt;/p&gt;</content>
          </entry>
        </feed>
        """)
        let a = try #require(doc.articles.first)
        #expect(doc.feedTitle == "Old Atom")
        #expect(a.url == "http://example.org/1")
        #expect(a.summary == "Example <b>Atom</b>", "base64 decoded, text/plain kept literal")
        #expect(a.guid == "urn:1")
    }

    @Test func jsonFeed11() throws {
        let doc = try FeedFixtures.parse("""
        {"version": "https://jsonfeed.org/version/1.1", "title": "JSON \\u00e9", "home_page_url": "https://example.org/",
         "language": "en", "authors": [{"name": "Feed A"}],
         "items": [
          {"id": "1", "url": "https://example.org/1?utm_medium=x", "title": "One", "content_html": "<p>Hi <b>there</b></p>",
           "summary": "Sum", "tags": ["a", "b"], "authors": [{"name": "Ann"}, {"name": "Bob"}]},
          {"id": 2, "external_url": "/2", "content_text": "Line one\\n\\nLine two"},
          {}
         ]}
        """, baseURL: nil)
        #expect(doc.format == .jsonfeed)
        #expect(doc.feedTitle == "JSON é")
        #expect(doc.articles.count == 3)
        let a = doc.articles[0]
        #expect(a.title == "One")
        #expect(a.guid == "1")
        #expect(a.author == "Ann, Bob")
        #expect(a.tags == ["a", "b"])
        #expect(a.summary == "Sum")
        #expect(a.language == "en")
        #expect(doc.articles[1].guid == "2")
        #expect(doc.articles[1].text == "Line one\n\nLine two")
        #expect(doc.articles[1].author == "Feed A")
    }

    @Test func jsonFeed10SingleAuthor() throws {
        let doc = try FeedFixtures.parse("""
        {"version": "https://jsonfeed.org/version/1", "title": "T",
         "items": [{"id": "x", "content_text": "t", "author": {"name": "Solo"}}]}
        """)
        #expect(doc.articles.first?.author == "Solo")
    }

    @Test func mediaRSSFallbacksAndFeedburnerOrigLink() throws {
        let doc = try FeedFixtures.parse("""
        <rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">
        <channel><title>M</title>
        <item><media:group><media:title>Media title</media:title><media:description>Media text</media:description></media:group>
          <link>http://feeds.example.com/~r/x/1</link><feedburner:origLink>https://example.org/real/1</feedburner:origLink></item>
        </channel></rss>
        """)
        let a = try #require(doc.articles.first)
        #expect(a.title == "Media title")
        #expect(a.text == "Media text")
        #expect(a.url == "https://example.org/real/1")
    }

    @Test func caseInsensitiveCoreElementsAndNamespacedRSS() throws {
        let doc = try FeedFixtures.parse("""
        <r:rss xmlns:r="http://backend.userland.com/rss2"><r:channel><r:TiTlE>Upper</r:TiTlE>
        <r:item><r:title>In NS</r:title></r:item></r:channel></r:rss>
        """)
        #expect(doc.feedTitle == "Upper")
        #expect(doc.articles.first?.title == "In NS")
    }

    @Test func malformedXMLKeepsEntriesFoundSoFarWithAWarning() throws {
        let doc = try FeedFixtures.parse("""
        <rss><channel><title>Broken</title>
        <item><title>One</title></item>
        <item><title>Two &amp broken</title></item>
        <item><title>Three</tit
        """)
        #expect(doc.articles.count >= 2)
        #expect(doc.articles.first?.title == "One")
        #expect(!doc.warnings.isEmpty)
    }

    @Test func encodingDeclarationIsOverriddenByTheConvertedText() throws {
        // The bytes are UTF-8 although the declaration says ISO-8859-1: libxml2 must not re-decode.
        let doc = try FeedFixtures.parse("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><item><title>Grüße</title></item></channel></rss>",
                                         format: .rss)
        #expect(doc.articles.first?.title.hasPrefix("Gr") == true)
        #expect(doc.articles.first?.title.contains("\u{FFFD}") == false)
    }

    @Test func declaredInternalEntityExpands() throws {
        let doc = try FeedFixtures.parse("""
        <!DOCTYPE rss [<!ENTITY id "tag:example.com,">]>
        <rss version="2.0"><channel><item><guid isPermaLink='false'>&id;2006-05-04:/blog/</guid></item></channel></rss>
        """)
        #expect(doc.articles.first?.guid == "tag:example.com,2006-05-04:/blog/")
    }

    @Test(arguments: [
        ("<rss version=\"2.0\"><channel/></rss>", InputFormat.rss),
        ("<?xml version=\"1.0\"?>\n<!-- c --><feed xmlns=\"http://www.w3.org/2005/Atom\"/>", .atom),
        ("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"/>", .rdf),
        ("{\"version\":\"https://jsonfeed.org/version/1\",\"items\":[]}", .jsonfeed),
        ("<!DOCTYPE html><html><body><p>x</p></body></html>", .html),
        ("Title line\n\nBody paragraph.", .text),
    ])
    func detectsFormatFromContent(_ input: String, _ expected: InputFormat) throws {
        let doc = try FeedFixtures.parse(input)
        #expect(doc.format == expected)
    }

    @Test func rejectsEmptyBinaryAndOversizedInput() {
        #expect(throws: ParseError.empty) { try FeedFixtures.parse([UInt8]()) }
        #expect(throws: ParseError.empty) { try FeedFixtures.parse("  \n\t ") }
        #expect(throws: ParseError.binary) { try FeedFixtures.parse([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D]) }
        #expect(throws: ParseError.tooLarge(bytes: 11, limit: 10)) {
            try ArticleParser.parse(ParserInput(bytes: Array("<rss></rss>".utf8)), limits: ParserLimits(maxBytes: 10))
        }
    }

    @Test func forcedFeedFormatOnANonFeedIsAnError() {
        #expect(throws: ParseError.self) { try FeedFixtures.parse("<opml><body/></opml>", format: .rss) }
    }
}
