@testable import FeedModel
import Testing

@Suite struct RecordFormatTests {
    @Test func idIsSHA256OfTitleBlankLineText() {
        // Reference computed outside Swift: printf 'a\n\nb' | sha256sum
        #expect(ArticleID.of(title: "a", text: "b")
            == "sha256:38022fd2b8dbc5cb3d2cee74e083edbf59e3d4e13d067ebcb5db633d4cff4d8c")
    }

    @Test func wordCountSplitsOnWhiteSpace() {
        #expect(ArticleID.wordCount("") == 0)
        #expect(ArticleID.wordCount("  one\ntwo\n\nthree  ") == 3)
    }

    /// The byte-level count agrees with splitting on Unicode's White_Space property, for every
    /// white-space scalar and for neighbours that share their lead bytes.
    @Test func wordCountAgreesWithUnicodeWhiteSpace() {
        let pieces: [Unicode.Scalar] = [" ", "\t", "\n", "\u{85}", "\u{A0}", "\u{1680}", "\u{2000}", "\u{200A}", "\u{200B}",
                                        "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}", "\u{2060}", "\u{3000}", "\u{3001}",
                                        "a", "\u{E9}", "\u{4E16}", "\u{1F600}", "\u{2019}", "\u{C4}", "\u{169F}"]
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...12, using: &random) { text.append(pieces.randomElement(using: &random)!) }
            let string = String(text)
            let reference = string.unicodeScalars.split { $0.properties.isWhitespace }.count
            #expect(ArticleID.wordCount(string) == reference, "\(string.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    /// The record writes the text and counts its words in one pass, eight bytes at a time over
    /// plain ASCII: its `word_count` is `ArticleID.wordCount` and its `text` the JSON string of
    /// the text, for texts mixing long plain runs with every kind of byte the fast path refuses.
    @Test func recordWordCountAndTextMatchTheReference() throws {
        let pieces = ["word", " ", "  ", "\t", "\n", "\n\n", "\"", "\\", "\u{1}", "\u{7F}", "\u{A0}", "\u{85}", "\u{2003}",
                      "\u{3000}", "\u{E9}t\u{E9}", "\u{4E16}", "\u{1F600}", "abcdefghijklmnop", "a b c d e f g h ", "x"]
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...24, using: &random) { text += pieces.randomElement(using: &random)! }
            let record = ArticleRecord(article: Article(title: "t", text: text), source: ArticleSource(kind: .file, name: "f"),
                                       fetchedAt: Timestamp(secondsSince1970: 0))
            let line = record.jsonLine()
            #expect(line.contains("\"word_count\":\(ArticleID.wordCount(text)),"), "\(text.debugDescription)")
            var quoted = [UInt8]()
            JSONTextReference.appendQuoted(text, to: &quoted)
            #expect(line.contains("\"text\":" + String(decoding: quoted, as: UTF8.self) + ","), "\(text.debugDescription)")
        }
    }

    /// The other string fields go through `appendQuoted`, eight bytes at a time while none
    /// needs an escape: the same JSON string as the byte-by-byte reference.
    @Test func quotedFieldsMatchTheReference() {
        let pieces = ["word", " ", "\t", "\n", "\"", "\\", "\u{1}", "\u{1F}", "\u{7F}", "\u{A0}", "\u{E9}t\u{E9}", "\u{4E16}",
                      "\u{1F600}", "abcdefghijklmnop", "http://e.org/a?b=c&d", "x"]
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            var title = ""
            for _ in 0..<Int.random(in: 0...16, using: &random) { title += pieces.randomElement(using: &random)! }
            var fast = [UInt8]()
            JSONLineWriter.appendQuoted(title, to: &fast)
            var reference = [UInt8]()
            JSONTextReference.appendQuoted(title, to: &reference)
            #expect(fast == reference, "\(title.debugDescription)")
        }
    }

    @Test(arguments: [
        (0 as Int64, "1970-01-01T00:00:00Z"),
        (1_522_677_600, "2018-04-02T14:00:00Z"),
        (951_782_400, "2000-02-29T00:00:00Z"),
        (-1, "1969-12-31T23:59:59Z"),
        (253_402_300_799, "9999-12-31T23:59:59Z"),
    ])
    func rfc3339Formatting(seconds: Int64, expected: String) {
        #expect(Timestamp(secondsSince1970: seconds).rfc3339 == expected)
    }

    @Test func civilFieldsRoundTripWithOffset() throws {
        let t = try #require(Timestamp(year: 2000, month: 2, day: 28, hour: 18, minute: 14, second: 55,
                                       offsetSeconds: -8 * 3600))
        #expect(t.rfc3339 == "2000-02-29T02:14:55Z")
        #expect(Timestamp(year: 2003, month: 2, day: 29) == nil)
        #expect(Timestamp(year: 2003, month: 12, day: 31, hour: 25) == nil)
    }

    @Test func jsonLineKeepsKeyOrderAndOmitsUnknownKeys() {
        let article = Article(title: "T \"q\"", text: "line1\nline2\u{1}", url: "https://e.org/a",
                              published: Timestamp(secondsSince1970: 0), tags: ["x", "y"])
        let record = ArticleRecord(seq: 7, article: article,
                                   source: ArticleSource(kind: .file, name: "a.txt", path: "/in/a.txt"),
                                   fetchedAt: Timestamp(secondsSince1970: 60))
        let line = record.jsonLine()
        #expect(line.hasSuffix("}\n"))
        #expect(line.hasPrefix(#"{"schema":1,"seq":7,"id":"sha256:"#))
        #expect(line.contains(#""kind":"new","title":"T \"q\"","text":"line1\nline2\u0001","url":"https://e.org/a","published":"1970-01-01T00:00:00Z","tags":["x","y"],"word_count":2,"source":{"type":"file","name":"a.txt","path":"/in/a.txt"},"fetched_at":"1970-01-01T00:01:00Z"}"#))
        #expect(!line.contains("summary"))
        #expect(!line.contains("null"))
    }
}

/// JSON string escaping by the record format's rule (`"`, `\`, controls escaped; everything
/// else as UTF-8), byte by byte: the reference the fast writer is checked against.
enum JSONTextReference {
    static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case 0x22, 0x5C: out.append(0x5C); out.append(b)
            case 0x0A: out += Array("\\n".utf8)
            case 0x0D: out += Array("\\r".utf8)
            case 0x09: out += Array("\\t".utf8)
            case 0..<0x20: out += Array("\\u00".utf8) + Array(String(b >> 4, radix: 16).utf8) + Array(String(b & 0xF, radix: 16).utf8)
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
