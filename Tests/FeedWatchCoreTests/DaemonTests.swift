@testable import FeedWatchCore
import FeedWatchTesting
import Foundation
import Logging
import SystemPackage
import Testing

/// The one wiring `run` and `once` share: scoped open and close, inbox drained in batches.
@Suite struct DaemonTests {
    private let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    @Test(.timeLimit(.minutes(1)))
    func theArchiveIsClosedWhetherTheBodyReturnsOrThrows() async throws {
        let dir = try TestPaths.makeTemporaryDirectory("fw-daemon")
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = Configuration.defaults(base: FilePath(dir.path))
        await #expect(throws: DaemonError.self) {
            try await Daemon.with(config, logger: logger) { _ in throw DaemonError("stop") }
        }
        // Opened again in the same process (the lock refuses a second open while one is held):
        // the writer lock was released both times.
        let files = try await Daemon.with(config, logger: logger) { await $0.worker.totals.files }
        #expect(files == 0)
        try await Daemon.with(config, logger: logger) { _ in }
    }

    @Test(.timeLimit(.minutes(1)))
    func drainingTakesEveryReadyFileInBatches() async throws {
        let dir = try TestPaths.makeTemporaryDirectory("fw-daemon")
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = Configuration.defaults(base: FilePath(dir.path))
        try Daemon.makeDirectories(config)
        let count = Daemon.maxBatch + 3
        for i in 0..<count {
            try "Title \(i)\n\nBody of article number \(i), long enough to be an article.\n"
                .write(toFile: config.inbox.path.appending("a\(i).txt").string, atomically: false, encoding: .utf8)
        }
        let totals = try await Daemon.with(config, logger: logger) { try await $0.drainInbox() }
        #expect(totals.files == count)
        #expect(totals.archived == count)
        #expect(try FileManager.default.contentsOfDirectory(atPath: config.inbox.path.string).isEmpty)
    }

    @Test func anInboxThatCannotBeMadeIsADaemonError() async throws {
        let dir = try TestPaths.makeTemporaryDirectory("fw-daemon")
        defer { try? FileManager.default.removeItem(at: dir) }
        var config = Configuration.defaults(base: FilePath(dir.path))
        try "x".write(toFile: dir.appendingPathComponent("file").path, atomically: false, encoding: .utf8)
        config.inbox.path = FilePath(dir.appendingPathComponent("file/inbox").path)
        await #expect(throws: DaemonError.self) { try await Daemon.with(config, logger: logger) { _ in } }
    }
}
