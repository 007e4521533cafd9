import FeedModel
import Foundation
@testable import HTMLToText
import Testing

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
        // MathML is text: each token a word, the formula apart from its neighbours; a
        // <semantics> element's annotations (TeX source, content MathML) are left out.
        ("<p>When<math><mi>a</mi><mo>&#x2260;</mo><mn>0</mn></math>, x</p>", "When a ≠ 0 , x"),
        ("<math display=block><msup><mi>y</mi><mn>2</mn></msup><mtext>if</mtext><ms>s</ms></math>", "y 2 if s"),
        ("<p><math><semantics><mrow><mi>z</mi></mrow><annotation encoding=\"application/x-tex\">z^1</annotation>"
            + "<annotation-xml encoding=\"MathML-Content\"><ci>zc</ci></annotation-xml></semantics></math></p>", "z"),
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

    @Test(.timeLimit(.minutes(3)))
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

    // MARK: Script and attribute stripping before libxml2

    /// Everything the tree holds, one line per node, for comparing two parses.
    static func dump(_ doc: HTMLDocument) -> String {
        var lines = [String]()
        for n in 0..<doc.count {
            var line = "\(n) \(doc.tags[n]) p\(doc.parents[n]) e\(doc.subtreeEnds[n]) f\(doc.flags[n].rawValue)"
            if doc.isText(n) {
                line += " \(String(decoding: doc.textBytes(n), as: UTF8.self).debugDescription) c\(doc.charCounts[n]),\(doc.commaCounts[n])"
            } else {
                for i in Int(doc.starts[n])..<Int(doc.ends[n]) {
                    line += " \(doc.attributeNames[i])=\(doc.attribute(doc.attributeNames[i], of: n) ?? "")"
                }
            }
            lines.append(line)
        }
        return (lines + doc.jsonLD).joined(separator: "\n")
    }

    static func expectSameTree(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let bytes = Array(html.utf8)
        let stripped = dump(HTMLDocument.parse(utf8: bytes))
        let full = dump(HTMLDocument.parseUnstripped(utf8: bytes))
        #expect(stripped == full, "\(html.debugDescription)", sourceLocation: sourceLocation)
    }

    @Test(arguments: [
        "<p>a<script>if (a < b && c > d) document.write('<p>no</p>')</script>b</p>",
        "<script type=\"application/ld+json\">{\"@type\": \"NewsArticle\", \"headline\": \"</p>\"}</script><p>x</p>",
        "<SCRIPT TYPE='Application/LD+JSON'>{\"a\": 1}</SCRIPT><p>x</p>",
        "<style>p > a { color: red }</style><STYLE>x</sTyLe><p>y</p>",
        "<script src=\"x.js\"/><p>after a self-closed script</p>",
        "<script src=x.js/><p>unquoted: not self-closed</p></script><p>z</p>",
        "<p title=\"<script>\">quoted markup in a value</p><p data-x='a > b'>gt in a value</p>",
        "<!-- <script> --><p>commented out</p><!---><p>still a comment--><p>after</p>",
        "<p>text</p><script>never closed <p>",
        "<p>x</p><script>a</scriptx>b</script><p>y</p>",
        "<div class=\"a\" data-long=\"\(String(repeating: "x", count: 300))\" id=b onclick=\"f()\" hidden>t</div>",
        "<div CLASS=\"Up\" Style=\"display: none\" aria-hidden=TRUE srcset=\"a 1x, b 2x\">u</div><img src=a alt=\"b\"/>",
        "<a href=\"/x\" rel=author title=\"t\" class>n</a><meta property=\"og:title\" content=\"T\" data-x=1>",
        "<div bogus\"attr=\"1\" class=\"k\">v</div><div ===x class=y>w</div><div \u{E4}=1 class=z>\u{E4}</div>",
        "<p>a</p></p foo=\"<script>\"><p>b</p><?pi <script> ?><p>c</p>",
        "<div class=\"unterminated>text <script>x</script>",
        "<p>nul\u{0}byte</p><script>nul\u{0}</script>",
        "<svg><path d=\"M0 0L10 10\"/><title>t</title></svg><p>after svg</p>",
        "<div>\n    <p>a</p>\n\t\t<p>b</p>  \r\n  </div>  <!-- c -->   <p>c</p>\n  </body>\n</html>\n\n",
        "<p>x</p>  \n  <PRE>  keep\n   <b>this</b>   </pre>  \n  <p>y</p>\n   <p>z</p>",
        "<p>a</p>   < 3   <p>b</p>  <br/>   <img src=x>   text  <i>i</i>",
        "<ul>\n  <li>a &amp;   &amp; b</li>\n</ul>  \u{C}  <p>form feed</p>  \t <p>tab</p>",
        "<script src=a></script><SCRIPT src=b></Script><script>x</script><p>after empty scripts</p><style></style>",
        "<script></script ><p>space in the end tag</p><script></scripts><p>q</p></script><script></div><p>r</p>",
        "<div class=\"a\" class=\"b\" id='x&amp;y' CLASS=\"c\" role=\"\">d</div><p _1=0 _0=\"1\" class=k>e</p>",
        "<meta property=\"og:title\" content=\"T\u{E9}l\u{E9}\"><meta name='x' content=\"a\tb\"><time datetime=\"2020\">t</time>",
        "<p class=\"a\">x</p><script><b>markup first</b></script><div _0=\"0\" _1=0 class=\"z\">copied as is</div>",
        "<div class=\"a&amp;\" class=\"b\" ID=x id=\"y\" lang=l xml:lang=\"m\">moved after unmoved</div><html lang=\"k\" LANG=\"j\">",
        "<script>  </script>   <style>\n  </style>  \n<script type=\"application/ld+json\">  {}  </script>  <p>q</p>",
    ])
    func strippingKeepsTheTree(html: String) {
        Self.expectSameTree(html)
    }

    @Test func strippingKeepsTheTreeOfRandomMarkup() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["<p>", "</p>", "<div class=\"c\">", "</div>", "<script>", "</script>", "<style>", "</style>",
                      "<script type=\"application/ld+json\">", "<a href='x' data-y=\"1\">", "</a>", "<!--", "-->",
                      "\"", "'", ">", "<", "/>", "=", " ", "text", "<br/>", "<img src=x alt=>", "</scr", "ipt>", "&amp;",
                      "\n  ", "  \t", "<pre>", "</pre>"]
        for _ in 0..<300 {
            let html = (0..<Int.random(in: 1..<40, using: &generator))
                .map { _ in pieces[Int.random(in: 0..<pieces.count, using: &generator)] }.joined()
            Self.expectSameTree(html)
        }
    }

    /// The result is NFC whatever the input: text needing composition (a combining accent,
    /// singletons like the ohm sign, conjoining jamo) is composed, text NFC leaves alone
    /// (punctuation, Cyrillic, CJK, Arabic) passes through unchanged.
    @Test(arguments: [
        "<p>e\u{301}t\u{E9}</p>", "<b>\u{2126} and \u{212B}</b>", "<p>\u{1100}\u{1161}\u{11A8}</p>",
        "<p>\u{0958} \u{F900}</p>", "caf&eacute;<br>e&#x301;", "<p>It\u{2019}s \u{201C}quoted\u{201D} \u{2014} caf\u{E9}</p>",
        "<p>\u{41F}\u{440}\u{438}\u{432}\u{435}\u{442} \u{4E16}\u{754C} \u{627}\u{644}\u{639}\u{631}\u{628}\u{64A}\u{629}</p>",
        "<p>\u{AC00}\u{B098}\u{B2E4} \u{3042}\u{3044}</p>", "e\u{301} plain \u{2126}",
    ])
    func outputIsNFC(html: String) {
        for text in [HTMLText.text(fromHTML: html), HTMLText.paragraph(fromHTML: html)] {
            #expect(Array(text.unicodeScalars) == Array(text.precomposedStringWithCanonicalMapping.unicodeScalars))
        }
    }

    /// The pre-parse scan's cheap tag names decide attributes exactly as the real tags do.
    @Test func attributeOwnerAgreesWithTheTag() {
        var raw = HTMLTag.html.rawValue
        while let tag = HTMLTag(rawValue: raw) {
            for name in [String(describing: tag), String(describing: tag).uppercased()] {
                let owner = Array(name.utf8).withUnsafeBufferPointer { HTMLAttribute.owner(named: $0) }
                var attribute = HTMLAttribute.id.rawValue
                while let a = HTMLAttribute(rawValue: attribute) {
                    #expect(a.isRead(on: owner) == a.isRead(on: tag), "\(a) on \(name)")
                    attribute += 1
                }
            }
            raw += 1
        }
    }

    /// Blank runs between tags are cut before parsing, except in `<pre>`, where they are text.
    @Test func blanksBetweenTagsStayTextInPre() {
        let html = "<p>one</p>\n\n      <pre>a\n    <b>b</b>\n      <i>c</i></pre>\n\n   <p>two</p>"
        #expect(HTMLText.text(fromHTML: html) == "one\n\na\n    b\n      c\n\ntwo")
    }

    @Test func combiningSequencesAreComposed() {
        #expect(HTMLText.text(fromHTML: "<p>e\u{301} \u{2126}</p>").unicodeScalars.map(\.value) == [0xE9, 0x20, 0x3A9])
    }
}
