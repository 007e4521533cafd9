import FeedFetch
import FeedWatchTesting
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1)))
struct HTTPClientTests {
    @Test func plainGetReturnsBodyHeadersAndSendsUserAgent() async throws {
        let server = try LoopbackHTTPServer()
        let feed = try HTTPTestSupport.fixture("feed.xml")
        server.route("/feed.xml", .resource(feed, contentType: "application/rss+xml; charset=\"ISO-8859-1\"",
                                            etag: "\"v1\"", lastModified: "Mon, 02 Apr 2018 14:00:00 GMT",
                                            extraHeaders: [("Retry-After", "120")]))
        let response = try await HTTPTestSupport.withClient { try await $0.get(server.url("/feed.xml?x=1")) }
        #expect(response.status == 200)
        #expect(response.body == feed)
        #expect(response.url == server.url("/feed.xml?x=1"))
        #expect(response.redirects.isEmpty)
        #expect(response.mediaType == "application/rss+xml")
        #expect(response.charset == "ISO-8859-1")
        #expect(response.validators == HTTPValidators(etag: "\"v1\"", lastModified: "Mon, 02 Apr 2018 14:00:00 GMT"))
        #expect(response.retryAfter == "120")
        #expect(response.timing.total > .zero)
        let request = try #require(server.requests.first)
        #expect(request.method == "GET")
        #expect(request.target == "/feed.xml?x=1")
        #expect(request.header("User-Agent") == "feedwatch-tests/1.0")
        #expect(request.header("If-None-Match") == nil)
    }

    @Test func conditionalHeadersAreEchoedByteForByte() async throws {
        let server = try LoopbackHTTPServer()
        // A weak ETag with a non-ASCII byte (0xE9, sent raw as ISO-8859-1) and an odd date form.
        let etag = "W/\"caf\u{E9}-42\""
        let lastModified = "Sunday, 06-Nov-94 08:49:37 GMT"
        server.route("/feed", .resource(Array("<rss/>".utf8), etag: etag, lastModified: lastModified))
        try await HTTPTestSupport.withClient { client in
            let first = try await client.get(server.url("/feed"))
            #expect(first.status == 200)
            #expect(first.validators.etag == etag)
            let second = try await client.get(HTTPRequest(url: server.url("/feed"), validators: first.validators))
            #expect(second.status == 304)
            #expect(second.body.isEmpty)
            #expect(second.validators == first.validators)
        }
        let conditional = try #require(server.requests.last)
        #expect(conditional.header("If-None-Match") == etag)
        #expect(conditional.header("If-Modified-Since") == lastModified)
    }

    @Test func lastModifiedAloneGivesNotModified() async throws {
        let server = try LoopbackHTTPServer()
        let date = "Wed, 21 Oct 2015 07:28:00 GMT"
        server.route("/f", .resource(Array("x".utf8), lastModified: date))
        let response = try await HTTPTestSupport.withClient {
            try await $0.get(HTTPRequest(url: server.url("/f"), validators: HTTPValidators(lastModified: date)))
        }
        #expect(response.status == 304)
        #expect(server.requests.first?.header("If-None-Match") == nil)
    }

    @Test(arguments: [("gzip", "feed.xml.gz"), ("br", "feed.xml.br"), ("zstd", "feed.xml.zst")])
    func compressedBodiesAreDecoded(encoding: String, file: String) async throws {
        let server = try LoopbackHTTPServer()
        server.route("/feed", .resource(try HTTPTestSupport.fixture(file), contentEncoding: encoding))
        let response = try await HTTPTestSupport.withClient { try await $0.get(server.url("/feed")) }
        #expect(response.status == 200)
        #expect(response.body == (try HTTPTestSupport.fixture("feed.xml")))
        let offered = try #require(server.requests.first?.header("Accept-Encoding"))
        #expect(offered.contains(encoding))
    }

    @Test func extraHeadersAndBasicAuthAreSent() async throws {
        let server = try LoopbackHTTPServer()
        server.route("/private", .status(200))
        let request = HTTPRequest(url: server.url("/private"), headers: ["X-Api-Key": "k1", "Accept": "application/atom+xml"],
                                  basicAuth: HTTPBasicAuth(user: "reader", password: "s3cret"))
        _ = try await HTTPTestSupport.withClient { try await $0.get(request) }
        let seen = try #require(server.requests.first)
        #expect(seen.header("X-Api-Key") == "k1")
        #expect(seen.header("Accept") == "application/atom+xml")
        #expect(seen.header("Authorization") == "Basic " + Data("reader:s3cret".utf8).base64EncodedString())
    }

    @Test func headerValuesWithLineBreaksAreRefused() async throws {
        let server = try LoopbackHTTPServer()
        let error = await HTTPTestSupport.error {
            try await HTTPTestSupport.withClient {
                try await $0.get(HTTPRequest(url: server.url("/"), headers: ["X-Evil": "a\r\nHost: other"]))
            }
        }
        #expect(error?.category == .invalidRequest)
        #expect(server.requests.isEmpty)
    }

    @Test(arguments: [500, 503, 410, 429])
    func errorStatusesAreResponses(status: Int) async throws {
        let server = try LoopbackHTTPServer()
        server.route("/s", .status(status, headers: [("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")]))
        let response = try await HTTPTestSupport.withClient { try await $0.get(server.url("/s")) }
        #expect(response.status == status)
        #expect(!response.isSuccess)
        #expect(response.retryAfter == "Wed, 21 Oct 2015 07:28:00 GMT")
    }

    @Test func connectionResetIsANetworkError() async throws {
        let server = try LoopbackHTTPServer()
        server.route("/reset", .fixed(ScriptedResponse(body: .reset)))
        let error = await HTTPTestSupport.error { try await HTTPTestSupport.withClient { try await $0.get(server.url("/reset")) } }
        let failure = try #require(error)
        #expect(failure.category == .network)
        #expect(failure.curlCode == 56 || failure.curlCode == 52) // RECV_ERROR, or GOT_NOTHING
        #expect(failure.description.contains(server.url("/reset")))
    }

    @Test(arguments: ["ftp://127.0.0.1/feed", "file:///etc/passwd", "gopher://127.0.0.1/", "not a url", "http://"])
    func onlyHTTPURLsAreAccepted(url: String) async throws {
        let error = await HTTPTestSupport.error { try await HTTPTestSupport.withClient { try await $0.get(url) } }
        let failure = try #require(error)
        #expect(failure.category == .unsupportedScheme || failure.category == .invalidRequest)
        #expect(throws: HTTPClientError.self) { try HTTPClient.validate(url: url) }
    }

    @Test func secondRequestReusesTheConnection() async throws {
        let server = try LoopbackHTTPServer()
        server.route("/a", .status(200))
        let (first, second) = try await HTTPTestSupport.withClient { client in
            (try await client.get(server.url("/a")), try await client.get(server.url("/a")))
        }
        #expect(first.newConnections == 1)
        #expect(second.newConnections == 0)
        #expect(server.connectionsAccepted == 1)
        #expect(server.requests.map(\.connection) == [1, 1])
    }
}
