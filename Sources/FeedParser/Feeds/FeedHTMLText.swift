/// HTML feed values → text by exactly `HTMLText`'s rules (its parser, renderer and assembler),
/// with the NFC pass run only when the text holds a character NFC can change.
///
/// Why not `HTMLText` itself: `TextAssembler.finish` normalizes whenever any character from
/// U+0300 up is present, which in feed text (curly quotes, dashes, any non-Latin script) is
/// nearly always, and Foundation's normalizer was the largest single cost of parsing a feed
/// (a fifth of the time). Markup-free values still take `HTMLText`'s plain-text path: they are
/// few and short. If `TextAssembler.finish` gets the same test, this type can go.
enum FeedHTMLText {
    static func convert(_ html: String, singleParagraph: Bool) -> String {
        let bytes = Array(html.utf8)
        guard bytes.contains(UInt8(ascii: "<")) else {
            return singleParagraph ? HTMLText.paragraph(fromHTML: html) : HTMLText.text(fromHTML: html)
        }
        var renderer = HTMLTextRenderer(document: HTMLDocument.parse(utf8: bytes))
        renderer.singleParagraph = singleParagraph
        var out = TextAssembler(capacity: bytes.count / 2)
        renderer.render(HTMLDocument.root, into: &out)
        return finish(out.bytes)
    }

    /// `TextAssembler.finish` minus its blanket NFC: spaces and no-break spaces off the end of
    /// the last line. The assembler writes "\n" only as a line or paragraph break, so the last
    /// line starts after the last "\n".
    private static func finish(_ bytes: [UInt8]) -> String {
        let lineStart = (bytes.lastIndex(of: 0x0A) ?? -1) + 1
        var end = bytes.count
        while end > lineStart {
            if bytes[end - 1] == 0x20 {
                end -= 1
            } else if end - 2 >= lineStart, bytes[end - 2] == 0xC2, bytes[end - 1] == 0xA0 {
                end -= 2
            } else {
                break
            }
        }
        return TextNormalizer.nfc(String(decoding: bytes[..<end], as: UTF8.self))
    }
}
