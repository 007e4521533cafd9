import Foundation
import Testing
@testable import FeedParser

@Suite struct HTMLTextTests {
    @Test(arguments: [
        // Blocks are paragraphs joined by exactly "\n\n".
        ("<p>One</p><p>Two</p>", "One\n\nTwo"),
        ("<div>a</div>\n\n\n<div>b</div>", "a\n\nb"),
        ("<h2>Head</h2>Body text<ul><li>x</li><li>y</li></ul>", "Head\n\nBody text\n\nx\n\ny"),
        ("<blockquote>q</blockquote><figure>f</figure><section>s</section><hr>t", "q\n\nf\n\ns\n\nt"),
        ("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\n\nc"),
        ("<dl><dt>term</dt><dd>def</dd></dl>", "term\n\ndef"),
        // White space runs become one space; <br> is a newline with no spaces around it.
        ("<p>  many \t\n spaces  </p>", "many spaces"),
        ("<p>line one <br> line two<br/>three</p>", "line one\nline two\nthree"),
        ("a<br><br>b", "a\n\nb"),
        ("<p>a<br></p><p>b</p>", "a\n\nb"),
        // Inline elements never glue words across blocks, and never split words.
        ("<span>in</span><b>line</b>", "inline"),
        ("<div><span>end</span></div><div><span>start</span></div>", "end\n\nstart"),
        ("<li>one</li><li>two</li>", "one\n\ntwo"),
        // pre keeps its line breaks.
        ("<pre>let a = 1\n  let b = 2\n</pre>", "let a = 1\n  let b = 2"),
        // Non-content is removed with its text.
        ("<p>a<script>var x = '<p>no</p>';</script>b</p>", "a b"),
        ("<style>p{}</style><noscript>enable js</noscript><p>text</p>", "text"),
        ("<p>x</p><iframe src=x>frame</iframe><svg><text>svg</text></svg><template>t</template>", "x"),
        ("<form><input value=v><select><option>opt</option></select><textarea>ta</textarea><button>Go</button></form>ok", "ok"),
        ("<nav><a href=/>Home</a></nav><p>Body</p>", "Body"),
        ("<p hidden>secret</p><p style=\"display: none\">gone</p><p aria-hidden=\"true\">icon</p><p>shown</p>", "shown"),
        // Character references, NFC, no control characters, trimmed.
        ("<p>caf&eacute; &amp; &#x263A; &#9731; &lt;tag&gt;</p>", "café & ☺ ☃ <tag>"),
        ("<p>e\u{301}</p>", "é"),
        ("<p>a\u{0001}b\u{0085}c\u{FEFF}d</p>", "abcd"),
        ("<p>&nbsp;</p><p>real&nbsp;text&nbsp;</p>", "real\u{A0}text"),
        ("   <p>  trimmed  </p>   ", "trimmed"),
        ("", ""),
    ])
    func textRules(html: String, expected: String) {
        #expect(HTMLText.text(fromHTML: html) == expected)
    }

    @Test(arguments: [
        ("<p>One</p><p>Two</p>", "One Two"),
        ("Title<br>with break", "Title with break"),
        ("Fish &amp; Chips", "Fish & Chips"),
        ("plain\n\ntext", "plain text"),
    ])
    func paragraphFoldsBreaks(html: String, expected: String) {
        #expect(HTMLText.paragraph(fromHTML: html) == expected)
    }

    @Test func markupFreeTextKeepsBlankLineParagraphs() {
        let text = "First line\nwraps here.\n\n  Second &amp; last &#146;quoted&#146; &bogus; AT&T"
        #expect(HTMLText.text(fromHTML: text) == "First line wraps here.\n\nSecond & last ’quoted’ &bogus; AT&T")
    }

    @Test func markupAndFastPathAgree() {
        let plain = "Caf\u{E9} &eacute; \u{2028} x"
        #expect(HTMLText.text(fromHTML: plain) == HTMLText.text(fromHTML: "<p>\(plain)</p>"))
    }

    @Test func brokenMarkupIsRecovered() {
        #expect(HTMLText.text(fromHTML: "<p>open <b>bold <i>both</p><p>next") == "open bold both\n\nnext")
        #expect(HTMLText.text(fromHTML: "<p>truncated <a href=\"x") == "truncated")
        #expect(HTMLText.text(fromHTML: "</div></p>stray</span> end") == "stray end")
    }

    @Test(.timeLimit(.minutes(1)))
    func deepNestingDoesNotCrash() {
        let depth = 100_000
        let html = String(repeating: "<div><span>", count: depth) + "deep" + String(repeating: "</span></div>", count: depth)
        #expect(HTMLText.text(fromHTML: html) == "deep")
        let unclosed = String(repeating: "<b>", count: depth) + "x"
        #expect(HTMLText.text(fromHTML: unclosed) == "x")
    }

    @Test func randomBytesDoNotCrash() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let count = Int.random(in: 0..<2000, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Salt with markup so the parser's states get exercised.
            for token in ["<p>", "<pre>", "&amp;", "<br>", "</div>", "<script>", "<!--"] where !bytes.isEmpty {
                bytes.insert(contentsOf: token.utf8, at: Int.random(in: 0..<bytes.count, using: &generator))
            }
            let text = HTMLText.text(fromHTML: String(decoding: bytes, as: UTF8.self))
            #expect(!text.hasPrefix(" ") && !text.hasSuffix(" ") && !text.contains("\n\n\n"))
            #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        }
    }
}
