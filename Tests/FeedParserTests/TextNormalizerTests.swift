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

    /// `nfc` skips the lookup for the letters `isStableLetter` names: each of them must be one
    /// `mayChangeUnderNFC` clears, and `nfc` must agree with Foundation on text mixing them with
    /// the marks and jamo that compose with them.
    @Test func stableLettersNeedNoNormalizer() {
        for v in UInt32(0x300)...UInt32(0xFFFF) where TextNormalizer.isStableLetter(v) {
            guard let u = Unicode.Scalar(v) else { continue }
            #expect(!TextNormalizer.mayChangeUnderNFC(u), "\(String(v, radix: 16))")
        }
        let pieces: [String] = ["\u{415}", "\u{627}", "\u{6D5}", "\u{304B}", "\u{AC00}", "\u{4E16}", "a", " ", "\u{308}",
                                "\u{653}", "\u{654}", "\u{3099}", "\u{11A8}", "\u{1161}", "\u{1100}", "\u{2026}", "\u{FF21}", "\u{E9}"]
        var random = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let s = (0..<Int.random(in: 1...10, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            #expect(TextNormalizer.nfc(s).unicodeScalars.elementsEqual(s.precomposedStringWithCanonicalMapping.unicodeScalars),
                    "\(s.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test func paragraphsAreJoinedByOneBlankLine() {
        #expect(TextNormalizer.paragraphs(["  one ", "", "two\nlines"]) == "one\n\ntwo lines")
    }
}
