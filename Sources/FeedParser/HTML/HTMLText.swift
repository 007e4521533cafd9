/// HTML (fragment or document) → text by the SPEC §3 rules: blocks become paragraphs joined
/// by "\n\n", `<br>` a "\n", script/style and other non-content dropped, entities decoded.
public enum HTMLText {
    /// Multi-paragraph body text.
    public static func text(fromHTML html: String) -> String {
        TextNormalizer.paragraph(html)
    }

    /// One paragraph (titles, summaries): same, with paragraph breaks folded into spaces.
    public static func paragraph(fromHTML html: String) -> String {
        TextNormalizer.paragraph(html)
    }
}
