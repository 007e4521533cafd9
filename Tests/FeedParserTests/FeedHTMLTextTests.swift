import Testing
@testable import FeedParser

/// `FeedHTMLText` must give exactly what `HTMLText` gives (it only skips a needless NFC pass):
/// if the two ever drift apart, feed text would silently change.
@Suite struct FeedHTMLTextTests {
    static let samples: [String] = [
        "<p>One</p><p>Two</p>",
        "<p>It\u{2019}s \u{201C}quoted\u{201D} \u{2014} caf\u{E9}</p>",
        // Needs NFC: a combining accent, the ohm sign, a singleton, conjoining Hangul jamo.
        "<p>e\u{301}t\u{E9}</p>", "<b>\u{2126} and \u{212B}</b>", "<p>\u{1100}\u{1161}\u{11A8}</p>",
        "<p>\u{0958} \u{F900}</p>", "caf&eacute;<br>e&#x301;",
        // Scripts NFC leaves alone.
        "<p>\u{41F}\u{440}\u{438}\u{432}\u{435}\u{442} \u{4E16}\u{754C} \u{627}\u{644}\u{639}\u{631}\u{628}\u{64A}\u{629}</p>",
        "<p>\u{AC00}\u{B098}\u{B2E4} \u{3042}\u{3044}</p>",
        // Trailing spaces and no-break spaces on the last line, after breaks, in pre.
        "<p>a&nbsp;</p><p>b &nbsp; </p>", "<p>line<br>&nbsp;next&nbsp;</p>", "<pre>code  \n  indented  \n</pre>",
        "x<br>\u{A0}\u{A0}", "<ul><li>one \u{A0}</li><li>two</li></ul>\u{A0}",
        "<p>a\u{0001}b\u{0085}c\u{FEFF}d</p>", "<td>cell</td><td>cell</td>", "<p hidden>no</p>yes",
        "", "   ", "<p></p>", "<br>",
    ]

    @Test(arguments: samples)
    func sameTextAsHTMLText(html: String) {
        #expect(FeedHTMLText.convert(html, singleParagraph: false) == HTMLText.text(fromHTML: html))
        #expect(FeedHTMLText.convert(html, singleParagraph: true) == HTMLText.paragraph(fromHTML: html))
    }

    @Test func resultIsNFC() {
        let text = FeedHTMLText.convert("<p>e\u{301} \u{2126}</p>", singleParagraph: false)
        #expect(text.unicodeScalars.map(\.value) == [0xE9, 0x20, 0x3A9])
    }
}
