import FeedFetch
import FeedWatchTesting
import Testing

@Suite(.timeLimit(.minutes(1)))
struct RedirectTests {
    /// `/hop/0` → `/hop/1` → … → `/hop/<count>` (200), with the given statuses in turn.
    private func chain(_ server: LoopbackHTTPServer, statuses: [Int]) {
        for (index, status) in statuses.enumerated() {
            // Relative and absolute Locations alternate: both must resolve the same way.
            let target = index.isMultiple(of: 2) ? "/hop/\(index + 1)" : server.url("/hop/\(index + 1)")
            server.route("/hop/\(index)", .redirect(status, to: target))
        }
        server.route("/hop/\(statuses.count)", .resource(Array("<rss/>".utf8)))
    }

    @Test func fiveRedirectsAreFollowedAndReportedWithTheirStatuses() async throws {
        let server = try LoopbackHTTPServer()
        let statuses = [301, 302, 308, 307, 303]
        chain(server, statuses: statuses)
        let response = try await HTTPTestSupport.withClient { try await $0.get(server.url("/hop/0")) }
        #expect(response.status == 200)
        #expect(response.url == server.url("/hop/5"))
        #expect(response.redirects.map(\.status) == statuses)
        #expect(response.redirects.map(\.url) == (0..<5).map { server.url("/hop/\($0)") })
        #expect(response.redirects.map(\.location) == (1...5).map { server.url("/hop/\($0)") })
        #expect(response.redirects.map(\.isPermanent) == [true, false, true, false, false])
        // Only the last response's headers are reported.
        #expect(response.headers["Location"] == nil)
        #expect(response.headers["Content-Type"] != nil)
    }

    @Test func sixRedirectsFail() async throws {
        let server = try LoopbackHTTPServer()
        chain(server, statuses: Array(repeating: 301, count: 6))
        let error = await HTTPTestSupport.error { try await HTTPTestSupport.withClient { try await $0.get(server.url("/hop/0")) } }
        #expect(error?.category == .tooManyRedirects)
        #expect(error?.curlCode == 47)
        #expect(server.requests(to: "/hop/6").isEmpty)
    }

    @Test func aRedirectLoopIsNamedAsSuch() async throws {
        let server = try LoopbackHTTPServer()
        server.route("/a", .redirect(302, to: "/b"))
        server.route("/b", .redirect(301, to: "/a"))
        let error = await HTTPTestSupport.error { try await HTTPTestSupport.withClient { try await $0.get(server.url("/a")) } }
        let failure = try #require(error)
        #expect(failure.category == .redirectLoop)
        #expect(failure.description.contains("\(server.url("/a")) → \(server.url("/b")) → \(server.url("/a"))"))
        #expect(server.requests.count <= 6)
    }

    @Test(arguments: ["file:///etc/passwd", "ftp://127.0.0.1/feed.xml", "gopher://127.0.0.1/1"])
    func redirectsToOtherSchemesAreRefused(location: String) async throws {
        let server = try LoopbackHTTPServer()
        server.route("/feed", .redirect(301, to: location))
        let error = await HTTPTestSupport.error { try await HTTPTestSupport.withClient { try await $0.get(server.url("/feed")) } }
        let failure = try #require(error)
        #expect(failure.category == .unsupportedScheme)
        #expect(failure.curlCode == 1)
    }

    @Test func credentialsAreNotForwardedToAnotherHost() async throws {
        let origin = try LoopbackHTTPServer()
        let other = try LoopbackHTTPServer()
        origin.route("/feed", .redirect(302, to: other.url("/feed")))
        other.route("/feed", .status(200))
        let request = HTTPRequest(url: origin.url("/feed"), basicAuth: HTTPBasicAuth(user: "u", password: "p"))
        let response = try await HTTPTestSupport.withClient { try await $0.get(request) }
        #expect(response.status == 200)
        #expect(origin.requests.first?.header("Authorization") != nil)
        #expect(other.requests.first?.header("Authorization") == nil)
    }
}
