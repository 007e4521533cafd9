import FeedModel
import FeedWatchTesting
import Foundation
@testable import PageExtraction
import Testing

/// Main-content extraction: the dev set scored by the benchmark's metric, then one small
/// hand-made page per rule, then hostile input.
@Suite struct ExtractionTests {
    static let prose = [
        "The city council voted on Tuesday to expand the bicycle network, adding forty kilometres of protected lanes over the next three years, according to the plan published this week.",
        "Supporters said the lanes would make streets safer for children, while shop owners worried about deliveries, parking, and the long construction period along the main avenue.",
        "The mayor, who has backed the plan since her election campaign, said the first segment would open in the spring, with the rest following as funding allows.",
        "Critics pointed to the cost, estimated at twelve million euros, and asked whether buses, rather than bicycles, should be the priority for a city of this size.",
    ]

    static func page(body: String, head: String = "") -> [UInt8] {
        let paragraphs = prose.map { "<p>\($0)</p>" }.joined()
        return Array("""
        <!DOCTYPE html><html><head><title>Council expands bike lanes | The Daily</title>\(head)</head><body>
        <header class="site-header"><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav></header>
        <main><article><h1>Council expands bike lanes</h1>\(body.replacingOccurrences(of: "{PROSE}", with: paragraphs))</article></main>
        <footer class="site-footer"><p>© 2024 The Daily. All rights reserved. Contact us at the address below.</p></footer>
        </body></html>
        """.utf8)
    }

    static func text(_ html: [UInt8]) -> String {
        PageExtractor.extract(html: html, baseURL: "https://example.org/a", charset: nil).article.text
    }

    // MARK: Metric (the dev sets are scored in ExtractionDevSetTests)

    @Test func metricMatchesTheBenchmarkDefinition() {
        // 6 tokens → 3 shingles; one shared.
        let c = ExtractionMetric.counts(gold: "a b c d e f", predicted: "c d e f g")
        #expect(c == .init(truePositives: 1, falsePositives: 1, falseNegatives: 2))
        // Fewer than 4 tokens: one shingle of all of them; punctuation is not a token.
        #expect(ExtractionMetric.counts(gold: "Hello, world!", predicted: "hello world").truePositives == 0)
        #expect(ExtractionMetric.counts(gold: "Hello, world!", predicted: "Hello world").truePositives == 1)
        #expect(ExtractionMetric.tokens("l'été_2 x–y 42") == ["l", "été_2", "x", "y", "42"])
        // Empty output counts for recall only.
        let s = ExtractionMetric.score([.init(truePositives: 0, falsePositives: 0, falseNegatives: 4),
                                        .init(truePositives: 2, falsePositives: 0, falseNegatives: 2)])
        #expect(s.precision == 1 && s.recall == 0.25)
    }

    // MARK: Rules, one page each

    @Test func articleProseIsKeptAndPageFurnitureDropped() {
        let text = Self.text(Self.page(body: "{PROSE}"))
        #expect(text == Self.prose.joined(separator: "\n\n"))
    }

