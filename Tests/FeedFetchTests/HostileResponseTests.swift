import FeedFetch
import FeedWatchTesting
import Testing

/// Messages a user can act on (issue 14, items 12 and 14).
@Suite(.timeLimit(.minutes(1)))
struct HostileResponseTests {
    /// curl says "Out of memory" for a header line over its 100 KB limit: say what it is.
    @Test func aHugeHeaderLineIsReportedAsSuch() async throws {
        let server = try LoopbackHTTPServer()
        server.route("/feed", Route { _ in
            ScriptedResponse(status: 200, headers: [("X-Padding", String(repeating: "a", count: 1 << 20))], body: .bytes(Array("x".utf8)))
        })
        let error = try #require(await HTTPTestSupport.error {
            try await HTTPTestSupport.withClient { try await $0.get(server.url("/feed")) }
        })
        #expect(error.category == .invalidResponse, "\(error)")
        #expect(error.description.contains("header line longer than curl's limit"), "\(error)")
        #expect(!error.description.lowercased().hasPrefix("out of memory"), "\(error)")
    }

    /// A password in the URL never reaches an error message (item 12).
    @Test func credentialsInTheURLAreRedactedFromErrors() async throws {
        let closed = try ClosedLoopbackPort()
        let url = "http://reader:s3cr3t@127.0.0.1:\(closed.port)/feed"
        let error = try #require(await HTTPTestSupport.error {
            try await HTTPTestSupport.withClient { try await $0.get(url) }
        })
        #expect(!error.description.contains("s3cr3t"), "\(error)")
        #expect(error.description.contains("http://***@127.0.0.1:\(closed.port)/feed"), "\(error)")
    }

    @Test func redactStripAndRestore() {
        let url = "https://user:pa%40ss@example.org:8443/feed?x=1"
        #expect(URLCredentials.redact(url) == "https://***@example.org:8443/feed?x=1")
        #expect(URLCredentials.strip(url) == "https://example.org:8443/feed?x=1")
        #expect(URLCredentials.restore(URLCredentials.redact(url), from: url) == url)
        #expect(URLCredentials.restore("https://***@other.example/feed", from: url) == "https://***@other.example/feed")
        #expect(URLCredentials.redact("https://example.org/a@b") == "https://example.org/a@b")
        #expect(URLCredentials.matches(saved: "https://***@example.org:8443/feed?x=1", configured: url))
    }
}
