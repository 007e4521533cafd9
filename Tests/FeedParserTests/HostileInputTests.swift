import FeedModel
import FeedParser
import Foundation
import Testing

/// Inputs shaped to get past the parser's first look: long prologs, wide encodings without a
/// byte order mark, JSON nested past Foundation's limit. Each must still give its entries.
@Suite struct HostileInputTests {
    static let rss = #"<rss version="2.0"><channel><title>T</title><item><title>Café item</title>"#
        + "<description>Body text</description></item></channel></rss>"

    static func parse(_ bytes: [UInt8], format: InputFormat = .auto) throws -> ParsedDocument {
        try ArticleParser.parse(ParserInput(bytes: bytes, format: format))
    }

    @Test(arguments: [
        "<!-- " + String(repeating: "a long licence comment ", count: 4_000) + " -->",
        "<!DOCTYPE rss [" + String(repeating: "<!-- a DTD that goes on and on --> ", count: 2_000) + "]>",
        String(repeating: "<?some-processing instruction?>\n", count: 2_000),
    ])
    func aLongPrologStillLeadsToTheRoot(prolog: String) throws {
        let document = try Self.parse(Array(("<?xml version=\"1.0\"?>\n" + prolog + Self.rss).utf8))
        #expect(document.format == .rss)
        #expect(document.articles.map(\.title) == ["Café item"])
    }

    @Test(arguments: [String.Encoding.utf16LittleEndian, .utf16BigEndian, .utf32LittleEndian, .utf32BigEndian],
          [true, false])
    func wideEncodingsWithoutAByteOrderMark(encoding: String.Encoding, declaration: Bool) throws {
        let text = (declaration ? #"<?xml version="1.0" encoding="UTF-16"?>"# : "") + Self.rss
        let bytes = try #require(text.data(using: encoding)).map { $0 } // no BOM with explicit endianness
        #expect(bytes.first != 0xFF && bytes.first != 0xFE)
        let document = try Self.parse(bytes)
        #expect(document.format == .rss)
        #expect(document.articles.map(\.title) == ["Café item"])
        #expect(document.articles.map(\.text) == ["Body text"])
    }

    @Test func jsonNestedPastFoundationsLimitKeepsItsItems() throws {
        let deep = String(repeating: "[", count: 3_000) + String(repeating: "]", count: 3_000)
        let json = #"{"version":"https://jsonfeed.org/version/1.1","title":"T","items":["#
            + #"{"id":"1","title":"First","content_text":"One"},"#
            + #"{"id":"2","title":"Second","content_text":"Two","_ext":{"a":"]\"[","b":"# + deep + "}}]}"
        let document = try Self.parse(Array(json.utf8))
        #expect(document.articles.map(\.title) == ["First", "Second"])
        #expect(document.warnings.contains { $0.contains("nested 3004 levels deep") }, "\(document.warnings)")
    }

    @Test func invalidJSONIsStillRefusedAsSuch() {
        #expect(throws: ParseError.self) { try Self.parse(Array(#"{"items": [1, 2"#.utf8), format: .jsonfeed) }
    }

    @Test func xmlWarningsNameTheLine() throws {
        let feed = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n<channel>\n<title>T</title>\n"
            + "<item><title>A &bogus; B</title></item></channel></rss>\n"
        let document = try Self.parse(Array(feed.utf8))
        let warning = try #require(document.warnings.first { $0.contains("bogus") })
        #expect(warning.contains("at line 5"), "\(warning)")
    }
}
