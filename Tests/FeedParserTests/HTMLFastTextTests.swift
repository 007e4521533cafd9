@testable import HTMLToText
import Testing

/// `HTMLFastText` reads entry HTML without libxml2 and must give, whenever it answers, exactly
/// what libxml2's HTML parser gives through `HTMLStreamRenderer` (the path it short-cuts): on
/// cases for each libxml2 rule it follows, and on random markup built from the pieces those
/// rules are about. It must also answer for the markup feeds are mostly written in, or the
/// speed it exists for is gone.
@Suite struct HTMLFastTextTests {
    static func libxml2Text(_ html: String, singleParagraph: Bool) -> String {
        var html = html
        return html.withUTF8 { source in
            let stripped = RawTextStripper.strip(source)
            return stripped.bytes.withUnsafeBufferPointer {
                HTMLStreamRenderer.text($0, singleParagraph: singleParagraph, mathAsText: true)
            }
        }
    }

    static func fastText(_ html: String, singleParagraph: Bool) -> String? {
        var html = html
        return html.withUTF8 { HTMLFastText.text($0, singleParagraph: singleParagraph) }
    }

    /// Whether the scan answered; when it did, its text is libxml2's.
    @discardableResult
    static func expectSameWhenAnswered(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        var answered = true
        for single in [false, true] {
            guard let fast = fastText(html, singleParagraph: single) else {
                answered = false
                continue
            }
            #expect(fast == libxml2Text(html, singleParagraph: single), "\(html.debugDescription) single: \(single)",
                    sourceLocation: sourceLocation)
        }
        return answered
    }

    @Test(arguments: [
        "text first <b>bold</b><div>block</div>after", "<p>a<p>b<li>c<li>d", "<ul><li>a<ul><li>b</ul>c</ul>d",
        "<dl><dt>t<dd>d<dt>u</dl>", "<h2>h<p>p</h2>q", "<b>x<p>y</b>z", "<p>a<div>b</div>c</p>d", "<span>a<p>b</span>c",
        "<b><div>x</b>y</div>z", "<table><tr><td>a<td>b<tr><td>c</table>after", "<p>a<table><caption>c<tr><th>h</table>",
        "<pre>\n  code\n\tmore &lt;x&gt;\n</pre>tail", "<pre><span>a</span>  <b>b</b>\n</pre>", "AT&T &foo; &T. &amp &a-b; x&#8217 y",
        "&#0;&#xZ;&#;&#x110000;&#128;&#xD;ok", "<html><head></head><body><p>in</p></body></html>\n",
        "<html><body>x</body></html>", "<!-- note --><p>a<!-- b -->c</p>", "a < b and c <3", "<P CLASS=x>Upper</P><BR>",
        "<a href=x title=y>unquoted</a>", "<a href=\"x\"title='y'>adjacent</a>", "<p style=\"display:none\">gone</p>kept",
        "<p aria-hidden=\"TRUE\">gone</p>kept", "<div hidden><p>gone</p></div>kept", "<p>x<script>if (a < b) {}</script>y</p>",
        "<p>x<style>p { }</STYLE >y</p>", "<iframe src=x>inner <b>b</b></iframe>after", "<figure><img src=x><figcaption>cap</figcaption></figure>",
        "<p>a<wbr>b<li>c", "<math><mi>x</mi><mo>=</mo><mn>2</mn></math> done", "<svg><circle r=1/></svg>after",
        "<p>one</p>\n\n<p>two</p>", "<body hidden><p>x</p></body>", "a <_x> b", "a <:x>b</:x> c", "a <.x> b",
        "<p style=\"display:\u{0}none\">x</p>y", "<p>a<o:p></o:p>b</p>", "<svg><use href=x></use><g><path/></g></svg>after",
        "<p>x<meta itemprop=a content=b>y<link rel=x>z</p>", "<foo>a<bar>b</foo>c</bar>d", "<meta content=x>first", "<br/><p/>x<img src=y/>z", "</p>stray end tags</b></br>x", "<p>é \u{A0}x\u{2028}y\u{FEFF}z</p>",
    ])
    func sameAsLibxml2(_ html: String) {
        Self.expectSameWhenAnswered(html)
    }

    /// Typical feed markup: the scan answers (no fallback) and agrees.
    @Test(arguments: [
        "<p>An <a href=\"https://e.org/a?b=1&amp;c=2\">article</a> about <em>things</em>.</p><p>More &mdash; here.</p>",
        "<div><img src=\"x.jpg\" alt=\"\" /><br />Caption</div><ul><li>one</li><li>two</li></ul>",
        "<h3>Title</h3><blockquote><p>Quote</p></blockquote><pre><code>let x = 1\n</code></pre>",
        "<table><tr><td>a</td><td>b</td></tr></table><!-- end -->",
    ])
    func answersForCommonMarkup(_ html: String) {
        #expect(Self.expectSameWhenAnswered(html), "fell back: \(html.debugDescription)")
    }

    @Test func sameAsLibxml2OnRandomMarkup() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["<p>", "</p>", "<div>", "</div>", "<b>", "</b>", "<i>", "</i>", "<a href=x>", "</a>", "<li>", "</li>",
                      "<ul>", "</ul>", "<ol>", "</ol>", "<h2>", "</h2>", "<dl>", "<dt>", "<dd>", "</dl>", "<table>", "<tr>",
                      "<td>", "</td>", "<th>", "</tr>", "</table>", "<caption>", "<pre>", "</pre>", "<span>", "</span>",
                      "<font>", "<center>", "<u>", "<small>", "<br>", "<hr>", "<img src=x>", "<wbr>", "<figure>", "</figure>",
                      "<script>x</script>", "<style>s</style>", "<!-- c -->", "<iframe>", "</iframe>", "<math>", "<mi>",
                      "</math>", "<span hidden>", "<p style='display:none'>", "text", "more words", " ", "  ", "\n", "\t",
                      "&amp;", "&lt;", "&nbsp;", "&eacute;", "&#8217;", "&#x41", "AT&T", "&zz;", "<", "a<3", "é", "\u{2028}",
                      "<P>", "</P>", "<html>", "<body>", "</body>", "<head></head>", "<p/>", "<div />",
                      // Raw-text bodies that start with markup, and the awkward pieces of `HTMLStreamTests`.
                      "<p>x<script></p>", "<style><body>", "</script>", "</style>", "<script>", "<style>", "<!--", "-->",
                      "\"", "'", ">", "/>", "=", "<div class=\"c\">", "<a href='x' data-y=\"1\">", "<img src=x alt=>",
                      "<b style='visibility: hidden'>", "<nav>", "</nav>", "\u{0}", "\u{1}", "<table><tr><td>",
                      "<foo>", "</foo>", "<bar x=1>", "</bar>", "<o:p>", "</o:p>", "<meta itemprop=a>", "<link rel=b>"]
        var answered = 0
        for _ in 0..<4000 {
            let html = (0..<Int.random(in: 1..<30, using: &generator))
                .map { _ in pieces[Int.random(in: 0..<pieces.count, using: &generator)] }.joined()
            if Self.expectSameWhenAnswered(html) { answered += 1 }
        }
        // Most of these are within the scan's rules: the comparison is not vacuous.
        #expect(answered > 500)
    }
}
