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

    /// A feed entry's HTML (summary, body; `singleParagraph` for titles and summaries): the same
    /// text as `text(fromHTML:mathAsText: true)` / `paragraph(…)`, rendered from libxml2's events
    /// without building the tree (`HTMLStreamRenderer`). For short documents read once; pages,
    /// whose scripts and attributes `RawTextStripper` cuts first, take the tree path.
    public static func entryText(fromHTML html: String, singleParagraph: Bool) -> String {
        var html = html
        return html.withUTF8 { source in
            if !source.contains(UInt8(ascii: "<")) {
                return plainText(Array(source), singleParagraph: singleParagraph)
            }
            if let text = HTMLFastText.text(source, singleParagraph: singleParagraph) { return text }
            // The stripper's copy is what the tree path parses too: libxml2 reads a fifth less
            // (attribute values it would decode a character at a time are out), and the
            // `_K=N` stand-ins it leaves are attributes the renderer never reads.
            let stripped = RawTextStripper.strip(source)
            return stripped.bytes.withUnsafeBufferPointer {
                HTMLStreamRenderer.text($0, singleParagraph: singleParagraph, mathAsText: true)
            }
        }
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
                while j < bytes.count, ASCIIBytes.isSpace(bytes[j]) {
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
