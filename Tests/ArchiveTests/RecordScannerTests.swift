@testable import Archive
import FeedModel
import Foundation
import Testing

/// The rebuild scanner must read back exactly what the record writer wrote, escapes included.
@Suite struct RecordScannerTests {
    private func scan(_ line: String) -> ScannedRecord? {
        Array(line.utf8).withUnsafeBytes { RecordScanner.scan($0) }
    }

    @Test(arguments: ["plain", "quote \" and \\ backslash", "tab\there\nnewline", "ctrl \u{1}\u{1f}", "é ☃ 𝄞 emoji 🎉"])
    func identityAndIDSurviveTheRoundTrip(name: String) throws {
        let article = Article(title: "T \(name)", text: "Body \(name)", url: "https://x.test/\(name)", guid: "g \(name)")
        let source = ArticleSource(kind: .feed, name: name)
        let line = ArticleRecord(seq: 12, article: article, source: source,
                                 fetchedAt: Timestamp(secondsSince1970: 0)).jsonLine()
        let r = try #require(scan(String(line.dropLast())))
        #expect(r.seq == 12)
        #expect(r.digest.idString == article.id)
        #expect(r.identity == IdentityKey.of(sourceName: name, guid: "g \(name)", url: nil))
    }

    @Test func escapedFormsDecodeToTheSameIdentity() throws {
        let id = Article(title: "a").id
        let line = #"{"seq":1,"id":"\#(id)","source":{"type":"feed","name":"caf\u00e9 \ud834\udd1e"},"guid":"x\/y"}"#
        let r = try #require(scan(line))
        #expect(r.identity == IdentityKey.of(sourceName: "café 𝄞", guid: "x/y", url: nil))
    }

    @Test func escapedKeysAreTheKeysTheyDecodeTo() throws {
        let id = Article(title: "a").id
        let line = #"{"s\u0065q":7,"i\u0064":"\#(id)","source":{"n\u0061me":"s"},"gu\u0069d":"g","t\"x":"\"skipped\" \u00e9"}"#
        let r = try #require(scan(line))
        #expect(r.seq == 7)
        #expect(r.identity == IdentityKey.of(sourceName: "s", guid: "g", url: nil))
    }

    @Test func urlIsTheIdentityWithoutGUIDAndNothingWithoutEither() throws {
        let id = Article(title: "a").id
        let byURL = try #require(scan(#"{"seq":1,"id":"\#(id)","url":"u","source":{"name":"s"}}"#))
        #expect(byURL.identity == IdentityKey.of(sourceName: "s", guid: nil, url: "u"))
        let none = try #require(scan(#"{"seq":1,"id":"\#(id)","source":{"name":"s"},"tags":["a",{"b":[1,-2.5e3,true,null]}]}"#))
        #expect(none.identity == nil)
    }

    @Test(arguments: [#"{"seq":1,"id":"sha256:00"}"#, #"{"seq":1}"#, #"{"seq":1.5,"id":"ID"}"#,
                      #"{"seq":1,"id":"ID","title":"bad \x"}"#, #"{"seq":1,"id":"ID"} x"#, #"{"seq":1,"id":"ID""#,
                      #"{"seq":1,"id":"ID","t":"\ud800"}"#, "{\"seq\":1,\"id\":\"ID\",\"t\":\"raw\u{0}\"}", "\u{0}\u{0}{}",
                      #"{"seq":1,"id":"ID","n":tru}"#, #"{"seq":1,"id":"ID",}"#, #"{"seq":0,"id":"ID"}"#])
    func invalidLinesAreRejected(template: String) {
        let line = template.replacingOccurrences(of: "\"ID\"", with: "\"\(Article(title: "a").id)\"")
        #expect(scan(line) == nil)
    }
}
