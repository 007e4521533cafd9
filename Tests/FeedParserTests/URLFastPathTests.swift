@testable import ParserSupport
import Testing

/// `URLNormalizer.articleURL` returns a link unchanged, without the general path, when
/// `isCleanAbsoluteHTTP` says the general path would: on links that touch each of its
/// conditions, and on random links built from the pieces those conditions are about, the
/// general path must then give the link back byte for byte, and `articleURL` must always give
/// what the general path gives.
@Suite struct URLFastPathTests {
    @discardableResult
    static func check(_ link: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        var link = link
        let clean = link.withUTF8(URLNormalizer.isCleanAbsoluteHTTP)
        let general = URLNormalizer.resolvedArticleURL(link, base: "http://base.example/dir/")
        if clean { #expect(general == link, "\(link.debugDescription)", sourceLocation: sourceLocation) }
        #expect(URLNormalizer.articleURL(link, base: "http://base.example/dir/") == general, sourceLocation: sourceLocation)
        return clean
    }

    @Test(arguments: [
        ("http://example.com/a/b?x=1#f", true), ("https://example.com", true), ("https://example.com/", true),
        ("http://user:pw@example.com:8080/p", true), ("http://[::1]:80/x", true), ("http://ex.com/a%20b", true),
        ("http://ex.com/a.b/..c/.d", true), ("http://ex.com/?a=1&&b#x?y#z", true), ("http://ex.com/#/./x", true),
        ("http://ex.com?q=/../", true), ("http://ex.com/x?utmx=1&a_utm_b=2", true),
        ("HTTP://example.com/", false), ("http://Example.com/", false), ("http://ex%41.com/", false),
        ("http://ex.com/a/./b", false), ("http://ex.com/a/../b", false), ("http://ex.com/a/.", false),
        ("http://ex.com/a/..", false), ("http://ex.com/a/..?x", false), ("http://ex.com/.#x", false),
        ("http://ex.com/a b", false), (" http://ex.com/", false), ("http://ex.com/é", false),
        ("http://ex.com/%zz", false), ("http://ex.com/%4", false), ("http://ex.com/{x}", false),
        ("http://ex.com/?utm_source=x", false), ("http://ex.com/?a=1&UTM_x", false), ("http://ex.com/?fbclid=1", false),
        ("http://ex.com/?x=1&gclid", false), ("http:///x", false), ("http://", false), ("http://?x", false),
        ("ftp://ex.com/", false), ("//ex.com/x", false), ("/relative", false), ("http://ex.com/x\u{A0}", false),
    ])
    func cases(_ link: String, _ clean: Bool) {
        #expect(Self.check(link) == clean, "\(link.debugDescription)")
    }

    @Test func randomLinksAgree() {
        let heads = ["http://", "https://", "HTTP://", "http:", "", "//"]
        let pieces = ["a", "Ex", "example.com", ":80", "@", "/", ".", "..", "./", "../", "?", "#", "&", "=", "%41", "%",
                      "utm_a", "Fbclid", "gclid", " ", "é", "[", "]", "x.y", "_", "~", "|", "\""]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            var link = heads.randomElement(using: &rng)!
            for _ in 0..<Int.random(in: 0...10, using: &rng) { link += pieces.randomElement(using: &rng)! }
            Self.check(link)
        }
    }
}
