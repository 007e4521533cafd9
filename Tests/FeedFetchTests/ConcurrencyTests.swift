import FeedFetch
import FeedWatchTesting
import Foundation
import Testing

/// Counts requests being answered at once across several servers.
/// `@unchecked Sendable`: `current` and `maximum` are only touched with `lock` held.
private final class InFlightProbe: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0
    private var peak = 0

    var maximum: Int { lock.withLock { peak } }

    /// Runs on a server connection thread: blocking there is what a slow server does.
    func hold(for seconds: TimeInterval) {
        lock.withLock { current += 1; peak = max(peak, current) }
        Thread.sleep(forTimeInterval: seconds)
        lock.withLock { current -= 1 }
    }
}

@Suite(.timeLimit(.minutes(1)))
struct ConcurrencyTests {
    @Test func twoHundredConcurrentRequestsAllComplete() async throws {
        let server = try LoopbackHTTPServer()
        server.route("/feed", .resource(try HTTPTestSupport.fixture("feed.xml")))
        let configuration = HTTPTestSupport.configuration(maxConcurrentRequests: 64, maxConnectionsPerHost: 32)
        let statuses = try await HTTPTestSupport.withClient(configuration) { client in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<200 {
                    group.addTask { try await client.get(server.url("/feed?n=\(i)")).status }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
        }
        #expect(statuses.count == 200)
        #expect(statuses.allSatisfy { $0 == 200 })
        #expect(Set(server.requests.map(\.target)).count == 200)
        #expect(server.maxSimultaneousConnections <= 32)
    }

    @Test func thePerHostBoundHolds() async throws {
        let server = try LoopbackHTTPServer()
        server.route("/slow", .resource(Array("<rss/>".utf8), delay: .milliseconds(30)))
        let configuration = HTTPTestSupport.configuration(maxConcurrentRequests: 16, maxConnectionsPerHost: 2)
        try await HTTPTestSupport.withClient(configuration) { client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 { group.addTask { _ = try await client.get(server.url("/slow")) } }
                try await group.waitForAll()
            }
        }
        #expect(server.requests.count == 20)
        #expect(server.maxSimultaneousRequests == 2)
        #expect(server.maxSimultaneousConnections <= 2)
        #expect(server.connectionsAccepted == 2)
    }

    @Test func theGlobalBoundHoldsAcrossHosts() async throws {
        let probe = InFlightProbe()
        let servers = try (0..<3).map { _ in try LoopbackHTTPServer() }
        for server in servers {
            server.route("/slow", Route { _ in
                probe.hold(for: 0.03)
                return .text("x")
            })
        }
        let configuration = HTTPTestSupport.configuration(maxConcurrentRequests: 3, maxConnectionsPerHost: 3)
        try await HTTPTestSupport.withClient(configuration) { client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<18 {
                    let server = servers[i % 3]
                    group.addTask { _ = try await client.get(server.url("/slow")) }
                }
                try await group.waitForAll()
            }
        }
        #expect(servers.allSatisfy { $0.requests.count == 6 })
        #expect(probe.maximum == 3)
    }

    @Test func cancellingTheCallerAbortsTheTransfer() async throws {
        let server = try LoopbackHTTPServer()
        server.route("/drip", .fixed(ScriptedResponse(body: .drip(Array(repeating: 0x41, count: 60), interval: .seconds(1)))))
        server.route("/fast", .status(200))
        let clock = ContinuousClock()
        try await HTTPTestSupport.withClient { client in
            let task = Task { try await client.get(server.url("/drip")) }
            while server.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
            let start = clock.now
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
            // Aborted at once, not after the drip's 60 s.
            #expect(clock.now - start < .seconds(30))
            // The client keeps working after a cancellation.
            #expect(try await client.get(server.url("/fast")).status == 200)
        }
    }

    @Test func aTaskCancelledBeforeTheRequestNeverReachesTheServer() async throws {
        let server = try LoopbackHTTPServer()
        server.route("/x", .status(200))
        try await HTTPTestSupport.withClient { client in
            let task = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await client.get(server.url("/x"))
            }
            await #expect(throws: CancellationError.self) { try await task.value }
        }
        #expect(server.requests.isEmpty)
    }

    @Test func cancellingQueuedRequestsLeavesTheOthersRunning() async throws {
        let server = try LoopbackHTTPServer()
        // Long enough that the first is still running when the queued one is cancelled, even on a busy machine.
        server.route("/slow", .resource(Array("x".utf8), delay: .seconds(8)))
        let configuration = HTTPTestSupport.configuration(maxConcurrentRequests: 1, maxConnectionsPerHost: 1)
        try await HTTPTestSupport.withClient(configuration) { client in
            let first = Task { try await client.get(server.url("/slow?1")) }
            while server.requests.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
            let queued = Task { try await client.get(server.url("/slow?2")) }
            try await Task.sleep(for: .milliseconds(20))
            queued.cancel()
            await #expect(throws: CancellationError.self) { try await queued.value }
            #expect(try await first.value.status == 200)
        }
        #expect(server.requests.map(\.target) == ["/slow?1"])
    }
}
