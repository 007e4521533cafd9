import FeedFetch
@testable import FeedWatchCore
import FeedWatchTesting
import Foundation
import Logging
import Synchronization
import SystemPackage
import Testing

/// Time that jumps ahead whenever the poller sleeps with nothing in flight: hours of backoff
/// and `Retry-After` pass in milliseconds, and the test reads the schedule off this clock,
/// never off the wall.
final class VirtualClock: PollClock {
    static let start = Date(timeIntervalSince1970: 1_893_456_000) // 2030-01-01T00:00:00Z
    private let current = Mutex(VirtualClock.start)
    private let quiet = Mutex<(@Sendable () async -> Bool)?>(nil)

    func now() -> Date { current.withLock { $0 } }

    /// Until this says the poller is idle, time stands still (a request in flight takes no
    /// virtual time), so the schedule seen by the server is exact however slow the machine.
    func jumpOnlyWhen(_ condition: @escaping @Sendable () async -> Bool) { quiet.withLock { $0 = condition } }

    func sleep(until deadline: Date) async throws {
        if let condition = quiet.withLock({ $0 }) {
            while await !condition() { try await Task.sleep(for: .milliseconds(2)) }
        }
        try Task.checkCancellation()
        current.withLock { $0 = max($0, deadline) }
        await Task.yield()
    }
}

/// Virtual times at which a route was asked, read by the test afterwards.
final class RequestTimes: Sendable {
    private let times = Mutex<[Date]>([])
    func record(_ date: Date) { times.withLock { $0.append(date) } }
    var all: [Date] { times.withLock { $0 } }
}

/// A real poller over a real archive in a temporary directory, polling the loopback server.
struct PollHarness {
    let dir: URL
    let config: Configuration
    let clock = VirtualClock()
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    init() throws {
        dir = try TestPaths.makeTemporaryDirectory("fw-poll")
        config = Configuration.defaults(base: FilePath(dir.path))
    }

    func source(_ name: String, _ url: String, kind: SourceConfig.Kind = .auto, interval: Duration = .seconds(60),
                headers: [SourceConfig.Header] = []) -> SourceConfig {
        SourceConfig(name: name, url: url, kind: kind, interval: interval, headers: headers, basicAuth: nil)
    }

    /// One daemon lifetime: opens the archive, loads the saved state, runs `body`, closes.
    func session<T: Sendable>(_ sources: [SourceConfig], _ body: (Poller) async throws -> T) async throws -> T {
        try FileManager.default.createDirectory(atPath: config.stateDirectory.string, withIntermediateDirectories: true)
        let worker = IngestWorker(configuration: config, logger: logger)
        _ = try await worker.open()
        let file = SourceStateFile(stateDirectory: config.stateDirectory)
        let stored = Poller.loadState(file, logger: logger)
        let http = HTTPClientConfiguration(userAgent: "feedwatch-tests/1.0", connectTimeout: .seconds(5), timeout: .seconds(10))
        let result: Result<T, any Error>
        do {
            result = .success(try await withHTTPClient(configuration: http, logger: logger) { client in
                let poller = Poller(sources: sources, stored: stored, client: client, clock: clock, worker: worker,
                                    file: file, logger: logger)
                clock.jumpOnlyWhen { await poller.isIdle }
                return try await body(poller)
            })
        } catch {
            result = .failure(error)
        }
        await worker.close()
        return try result.get()
    }

    /// Runs the daemon loop until `condition` holds (at most 30 s of real time), then stops it.
    func runUntil(_ poller: Poller, _ condition: @escaping @Sendable () -> Bool) async throws -> Bool {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await poller.run() }
            let held = await eventually(timeout: .seconds(30)) { condition() }
            group.cancelAll()
            try await group.waitForAll()
            return held
        }
    }

    var savedState: [String: StoredSource] {
        get throws { try SourceStateFile(stateDirectory: config.stateDirectory).load() }
    }

    func records() throws -> [[String: Any]] {
        guard let data = FileManager.default.contents(atPath: config.archive.path.string) else { return [] }
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    func titles() throws -> [String] { try records().compactMap { $0["title"] as? String } }

    func remove() { try? FileManager.default.removeItem(at: dir) }
}

/// An RSS 2.0 feed with one item per title (guid = title), newest first as feeds are.
func rssFeed(_ titles: [String], channel: String = "Loopback news") -> [UInt8] {
    let items = titles.map { title in
        "<item><title>\(title)</title><guid isPermaLink=\"false\">\(title)</guid><description>Body of \(title).</description></item>"
    }.joined()
    return Array("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>\(channel)</title><link>http://127.0.0.1/</link>\(items)</channel></rss>".utf8)
}

/// The headers that make a request conditional, as the server saw them.
func conditionals(_ request: RecordedRequest) -> [String?] {
    [request.header("If-None-Match"), request.header("If-Modified-Since")]
}
