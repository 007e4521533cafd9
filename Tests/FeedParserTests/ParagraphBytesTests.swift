@testable import FeedFormats
import ParserSupport
import Testing

/// The byte-level text paths must give exactly what the scalar-by-scalar rules give, which
/// they replace: `TextNormalizer.paragraph` (now over `ParagraphBytes`) against
/// `paragraphByScalars`, `FeedText.paragraphsAtBlankLines` against blank-line splitting then
/// normalizing each part, and `isNormalizedParagraph`'s eight-byte steps against the claim it
/// makes (the normalizer would return the value unchanged). On cases for each rule, and on
/// random text built from the pieces the rules are about.
@Suite struct ParagraphBytesTests {
    /// White space of every kind, controls, noncharacters, no-break spaces, combining marks,
    /// jamo, singletons, and the letters the NFC shortcut trusts.
    static let pieces: [String] = [
        "a", "Word", "x.y", "  ", " ", "\t", "\n", "\n\n", "\r\n", " \n \n", "\u{0B}", "\u{0C}", "\u{1}", "\u{7F}",
        "\u{85}", "\u{9F}", "\u{A0}", "\u{2028}", "\u{2029}", "\u{FEFF}", "\u{FFFE}", "\u{FFFF}", "é", "e\u{301}",
        "\u{301}", "Привет", "世界", "\u{1100}\u{1161}", "\u{2126}", "😀", "ß", "\u{A0}\u{A0}", "abcdefghijklmnop",
        "a b c d e f g h i", "tail ", "\"q\"", "ʰ\u{2FF}", "\u{481}\u{483}", "Ж ж", "\u{4DC0}\u{4E00} \u{9FFF}",
        "\u{3000}", "\u{A0}x", "世 界 ",
    ]

    static func randomText(_ rng: inout some RandomNumberGenerator) -> String {
        var s = ""
        for _ in 0..<Int.random(in: 0...14, using: &rng) { s += pieces.randomElement(using: &rng)! }
        return s
    }

    static func byParts(_ s: String) -> String {
        FeedText.blankLineSeparated(s).map { TextNormalizer.paragraphByScalars($0) }.filter { !$0.isEmpty }
            .joined(separator: "\n\n")
    }

    @Test(arguments: [
        "", " ", "plain words", "  lead and trail  ", "a\u{A0}", "a \u{A0} \u{A0}", "\u{A0}\u{A0}x", "x\u{2028}y",
        "e\u{301}t\u{E9}", "ab\u{FEFF}cd\u{85}", "one two  three   four     five six seven eight nine",
        "12345678 12345678  12345678", "abcdefgh ", "abcdefg  h",
    ])
    func paragraphCases(_ s: String) {
        #expect(Array(TextNormalizer.paragraph(s).utf8) == Array(TextNormalizer.paragraphByScalars(s).utf8),
                "\(s.debugDescription)")
        #expect(Array(TextNormalizer.paragraph(s[...]).utf8) == Array(TextNormalizer.paragraphByScalars(s[...]).utf8))
    }

    @Test(arguments: [
        "", "\n", "one\n\ntwo", "one\n \t\r\n two\n\n\n\nthree", "\n\nlead", "trail\n\n", "a\n\u{0B}\nb", "a\n\u{A0}\nb",
        "x\n\ny\n\u{2028}\nz", "e\u{301}\n\n\u{301}", " \n \n ", "a\nb\nc", "\u{1}\n\n\u{2}\n\nq",
    ])
    func blankLineCases(_ s: String) {
        #expect(Array(FeedText.paragraphsAtBlankLines(s).utf8) == Array(Self.byParts(s).utf8), "\(s.debugDescription)")
    }

    @Test func randomTextAgrees() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let s = Self.randomText(&rng)
            let bytes = TextNormalizer.paragraph(s)
            let scalars = TextNormalizer.paragraphByScalars(s)
            #expect(Array(bytes.utf8) == Array(scalars.utf8), "\(s.debugDescription)")
            #expect(Array(FeedText.paragraphsAtBlankLines(s).utf8) == Array(Self.byParts(s).utf8), "\(s.debugDescription)")
            var t = s
            if t.withUTF8(FeedText.isNormalizedParagraph) {
                #expect(scalars == s, "\(s.debugDescription) is not normalized")
            }
            // Its normal form passes the check whenever it is printable ASCII.
            var n = scalars
            if n.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }), !n.isEmpty {
                let normalized = n.withUTF8(FeedText.isNormalizedParagraph)
                #expect(normalized, "\(scalars.debugDescription)")
            }
        }
    }
}
