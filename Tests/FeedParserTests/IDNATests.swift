@testable import FeedParser
@testable import ParserSupport
import FeedWatchTesting
import Foundation
import Testing

/// `IDNAHost` (libidn2) against Python's `idna.encode(host, uts46=True)`:
/// Tests/Fixtures/idna/hosts.json, written by scripts/gen-idna-fixture.py.
@Suite struct IDNATests {
    struct Row: CustomTestStringConvertible, Sendable {
        var host: String
        /// What Python gives; `nil` where it raises.
        var ascii: String?
        var testDescription: String {
            let escaped = host.unicodeScalars.map { $0.isASCII ? String($0) : "\\u{\(String($0.value, radix: 16))}" }
            return "\(escaped.joined()) → \(ascii ?? "raises")"
        }
    }

    static let fixture: [Row] = {
        let url = TestPaths.fixtures.appendingPathComponent("idna/hosts.json")
        guard let data = try? Data(contentsOf: url),
              let doc = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let hosts = doc["hosts"] as? [[String: Any]]
        else { return [] }
        return hosts.compactMap { entry in
            guard let host = entry["host"] as? String else { return nil }
            return Row(host: host, ascii: entry["ascii"] as? String)
        }
    }()

    @Test func fixtureIsPresent() {
        #expect(Self.fixture.count >= 200)
        #expect(Self.fixture.contains { $0.ascii == nil } && Self.fixture.contains { $0.ascii != nil })
    }

    /// Every host as raw UTF-8 and as `URIReference(sanitizing:)` leaves it in a URL (non-ASCII
    /// bytes percent-encoded). Where Python raises, `ascii` is `nil`; where it gives a name, so do
    /// we. Pure-ASCII hosts stay on the fast path (`nil`: kept as written), and what
    /// `URLNormalizer` then makes of them, lowercased, is what Python gives.
    @Test(arguments: fixture)
    func agreesWithPythonIDNA(_ row: Row) {
        let isASCII = row.host.utf8.allSatisfy { $0 < 0x80 }
        for form in [Array(row.host.utf8), Self.percentEncoded(row.host)] {
            let ours = IDNAHost.ascii(form[...]).map { String(decoding: $0, as: UTF8.self) }
            if isASCII { #expect(ours == nil, "pure ASCII must not be converted") }
            guard let expected = row.ascii else {
                #expect(ours == nil)
                continue
            }
            #expect((ours ?? (isASCII ? String(decoding: form.lowercasedASCII, as: UTF8.self) : nil)) == expected)
        }
    }

    static func percentEncoded(_ host: String) -> [UInt8] {
        let hex = Array("0123456789ABCDEF".utf8)
        return host.utf8.flatMap { $0 < 0x80 ? [$0] : [UInt8(ascii: "%"), hex[Int($0 >> 4)], hex[Int($0 & 0x0F)]] }
    }

    @Test func percentEncodedASCIIIsDecodedBeforeConversion() {
        #expect(IDNAHost.ascii(Array("b%C3%BC%63her.de".utf8)[...]) == Array("xn--bcher-kva.de".utf8))
        #expect(IDNAHost.ascii(Array("%C3%BC%2Ede".utf8)[...]) == Array("xn--tda.de".utf8))
        // Stray or truncated escapes, escaped ASCII only, escaped bytes that are not UTF-8.
        #expect(IDNAHost.ascii(Array("%C3%BC%4".utf8)[...]) == nil)
        #expect(IDNAHost.ascii(Array("ex%41mple.com".utf8)[...]) == nil)
        #expect(IDNAHost.ascii(Array("%C3%28.de".utf8)[...]) == nil)
        #expect(IDNAHost.ascii(Array("%C3%BC%00.de".utf8)[...]) == nil)
    }

    static let urls: [(String, String?)] = [
        ("http://ＢＵＣＨＥＲ.de/x", "http://bucher.de/x"),
        ("http://bücher。de/", "http://xn--bcher-kva.de/"),
        ("http://bücher．de/", "http://xn--bcher-kva.de/"),
        ("http://bücher｡de/", "http://xn--bcher-kva.de/"),
        ("https://ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ/a?utm_source=x", "https://www.example.com/a"),
        ("https://user@STRASSE.de:8443/p", "https://user@strasse.de:8443/p"),
        ("https://user@Straße.de:8443/p", "https://user@xn--strae-oqa.de:8443/p"),
        ("http://ΒΌΛΟΣ.com/", "http://xn--nxasmq6b.com/"),
        ("http://b%C3%BCcher.de/", "http://xn--bcher-kva.de/"),
        ("http://ex%41mple.com/", "http://ex%41mple.com/"),
        // Not a valid name: the host stays as written (percent-encoded, then lowercased).
        ("http://😀.com/", "http://%f0%9f%98%80.com/"),
        ("http://-bücher.de/", "http://-b%c3%bccher.de/"),
    ]

    @Test(arguments: urls)
    func articleURL(_ reference: String, _ expected: String?) {
        #expect(URLNormalizer.articleURL(reference, base: nil) == expected)
    }
}
