import FeedModel
import ParserSupport
import FeedWatchTesting
import Testing

@Suite struct URLNormalizerTests {
    /// RFC 3986 §5.4.1 and §5.4.2, base `http://a/b/c/d;p?q`.
    static let rfcExamples: [(String, String)] = [
        ("g:h", "g:h"), ("g", "http://a/b/c/g"), ("./g", "http://a/b/c/g"), ("g/", "http://a/b/c/g/"),
        ("/g", "http://a/g"), ("//g", "http://g"), ("?y", "http://a/b/c/d;p?y"), ("g?y", "http://a/b/c/g?y"),
        ("#s", "http://a/b/c/d;p?q#s"), ("g#s", "http://a/b/c/g#s"), ("g?y#s", "http://a/b/c/g?y#s"),
        (";x", "http://a/b/c/;x"), ("g;x", "http://a/b/c/g;x"), ("g;x?y#s", "http://a/b/c/g;x?y#s"),
        ("", "http://a/b/c/d;p?q"), (".", "http://a/b/c/"), ("./", "http://a/b/c/"), ("..", "http://a/b/"),
        ("../", "http://a/b/"), ("../g", "http://a/b/g"), ("../..", "http://a/"), ("../../", "http://a/"),
        ("../../g", "http://a/g"),
        ("../../../g", "http://a/g"), ("../../../../g", "http://a/g"), ("/./g", "http://a/g"),
        ("/../g", "http://a/g"), ("g.", "http://a/b/c/g."), (".g", "http://a/b/c/.g"), ("g..", "http://a/b/c/g.."),
        ("..g", "http://a/b/c/..g"), ("./../g", "http://a/b/g"), ("./g/.", "http://a/b/c/g/"),
        ("g/./h", "http://a/b/c/g/h"), ("g/../h", "http://a/b/c/h"), ("g;x=1/./y", "http://a/b/c/g;x=1/y"),
        ("g;x=1/../y", "http://a/b/c/y"), ("g?y/./x", "http://a/b/c/g?y/./x"), ("g?y/../x", "http://a/b/c/g?y/../x"),
        ("g#s/./x", "http://a/b/c/g#s/./x"), ("g#s/../x", "http://a/b/c/g#s/../x"), ("http:g", "http:g"),
    ]

    @Test(arguments: rfcExamples)
    func rfc3986Resolution(_ reference: String, _ expected: String) {
        #expect(URLNormalizer.resolve(reference, against: "http://a/b/c/d;p?q") == expected)
    }

    @Test func resolveWithoutBaseKeepsTheReference() {
        #expect(URLNormalizer.resolve("../x", against: nil) == "../x")
        #expect(URLNormalizer.resolve("/x", against: "") == "/x")
    }

    @Test func xmlBaseChain() {
        let outer = URLNormalizer.resolve("sub/", against: "http://example.com/feed/")
        let inner = URLNormalizer.resolve("../other/", against: outer)
        #expect(URLNormalizer.resolve("item.html", against: inner) == "http://example.com/feed/other/item.html")
    }

    static let articleCases: [(String, String?, String?)] = [
        ("https://example.com/a?utm_source=rss&id=7&utm_medium=feed", nil, "https://example.com/a?id=7"),
        ("https://example.com/a?utm_source=rss&utm_campaign=x", nil, "https://example.com/a"),
        ("https://example.com/a?fbclid=abc#top", nil, "https://example.com/a#top"),
        ("https://example.com/a?b=2&gclid=x&a=1", nil, "https://example.com/a?b=2&a=1"),
        ("https://example.com/a?UTM_Source=x&utmost=1", nil, "https://example.com/a?utmost=1"),
        ("https://example.com/a?q=1&&r=2", nil, "https://example.com/a?q=1&&r=2"),
        ("  https://example.com/a b\n", nil, "https://example.com/a%20b"),
        ("https://example.com/café", nil, "https://example.com/caf%C3%A9"),
        ("https://example.com/100%", nil, "https://example.com/100%25"),
        ("https://example.com/x%2Fy", nil, "https://example.com/x%2Fy"),
        ("HTTP://Example.COM/Path", nil, "http://example.com/Path"),
        ("http://user:Pw@Example.com:8080/x", nil, "http://user:Pw@example.com:8080/x"),
        ("http://[2001:DB8::1]:8080/x", nil, "http://[2001:db8::1]:8080/x"),
        ("http://bücher.de/straße", nil, "http://xn--bcher-kva.de/stra%C3%9Fe"),
        ("https://www.MÜNCHEN.example/", nil, "https://www.xn--mnchen-3ya.example/"),
        ("http://例え.テスト/", nil, "http://xn--r8jz45g.xn--zckzah/"),
        ("/relative/link", "http://example.com/feed.xml", "http://example.com/relative/link"),
        ("entry.html", "https://example.com/blog/feed/", "https://example.com/blog/feed/entry.html"),
        ("//cdn.example.org/a", "https://example.com/", "https://cdn.example.org/a"),
        ("?page=2&utm_term=x", "https://example.com/list?page=1", "https://example.com/list?page=2"),
        ("/relative/link", nil, nil),
        ("mailto:someone@example.com", "http://example.com/", nil),
        ("javascript:void(0)", "http://example.com/", nil),
        ("ftp://example.com/file", nil, nil),
        ("feed:https://example.com/rss", nil, nil),
        ("http:///nohost", nil, nil),
        ("", "http://example.com/", nil),
        ("   ", "http://example.com/", nil),
        ("x", "not a url", nil),
    ]

    @Test(arguments: articleCases)
    func articleURL(_ reference: String, _ base: String?, _ expected: String?) {
        #expect(URLNormalizer.articleURL(reference, base: base) == expected)
    }
}

extension URLNormalizerTests {
    /// Random references against random bases: no crash, and every result is an absolute
    /// http(s) URL with nothing a URL cannot carry literally and no tracking parameter left.
    @Test func randomReferencesGiveCleanAbsoluteURLsOrNil() {
        var rng = SeededRandom(seed: 0x0A11)
        let pieces = ["http:", "https:", "//", "/", "../", "./", "?", "#", "&", "=", "utm_source=x", "fbclid=1", "a",
                      "é", " ", "%", "%41", "host.example", "mailto:", ":8080", "@", "[::1]", ".", ".."]
        let bases = [nil, "http://a/b/c/d;p?q", "https://example.com", "ftp://x/y", "relative/base"]
        for _ in 0..<5_000 {
            let ref = (0..<Int.random(in: 0...8, using: &rng)).map { _ in pieces.randomElement(using: &rng) ?? "" }.joined()
            let base = bases.randomElement(using: &rng) ?? nil
            guard let url = URLNormalizer.articleURL(ref, base: base) else { continue }
            #expect(url.hasPrefix("http://") || url.hasPrefix("https://"), "\(ref) against \(base ?? "nil") → \(url)")
            #expect(!url.utf8.contains { $0 <= 0x20 || $0 >= 0x7F }, "\(url)")
            let query = url.split(separator: "#", maxSplits: 1)[0].split(separator: "?", maxSplits: 1).dropFirst().first ?? ""
            let keys = query.split(separator: "&").map { $0.prefix { $0 != "=" } }
            #expect(!keys.contains { $0.hasPrefix("utm_") || $0 == "fbclid" }, "\(url)")
            _ = URLNormalizer.resolve(ref, against: base)
        }
    }
}
