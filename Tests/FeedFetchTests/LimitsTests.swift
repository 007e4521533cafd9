import FeedFetch
import FeedWatchTesting
import Testing

@Suite(.timeLimit(.minutes(1)))
struct LimitsTests {
    @Test func aClosedPortIsRefusedAtOnce() async throws {
        let closed = try ClosedLoopbackPort()
        let error = await HTTPTestSupport.error {
            try await HTTPTestSupport.withClient { try await $0.get(closed.url("/feed")) }
        }
        #expect(error?.category == .network)
        // 7 (could not connect), not 28 (timed out): refused at once.
        #expect(error?.curlCode == 7)
    }

    @Test func anUnansweredConnectTimesOut() async throws {
        let listener = try UnresponsiveListener()
        var configuration = HTTPTestSupport.configuration(timeout: .seconds(60))
        configuration.connectTimeout = .milliseconds(300)
        let clock = ContinuousClock()
        let start = clock.now
        let error = await HTTPTestSupport.error {
            try await HTTPTestSupport.withClient(configuration) { try await $0.get(listener.url()) }
        }
        #expect(error?.category == .timeout)
        #expect(error?.curlCode == 28)
        // The 300 ms connect limit, not the 60 s total timeout (the listener never answers).
        // The bound sits well below 60 s but far above 300 ms: this suite runs beside the
        // process tests, and on a loaded 2-core machine a client's start and the task's
        // resumption have taken 22 s (seen in CI runs under load).
        #expect(clock.now - start < .seconds(45))
    }

    @Test func aDrippingServerHitsTheTotalTimeout() async throws {
        let server = try LoopbackHTTPServer()
        server.route("/drip", .fixed(ScriptedResponse(body: .drip(Array(repeating: 0x41, count: 100), interval: .seconds(1)))))
        let clock = ContinuousClock()
        let start = clock.now
        let error = await HTTPTestSupport.error {
            try await HTTPTestSupport.withClient(HTTPTestSupport.configuration(timeout: .milliseconds(1500))) {
                try await $0.get(server.url("/drip"))
            }
        }
        #expect(error?.category == .timeout)
        // The whole drip takes 100 s; cut after 1.5 s it has sent a byte or two.
        #expect(clock.now - start < .seconds(30))
        #expect(server.bodyBytesSent(to: "/drip") < 5)
    }

    @Test func aDrippingServerHitsTheLowSpeedLimit() async throws {
        let server = try LoopbackHTTPServer()
        server.route("/drip", .fixed(ScriptedResponse(body: .drip(Array(repeating: 0x41, count: 100), interval: .seconds(1)))))
        var configuration = HTTPTestSupport.configuration(timeout: .seconds(30))
        configuration.lowSpeedLimit = 100
        configuration.lowSpeedTime = .seconds(2)
        let error = await HTTPTestSupport.error {
            try await HTTPTestSupport.withClient(configuration) { try await $0.get(server.url("/drip")) }
        }
        #expect(error?.category == .timeout)
        #expect(error?.description.contains("slow") == true)
        // Cut by the 2 s low-speed window, long before the 30 s total timeout (~30 bytes).
        #expect(server.bodyBytesSent(to: "/drip") < 20)
    }

    @Test func anEndlessBodyIsCutAtTheCap() async throws {
        let server = try LoopbackHTTPServer()
        server.route("/endless", .fixed(ScriptedResponse(body: .endless(chunk: Array(repeating: 0x61, count: 8192)))))
        let limit = 256 * 1024
        let error = await HTTPTestSupport.error {
            try await HTTPTestSupport.withClient(HTTPTestSupport.configuration(maxBodyBytes: limit)) {
                try await $0.get(server.url("/endless"))
            }
        }
        let failure = try #require(error)
        #expect(failure.category == .bodyTooLarge)
        #expect(failure.description.contains("body exceeds \(limit) bytes"))
        // Once the client hangs up the server's writes fail: a few socket buffers past the cap, not more.
        server.stop()
        #expect(server.bodyBytesSent(to: "/endless") < limit + 16 << 20)
    }

    @Test func aDeclaredLengthOverTheCapFailsBeforeTheBody() async throws {
        let server = try LoopbackHTTPServer()
        server.route("/big", .resource(Array(repeating: 0x62, count: 300_000)))
        let error = await HTTPTestSupport.error {
            try await HTTPTestSupport.withClient(HTTPTestSupport.configuration(maxBodyBytes: 100_000)) {
                try await $0.get(server.url("/big"))
            }
        }
        #expect(error?.category == .bodyTooLarge)
    }

    @Test func aGzipBombIsStoppedOnDecodedBytes() async throws {
        let server = try LoopbackHTTPServer()
        // 65 KB on the wire, 64 MiB decoded; the cap is 1 MiB.
        server.route("/bomb", .resource(try HTTPTestSupport.fixture("bomb-64MiB-zeros.gz"), contentEncoding: "gzip"))
        let error = await HTTPTestSupport.error {
            try await HTTPTestSupport.withClient { try await $0.get(server.url("/bomb")) }
        }
        #expect(error?.category == .bodyTooLarge)
        #expect(error?.description.contains("body exceeds \(1 << 20) bytes") == true)
    }

    @Test func aBodyExactlyAtTheCapIsAccepted() async throws {
        let server = try LoopbackHTTPServer()
        let body = Array(repeating: UInt8(0x63), count: 4096)
        server.route("/exact", .resource(body))
        let response = try await HTTPTestSupport.withClient(HTTPTestSupport.configuration(maxBodyBytes: 4096)) {
            try await $0.get(server.url("/exact"))
        }
        #expect(response.body == body)
    }
}
