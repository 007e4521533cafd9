import FeedModel
import ParserSupport
import FeedWatchTesting
import Testing

@Suite struct CharsetDecoderTests {
    static let windows1251: [UInt8] = [0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2, 0x2C, 0x20, 0xEC, 0xE8, 0xF0]
    static let gb18030: [UInt8] = [0xD6, 0xD0, 0xCE, 0xC4, 0xD0, 0xC2, 0xCE, 0xC5]
    static let eucKR: [UInt8] = [0xC7, 0xD1, 0xB1, 0xB9, 0xBE, 0xEE, 0x20, 0xB4, 0xBA, 0xBD, 0xBA]
    static let shiftJIS: [UInt8] = [0x93, 0xFA, 0x96, 0x7B, 0x8C, 0xEA]
    static let greek: [UInt8] = [0xC5, 0xEB, 0xEB, 0xE7, 0xED, 0xE9, 0xEA, 0xDC]
    /// "café “quoted”" in windows-1252: 0x93/0x94 are curly quotes, not C1 controls.
    static let cp1252: [UInt8] = [0x63, 0x61, 0x66, 0xE9, 0x20, 0x93, 0x71, 0x75, 0x6F, 0x74, 0x65, 0x64, 0x94]

    static let legacy: [([UInt8], String, String, String)] = [
        (windows1251, "windows-1251", "windows-1251", "Привет, мир"),
        (windows1251, "cp1251", "windows-1251", "Привет, мир"),
        (gb18030, "gb18030", "gb18030", "中文新闻"),
        (gb18030, "GB2312", "gb18030", "中文新闻"),
        (gb18030, "gbk", "gb18030", "中文新闻"),
        (eucKR, "euc-kr", "euc-kr", "한국어 뉴스"),
        (eucKR, "ks_c_5601-1987", "euc-kr", "한국어 뉴스"),
        (shiftJIS, "x-sjis", "shift_jis", "日本語"),
        (greek, "iso-8859-7", "iso-8859-7", "Ελληνικά"),
        (cp1252, "iso-8859-1", "windows-1252", "café “quoted”"),
        (cp1252, "latin1", "windows-1252", "café “quoted”"),
        (cp1252, " \"US-ASCII\" ", "windows-1252", "café “quoted”"),
    ]

    @Test(arguments: legacy)
    func declaredLegacyCharset(_ bytes: [UInt8], _ label: String, _ charset: String, _ text: String) {
        let d = CharsetDecoder.decode(bytes, httpCharset: nil, declared: label)
        #expect(d.text == text)
        #expect(d.charset == charset)
        #expect(d.warnings.isEmpty)
    }

    @Test func httpCharsetOutranksTheDocument() {
        let d = CharsetDecoder.decode(Self.windows1251, httpCharset: "windows-1251", declared: "iso-8859-1")
        #expect(d.text == "Привет, мир")
    }

    @Test func byteOrderMarkOutranksEverything() {
        let utf16: [UInt8] = [0xFF, 0xFE, 0x48, 0x00, 0xE9, 0x00, 0x20, 0x00, 0x2D, 0x4E]
        let d = CharsetDecoder.decode(utf16, httpCharset: "iso-8859-1", declared: "windows-1251")
        #expect(d.text == "Hé 中")
        #expect(d.charset == "utf-16le")
        let be: [UInt8] = [0xFE, 0xFF, 0x00, 0x48, 0x00, 0xE9]
        #expect(CharsetDecoder.decode(be, httpCharset: nil, declared: nil).text == "Hé")
        let utf8: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("Grüße".utf8)
        #expect(CharsetDecoder.decode(utf8, httpCharset: "windows-1251", declared: nil).text == "Grüße")
        let utf32: [UInt8] = [0xFF, 0xFE, 0x00, 0x00, 0x41, 0x00, 0x00, 0x00, 0x2D, 0x4E, 0x00, 0x00]
        #expect(CharsetDecoder.decode(utf32, httpCharset: nil, declared: nil).text == "A中")
    }

    @Test func mislabelledUTF8FallsBackToWindows1252WithAWarning() {
        let d = CharsetDecoder.decode(Self.cp1252, httpCharset: nil, declared: "utf-8")
        #expect(d.text == "café “quoted”")
        #expect(d.charset == "windows-1252")
        #expect(d.warnings.count == 1)
    }

