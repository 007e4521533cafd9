@testable import FeedFetch
import Testing

@Suite struct ResponseHeadsTests {
    private func heads(_ lines: [String]) -> ResponseHeads {
        var heads = ResponseHeads()
        for line in lines {
            Array((line + "\r\n").utf8).withUnsafeBytes { heads.append(line: $0) }
        }
        return heads
    }

    @Test func interimAndRedirectHeadsAreSeparatedFromTheFinalOne() {
        let parsed = heads([
            "HTTP/1.1 100 Continue", "",
            "HTTP/1.1 301 Moved Permanently", "Location: /new", "ETag: \"old\"", "",
            "HTTP/2 200", "content-type: text/xml;charset=utf-8", "ETag:  \"new\" ", "X-Long: a", "\tb", "",
        ])
        #expect(parsed.last?.status == 200)
        #expect(parsed.last?.headers["etag"] == "\"new\"")
        #expect(parsed.last?.headers["X-Long"] == "a b")
        let chain = parsed.redirects(startingAt: "http://example.test/old/feed")
        #expect(chain == [HTTPRedirect(url: "http://example.test/old/feed", status: 301, location: "http://example.test/new")])
    }

    /// `Location` values resolve as curl resolves them when following (RFC 3986), each hop against
    /// the URL that sent it.
    @Test(arguments: [
        ("/new", "http://example.test/new"),
        ("new.xml", "http://example.test/old/new.xml"),
        ("../up.xml", "http://example.test/up.xml"),
        ("?page=2", "http://example.test/old/feed?page=2"),
        ("//cdn.example.test/feed", "http://cdn.example.test/feed"),
        ("https://other.test/a/./b/../c?x=1", "https://other.test/a/c?x=1"),
        ("a b/ü.xml", "http://example.test/old/a%20b/%C3%BC.xml"),
    ])
    func locationsResolveAgainstTheURLThatSentThem(location: String, resolved: String) {
        let parsed = heads(["HTTP/1.1 301 Moved Permanently", "Location: \(location)", "", "HTTP/1.1 200 OK", ""])
        #expect(parsed.redirects(startingAt: "http://example.test/old/feed").map(\.location) == [resolved])
    }

    @Test(arguments: [
        ("text/html; charset=UTF-8", "text/html", "UTF-8"),
        ("application/xml;charset=\"windows-1252\"", "application/xml", "windows-1252"),
        ("Text/XML ; foo=bar; CHARSET=iso-8859-1", "text/xml", "iso-8859-1"),
        ("application/rss+xml", "application/rss+xml", nil),
    ] as [(String, String, String?)])
    func contentTypeCharset(header: String, mediaType: String, charset: String?) {
        let response = HTTPResponse(status: 200, headers: ["Content-Type": header], body: [], url: "http://x/")
        #expect(response.mediaType == mediaType)
        #expect(response.charset == charset)
    }

    @Test func headerBytesRoundTrip() {
        let raw: [UInt8] = Array(0x20...0xFF)
        #expect(HeaderBytes.encode(HeaderBytes.decode(raw)) == raw)
        #expect(HeaderBytes.encode("ünïcode ✓") == Array("ünïcode ✓".utf8))
    }
}
