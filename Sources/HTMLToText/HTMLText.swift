import ParserSupport
/// HTML (fragment or document) → text by the SPEC §3 rules: blocks become paragraphs joined
/// by "\n\n", `<br>` a "\n", script/style and other non-content dropped, entities decoded.
///
/// Called once per feed entry, so text without markup skips the HTML parser entirely.
public enum HTMLText {
    /// Multi-paragraph body text.
    /// `mathAsText`: MathML (`<math>`) gives its text (`x+1`) instead of being left out as a
    /// non-content element: feed summaries and bodies use it for formulas, pages for widgets.
    public static func text(fromHTML html: String, mathAsText: Bool = false) -> String {
        convert(html, singleParagraph: false, mathAsText: mathAsText)
    }

    /// One paragraph (titles, summaries): same, with paragraph breaks folded into spaces.
    public static func paragraph(fromHTML html: String, mathAsText: Bool = false) -> String {
        convert(html, singleParagraph: true, mathAsText: mathAsText)
    }

    private static func convert(_ html: String, singleParagraph: Bool, mathAsText: Bool) -> String {
        let bytes = Array(html.utf8)
        if !bytes.contains(UInt8(ascii: "<")) {
            return plainText(bytes, singleParagraph: singleParagraph)
        }
        var renderer = HTMLTextRenderer(document: HTMLDocument.parse(utf8: bytes))
        renderer.singleParagraph = singleParagraph
        renderer.mathAsText = mathAsText
        return renderer.render()
    }

    /// Markup-free text: character references decoded, blank lines separate paragraphs
    /// (what a plain-text feed description means by them).
    static func plainText(_ bytes: [UInt8], singleParagraph: Bool) -> String {
        var out = TextAssembler(capacity: bytes.count)
        var runStart = 0
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "&"), let (scalar, length) = CharacterReference.decode(bytes, at: i) {
                out.append(bytes[runStart..<i])
                out.append(Array(String(Character(scalar)).utf8))
                i += length
                runStart = i
            } else if b == 0x0A && !singleParagraph {
                // A second newline before the next visible character is a paragraph break.
                var j = i + 1
                var blank = false
                while j < bytes.count, bytes[j] == 0x20 || (bytes[j] >= 0x09 && bytes[j] <= 0x0D) {
                    if bytes[j] == 0x0A { blank = true }
                    j += 1
                }
                if blank {
                    out.append(bytes[runStart..<i])
                    out.paragraphBreak()
                    i = j
                    runStart = i
                } else {
                    i += 1
                }
            } else {
                i += 1
            }
        }
        out.append(bytes[runStart..<bytes.count])
        return out.finish()
    }
}
