import FeedModel
import Foundation
@testable import HTMLToText
import Testing

/// `HTMLText.entryText` renders feed entries from libxml2's events without the tree; it must
/// give exactly what the tree path gives (`text(fromHTML:mathAsText: true)` / `paragraph`), on
/// the text-rule cases and on random markup built to hit the awkward spots (blank chunks, `<pre>`,
/// hidden and non-content subtrees, auto-closed and stray tags, NUL bytes).
@Suite struct HTMLStreamTests {
    static func expectSame(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(HTMLText.entryText(fromHTML: html, singleParagraph: false) == HTMLText.text(fromHTML: html, mathAsText: true),
                "\(html.debugDescription)", sourceLocation: sourceLocation)
        #expect(HTMLText.entryText(fromHTML: html, singleParagraph: true) == HTMLText.paragraph(fromHTML: html, mathAsText: true),
                "\(html.debugDescription)", sourceLocation: sourceLocation)
    }

    @Test(arguments: [
        "<p>One</p><p>Two</p>", "<div>a</div>\n\n\n<div>b</div>", "<h2>Head</h2>Body text<ul><li>x</li><li>y</li></ul>",
        "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "<p>  many \t\n spaces  </p>",
        "<p>line one <br> line two<br/>three</p>", "a<br><br>b", "<pre>  keep\n   lines\n</pre> after",
        "<p hidden>gone</p>shown", "<span style=\"display: NONE\">gone</span>x", "<div aria-hidden=\"true\">no</div>yes",
        "<script>var x = '<p>';</script><style>p{}</style>text", "<nav>menu</nav><p>body</p>",
        "<p>open <b>bold <i>both</p><p>next", "</div></p>stray</span> end", "<math><mi>x</mi><mo>+</mo></math> y",
        "<svg><text>no</text></svg>ok", "<p>caf&eacute; &amp; &#8217; &nbsp;x</p>", "<!-- c --><p>a</p><!-- d -->",
        "x\u{0}y<b>z\u{0}</b>", "<pre><b>  a</b>\n  <i>b</i></pre>", "<p>\u{A0}lead and trail\u{A0}</p>",
        "<img src=x alt=y>word<img src=z>next", "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>",
    ])
    func sameAsTheTree(_ html: String) {
        Self.expectSame(html)
    }

    @Test func sameAsTheTreeOnRandomMarkup() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["<p>", "</p>", "<div class=\"c\">", "</div>", "<script>", "</script>", "<style>", "</style>",
                      "<a href='x' data-y=\"1\">", "</a>", "<!--", "-->", "\"", "'", ">", "<", "/>", "=", " ", "text",
                      "<br/>", "<img src=x alt=>", "&amp;", "\n  ", "  \t", "<pre>", "</pre>", "<li>", "<ul>", "</ul>",
                      "<span hidden>", "</span>", "<b style='visibility: hidden'>", "</b>", "<math>", "<mi>", "</math>",
                      "<nav>", "</nav>", "<table><tr><td>", "</td>", "\u{0}", "é", "\u{2028}", "<h2>", "</h2>"]
        for _ in 0..<400 {
            let html = (0..<Int.random(in: 1..<40, using: &generator))
                .map { _ in pieces[Int.random(in: 0..<pieces.count, using: &generator)] }.joined()
            Self.expectSame(html)
        }
    }
}