    @Test(arguments: [
        ("share bar", ##"<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Tweet this story</a></div>"##, "Share on"),
        ("related links", #"<div class="related-articles"><h3>Related stories you may like</h3><ul><li><a href="/1">Trams return to the old town after decades</a></li><li><a href="/2">Parking fees rise again</a></li></ul></div>"#, "Related stories"),
        ("cookie notice", #"<div id="cookie-consent">We use cookies to improve your experience on this site. By continuing you accept them.</div>"#, "cookies"),
        ("newsletter box", #"<div class="newsletter-signup"><p>Get the best stories in your inbox every morning. Sign up for our free daily newsletter now.</p><form><input type="email"><button>Subscribe</button></form></div>"#, "newsletter"),
        ("comments", #"<section id="comments"><h3>42 comments</h3><div class="comment"><p>Great article, I fully agree with the mayor on this, finally some progress in this town.</p></div></section>"#, "Great article"),
        ("ad caption", #"<div class="ad-slot"><span>Advertisement</span></div>"#, "Advertisement"),
        ("image caption", #"<figure><img src="x.jpg"><figcaption>Cyclists on the avenue. Photo: J. Smith / Agency</figcaption></figure>"#, "Cyclists on the avenue"),
        ("byline", #"<div class="byline">By Jane Doe, Transport Correspondent</div>"#, "Jane Doe"),
        ("read-more teaser", #"<p><a href="/other">READ MORE: How other cities built their bicycle networks</a></p>"#, "READ MORE"),
    ])
    func boilerplateInsideTheArticleIsRemoved(name: String, block: String, mustNotContain: String) {
        let text = Self.text(Self.page(body: "{PROSE}".replacingOccurrences(of: "{PROSE}", with: "{PROSE}" + block)))
        #expect(!text.contains(mustNotContain), "\(name) leaked")
        #expect(text.contains(Self.prose[0]) && text.contains(Self.prose[3]), "\(name) took the article with it")
        // And the same block before the prose.
        let before = Self.text(Self.page(body: block + "{PROSE}"))
        #expect(!before.contains(mustNotContain), "\(name) leaked")
    }

    @Test func listsSubheadingsAndLineBreaksInsideTheArticleAreKept() {
        let body = """
        {PROSE}<h2>What changes for drivers</h2><p>Three streets become one-way:</p>
        <ul><li>Main Street, between the station and the bridge</li><li>Mill Road, for its whole length</li></ul>
        <p>Questions can be sent to the council<br>by post or by email.</p>
        """
        let text = Self.text(Self.page(body: body))
        #expect(text.contains("\n\nWhat changes for drivers\n\nThree streets become one-way:\n\nMain Street, between the station and the bridge\n\nMill Road, for its whole length\n\n"))
        #expect(text.hasSuffix("Questions can be sent to the council\nby post or by email."))
        #expect(!text.contains("Council expands bike lanes"), "the headline is the title, not the text")
    }

    @Test func theArticleIsFoundAmongLinkHeavyBlocks() {
        let teasers = (1...30).map { #"<li><a href="/s\#($0)">Another headline number \#($0) about something</a></li>"# }.joined()
        let html = Array("""
        <html><body><div class="layout"><div class="col-left"><ul>\(teasers)</ul></div>
        <div class="col-main"><div>\(Self.prose.map { "<p>\($0)</p>" }.joined())</div></div>
        <div class="col-right"><ul>\(teasers)</ul></div></div></body></html>
        """.utf8)
        #expect(Self.text(html) == Self.prose.joined(separator: "\n\n"))
    }

    // MARK: Names are weights, not verdicts

    /// Wrappers whose names hold a furniture word, or look like one, around the whole
    /// article: the article must survive (each of these emptied a real page).
    @Test(arguments: [
        #"<div class="post hentry commented js_post_item">{PROSE}</div>"#,
        #"<div class="sharing-with-friends-enabled">{PROSE}</div>"#,
        #"<div id="ad-portal"><div class="wrapper">{PROSE}</div></div>"#,
        #"<div class="text-wrapper" id="gigya-share-btns-2_gig_containerParent">{PROSE}</div>"#,
        #"<div class="elementor-widget-container"><div class="elementor-widget elementor-widget-theme-post-content">{PROSE}</div></div>"#,
        #"<div id="evolve-shared-mutable-history" class="section">{PROSE}</div>"#,
        #"<div class="sidebar-layout"><div class="comments-enabled">{PROSE}</div></div>"#,
    ])
    func aFurnitureNameDoesNotTakeTheArticle(wrapper: String) {
        let teasers = (1...8).map { #"<li><a href="/s\#($0)">Another headline number \#($0)</a></li>"# }.joined()
        let html = Array("""
        <html><head><title>Council expands bike lanes</title></head><body>
        <nav><ul>\(teasers)</ul></nav>
        \(wrapper.replacingOccurrences(of: "{PROSE}", with: Self.prose.map { "<p>\($0)</p>" }.joined()))
        <div class="footer"><p>© 2024 The Daily</p></div></body></html>
        """.utf8)
        let text = Self.text(html)
        #expect(text.contains(Self.prose[0]) && text.contains(Self.prose[3]), "\(wrapper) took the article")
        #expect(!text.contains("Another headline"))
    }

    /// A furniture-named block that is a list of headline-and-teaser items goes, even when it
    /// holds more text than the article beside it (a name alone never drops the bulk of a
    /// page, but a list under a heading is never the article's wrapper).
    @Test func aTeaserStreamLargerThanTheArticleIsDropped() {
        let items = (1...10).map {
            #"<li><h3><a href="/s\#($0)">Headline number \#($0)</a></h3><p>Teaser \#($0): a summary of another story, with a comma or two, long enough to read as a paragraph of prose.</p></li>"#
        }.joined()
        let html = Array("""
        <html><head><title>Council expands bike lanes</title></head><body><div id="main">
        <section class="story"><div class="body">\(Self.prose.map { "<p>\($0)</p>" }.joined())</div></section>
        <div class="sidebar"><h2>Recommended for you</h2><ul>\(items)</ul></div>
        </div></body></html>
        """.utf8)
        let text = Self.text(html)
        #expect(text == Self.prose.joined(separator: "\n\n"), "\(text)")
    }

    /// A formula between the paragraphs is article text, even when its renderer's wrapper has a
    /// furniture word in its names (`MathJax CtxtMenu_Attached_0`: "menu"): "math jax" is
    /// the camelCase reading of the content name "mathjax".
    @Test func aRenderedFormulaBetweenParagraphsIsKept() {
        let formula = #"<mjx-container class="MathJax CtxtMenu_Attached_0"><mjx-math aria-hidden="true"><mjx-mi>GLYPHS</mjx-mi></mjx-math>"#
            + #"<mjx-assistive-mml display="block"><math><mi>E</mi><mo>=</mo><mi>m</mi><msup><mi>c</mi><mn>2</mn></msup></math></mjx-assistive-mml></mjx-container>"#
        let text = Self.text(Self.page(body: "<p>\(Self.prose[0])</p>\(formula)<p>\(Self.prose[1])</p><p>\(Self.prose[2])</p>"))
        #expect(text.contains("\n\nE = m c 2\n\n"), "\(text)")
        #expect(!text.contains("GLYPHS"))
    }

    /// Words are split on non-letters and camelCase; two-word entries match consecutive words
    /// of one class name, never across two names.
    @Test(arguments: [
        ("commented", 0), ("comment", 1), ("post-comments", 1), ("articleBody", 2), ("shared", 0),
        ("sharing-with-x", 0), ("ad-portal", 1), ("download", 0), ("header", 0), ("side-bar", 0),
        ("byline2", 4), ("storyContent", 2), ("read-more", 8), ("more-read", 0), ("x read more", 0),
    ] as [(String, UInt16)])
    func namesMatchAsWholeWords(name: String, expected: UInt16) {
        let matcher = NameMatcher(lists: [["comment", "comments", "ad"], ["article", "story"], ["byline"], ["read more"]])
        #expect(matcher.classify(Array(name.utf8)) == expected, "\(name)")
    }

    @Test func aPageWithoutArticleProseFallsBackToItsTextWithAWarning() {
        let html = Array("<html><body><div><a href=\"/a\">Home</a> <span>Short note.</span></div></body></html>".utf8)
        let result = PageExtractor.extract(html: html, baseURL: nil, charset: nil)
        #expect(result.article.text == "Home Short note.")
        #expect(result.warnings.contains { $0.contains("whole page") })
        // An article page says nothing of the kind.
        #expect(!PageExtractor.extract(html: Self.page(body: "{PROSE}"), baseURL: nil, charset: nil).warnings.contains { $0.contains("whole page") })
    }

    @Test func aShortArticleKeepsItsCleanReading() {
        let html = Array("""
        <html><head><title>Harbour reopens | Port News</title></head><body><nav><a href="/">Home</a></nav>
        <article><h1>Harbour reopens</h1><p>The harbour reopened on Monday after three months of repairs to the old sea wall.</p>
        <p>Fishing boats were the first to return, followed by the ferry in the afternoon.</p></article>
        <footer>Subscribe to our newsletter</footer></body></html>
        """.utf8)
        #expect(Self.text(html) == "The harbour reopened on Monday after three months of repairs to the old sea wall.\n\nFishing boats were the first to return, followed by the ferry in the afternoon.")
    }

    @Test func anArticleOfFiftyWordsIsNeverEmpty() {
        // The article sits in a block every name list calls furniture, and is small next to
        // the comments: the ladder still finds it.
        let comments = (1...3).map { "<div class=\"comment\"><p>Comment \($0): \(Self.prose[$0])</p></div>" }.joined()
        let html = Array("""
        <html><body><div class="sidebar related-content"><p>\(Self.prose[0])</p><p>\(Self.prose[1])</p></div>
        <section id="comments">\(comments)</section></body></html>
        """.utf8)
        #expect(!Self.text(html).isEmpty)
    }

    // MARK: Charset

    @Test func aWrongDeclarationThatFailsOnManyBytesFallsBackToUTF8() {
        let body = String(repeating: "<p>深度学习的新电脑已可利用记忆自学，人工智能迈上新台阶。</p>", count: 5)
        let html = Array("<html><head><meta charset=\"gb2312\"><title>t</title></head><body>\(body)</body></html>".utf8)
        let result = PageExtractor.extract(html: html, baseURL: nil, charset: nil)
        #expect(result.article.text.hasPrefix("深度学习的新电脑已可利用记忆自学"))
        #expect(result.warnings.contains { $0.contains("decoded as UTF-8") })
    }

    // MARK: Charset

    @Test(arguments: [(nil, "<meta charset=\"windows-1252\">"), ("windows-1252", ""),
                      (nil, "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">"), (nil, "")] as [(String?, String)])
    func charsetFromHTTPThenMetaThenDetection(httpCharset: String?, meta: String) {
        // "Café crème" in windows-1252: not valid UTF-8, so even undeclared it decodes right.
        let html = Array("<html><head>\(meta)</head><body><p>Caf".utf8) + [0xE9] + Array(" cr".utf8) + [0xE8]
            + Array("me au lait, servi chaud.</p></body></html>".utf8)
        let result = PageExtractor.extract(html: html, baseURL: nil, charset: httpCharset)
        #expect(result.article.text == "Café crème au lait, servi chaud.")
    }

    @Test func utf8WithBOMWinsOverAWrongDeclaration() {
        let html = [0xEF, 0xBB, 0xBF] + Array("<meta charset=\"windows-1252\"><p>Caf\u{E9} cr\u{E8}me.</p>".utf8)
        #expect(PageExtractor.extract(html: html, baseURL: nil, charset: nil).article.text == "Café crème.")
    }

    // MARK: Hostile input

    @Test(.timeLimit(.minutes(3)))
    func truncatedPagesDoNotCrash() throws {
        let page = Self.page(body: "{PROSE}<ul><li>a</li></ul>")
        for cut in stride(from: 0, to: page.count, by: 97) {
            let text = Self.text(Array(page[..<cut]))
            #expect(!text.contains("\n\n\n"))
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func randomBytesAndDeepNestingDoNotCrash() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let bytes = (0..<Int.random(in: 0..<4000, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            _ = PageExtractor.extract(html: bytes, baseURL: nil, charset: nil)
        }
        let depth = 100_000
        let deep = Array((String(repeating: "<div class=\"a\">", count: depth) + "<p>" + Self.prose[0] + "</p>"
            + String(repeating: "</div>", count: depth)).utf8)
        #expect(Self.text(deep) == Self.prose[0])
    }

    @Test(.timeLimit(.minutes(3)))
    func largePageIsBounded() {
        // 2 MB keeps the debug build fast; `feedwatch-bench extract` runs the 20 MB case in
        // release. One real article followed by a huge tail of link blocks: the article is
        // found and the tail does not come out as text.
        let block = "<div class=\"item\"><a href=\"/x\">Link text that goes somewhere else entirely</a></div>"
        let tail = String(repeating: block, count: 2_000_000 / block.utf8.count)
        var html = Self.page(body: "{PROSE}")
        html += Array("<div class=\"more-links\">\(tail)</div>".utf8)
        let text = Self.text(html)
        #expect(text == Self.prose.joined(separator: "\n\n"))
    }
}
