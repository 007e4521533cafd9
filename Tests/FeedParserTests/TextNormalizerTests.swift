import FeedModel
import Foundation
import ParserSupport
import Testing

@Suite struct TextNormalizerTests {
    @Test(arguments: [
        ("  a \t b\n\nc  ", "a b c"),
        ("e\u{0301}t\u{00E9}", "\u{00E9}t\u{00E9}"),          // combining mark composes
        ("\u{2126}hm", "\u{03A9}hm"),                          // singleton: OHM SIGN → OMEGA
        ("\u{1100}\u{1161}", "\u{AC00}"),                      // conjoining jamo compose
        ("Привет, 世界", "Привет, 世界"),                       // already NFC: untouched
        ("a\u{0000}b\u{0085}c\u{009F}", "abc"),                // C0/C1 controls removed
        ("x\u{00A0}y", "x\u{00A0}y"),                          // no-break space is content
        ("\u{00A0} x \u{00A0}\u{00A0} ", "x"),                   // … but not at the ends
    ])
    func paragraphRules(input: String, expected: String) {
        #expect(TextNormalizer.paragraph(input).unicodeScalars.elementsEqual(expected.unicodeScalars))
    }

    /// The fast path must agree with Foundation's NFC on every scalar it claims is safe.
    @Test func fastPathAgreesWithFoundationOnTheBMP() {
        var mismatches: [UInt32] = []
        for v in UInt32(0x300)...UInt32(0xFFFF) {
            guard let u = Unicode.Scalar(v), !TextNormalizer.mayChangeUnderNFC(u) else { continue }
            let s = "a" + String(u) + "b"
            if !s.precomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual(s.unicodeScalars) {
                mismatches.append(v)
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20).map { String($0, radix: 16) })")
    }

    @Test func paragraphsAreJoinedByOneBlankLine() {
        #expect(TextNormalizer.paragraphs(["  one ", "", "two\nlines"]) == "one\n\ntwo lines")
    }
}