    @Test func undeclaredBytesAreUTF8WhenValidElseWindows1252() {
        let ok = CharsetDecoder.decode(Array("naïve – ok".utf8), httpCharset: nil, declared: nil)
        #expect(ok.text == "naïve – ok")
        #expect(ok.warnings.isEmpty)
        // Truncated multi-byte sequence and a lone continuation byte.
        let bad: [UInt8] = [0x41, 0xE2, 0x80, 0x42, 0x80]
        let d = CharsetDecoder.decode(bad, httpCharset: nil, declared: nil)
        #expect(d.charset == "windows-1252")
        #expect(d.text == "Aâ€B€")
        #expect(!d.warnings.isEmpty)
    }

    @Test func unknownLabelIsSkippedForTheNextCandidate() {
        let d = CharsetDecoder.decode(Self.windows1251, httpCharset: "x-no-such-charset", declared: "windows-1251")
        #expect(d.text == "Привет, мир")
        #expect(d.warnings.count == 1)
        #expect(d.warnings[0].contains("x-no-such-charset"))
    }

    @Test func invalidBytesInALegacyCharsetBecomeReplacementCharacters() {
        // 0x80 alone is not a GB18030 sequence.
        let d = CharsetDecoder.decode([0xD6, 0xD0, 0x80, 0x41], httpCharset: "gb18030", declared: nil)
        #expect(d.text.hasPrefix("中"))
        #expect(d.text.hasSuffix("A"))
        #expect(d.text.contains("\u{FFFD}"))
        #expect(!d.warnings.isEmpty)
    }

    @Test func documentClaimingUTF16WithoutBOMIsReadAsUTF8() {
        let d = CharsetDecoder.decode(Array("<?xml version=\"1.0\"?><a>é</a>".utf8), httpCharset: nil, declared: "utf-16")
        #expect(d.text.contains("<a>é</a>"))
    }

    static let declarations: [(String, String?)] = [
        ("<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss/>", "windows-1251"),
        ("<?xml version='1.0' encoding='ISO-8859-1' ?>\n<feed/>", "ISO-8859-1"),
        ("\u{FEFF}<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "UTF-8"),
        ("<?xml version=\"1.0\"?><rss/>", nil),
        ("<!doctype html><html><head><meta charset=\"euc-kr\"><title>x</title>", "euc-kr"),
        ("<html><head><META CHARSET=gb2312>", "gb2312"),
        ("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">", "windows-1251"),
        ("<html><head><meta name=\"description\" content=\"charset is fun\"><title>x</title></head>", nil),
        ("plain text with no declaration", nil),
    ]

    @Test(arguments: declarations)
    func sniffsDeclaration(_ document: String, _ expected: String?) {
        #expect(CharsetDecoder.declaredCharset(in: Array(document.utf8)) == expected)
    }

    @Test func sniffingLooksOnlyAtTheFirstKilobyte() {
        let late = String(repeating: " ", count: 2000) + "<meta charset=\"koi8-r\">"
        #expect(CharsetDecoder.declaredCharset(in: Array(late.utf8)) == nil)
    }
}

extension CharsetDecoderTests {
    /// Random bytes under every kind of label: always valid UTF-8 out, never a crash.
    @Test func randomBytesAlwaysDecodeToValidUTF8() {
        var rng = SeededRandom(seed: 0xC0DE)
        let labels: [String?] = [nil, "utf-8", "windows-1251", "gb18030", "euc-kr", "shift_jis", "iso-2022-jp",
                                 "utf-16", "utf-16be", "big5", "koi8-r", "bogus", "x-mac-cyrillic", "iso-8859-8-i"]
        for _ in 0..<2_000 {
            let count = Int.random(in: 0...64, using: &rng)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if Bool.random(using: &rng) { bytes.insert(contentsOf: [0xFF, 0xFE], at: 0) }
            let http = labels.randomElement(using: &rng) ?? nil
            let declared = labels.randomElement(using: &rng) ?? nil
            let d = CharsetDecoder.decode(bytes, httpCharset: http, declared: declared)
            #expect(String(validating: Array(d.text.utf8), as: UTF8.self) != nil)
            #expect(!d.charset.isEmpty)
            _ = CharsetDecoder.declaredCharset(in: bytes)
        }
    }
}
