import Archive
import DropFolder
import FeedFetch
import Foundation
import Logging
import SystemPackage

/// The daemon's wiring, once: the inbox directories, the archive behind its `IngestWorker`, the
/// URL sources' `Poller` over the HTTP client, and inbox files ingested in batches. `run`
/// (`DaemonService`: watch, notify, reload) and `once` (`OncePass`: one pass) both go through it.
///
/// Scoped like `withHTTPClient`: `Daemon.with` opens, runs the body and closes the archive
/// whether the body returns or throws, so there is no open/close pair to keep in step.
struct Daemon: Sendable {
    /// Files ingested together: one archive append and one fsync each.
    static let maxBatch = 256

    let configuration: Configuration
    let worker: IngestWorker
    /// The archive as it was opened (for the ready line).
    let opened: ArchiveStats
    let logger: Logger
    var metrics: FeedWatchMetrics { worker.metrics }

    /// Makes the directories and opens the archive (its locks, torn-tail repair, index) and takes
    /// the inbox's lock, runs `body`,
    /// then closes the archive. Throws a `DaemonError` saying what could not be made or opened.
    static func with<Result>(
        _ configuration: Configuration, logger: Logger, _ body: (Daemon) async throws -> Result
    ) async throws -> Result {
        try makeDirectories(configuration)
        let worker = IngestWorker(configuration: configuration, logger: logger)
        let opened: ArchiveStats
        do {
            opened = try await worker.open()
        } catch {
            await worker.close()
            // A lock held (the archive's or the inbox's) and damage mid-archive already say what
            // to do, naming the file; anything else is put in the archive's context.
            throw DaemonError(error.isInUse || error.isDamaged ? error.message
                              : "cannot open the archive \(configuration.archive.path): \(error.message)")
        }
        let daemon = Daemon(configuration: configuration, worker: worker, opened: opened, logger: logger)
        let result: Swift.Result<Result, any Error>
        do {
            result = .success(try await body(daemon))
        } catch {
            result = .failure(error)
        }
        await worker.close()
        return try result.get()
    }

    /// The inbox and its siblings; the archive layer makes its own directories.
    static func makeDirectories(_ config: Configuration) throws(DaemonError) {
        for dir in [config.inbox.path, config.inbox.processed, config.inbox.failed, config.stateDirectory] {
            do {
                try FileManager.default.createDirectory(atPath: dir.string, withIntermediateDirectories: true)
            } catch {
                throw DaemonError("cannot create \(dir): \(ConfigLoader.reason(error))")
            }
        }
    }

    /// Runs `body` with the URL sources' poller: their saved state loaded (a damaged file is
    /// logged, and the sources start afresh), the HTTP client alive for the call.
    func withPoller<Result>(_ body: (Poller) async throws -> Result) async throws -> Result {
        let file = SourceStateFile(stateDirectory: configuration.stateDirectory)
        let stored = Poller.loadState(file, logger: logger)
        return try await withHTTPClient(configuration: HTTPClientConfiguration(configuration.http), logger: logger) { client in
            let fullText = FullTextStage(files: FullTextLedgerFiles(stateDirectory: configuration.stateDirectory),
                                         worker: worker, logger: logger)
            let poller = Poller(sources: configuration.sources, stored: stored, client: client, clock: WallClock(),
                                worker: worker, file: file, logger: logger, fullText: fullText)
            return try await body(poller)
        }
    }

    /// Starts watching the inbox: the files there now, then each one as it becomes ready.
    func watchInbox() throws(DaemonError) -> AsyncStream<FilePath> {
        do {
            return try DropFolder(directory: configuration.inbox.path, logger: logger).watch()
        } catch {
            throw DaemonError("cannot watch the inbox \(configuration.inbox.path): \(error)")
        }
    }

    /// One batch of inbox files: read, parse, one append and fsync, then the moves.
    func ingest(_ files: [FilePath]) async throws(ArchiveError) -> IngestReport {
        try await worker.ingest(files)
    }

    /// Every file ready in the inbox now, in batches of `maxBatch`; the totals since opening.
    func drainInbox() async throws -> IngestReport {
        let files = try DropFolder.readyFiles(in: configuration.inbox.path)
        var start = 0
        while start < files.count {
            let end = min(start + Self.maxBatch, files.count)
            _ = try await ingest(Array(files[start..<end]))
            start = end
        }
        return await worker.totals
    }

    /// A failure's message for the log, without the type's wrapping.
    static func message(_ error: any Error) -> String {
        if let e = error as? DaemonError { return e.message }
        if let e = error as? ArchiveError { return e.message }
        return "\(error)"
    }
}

/// A failure that ends the daemon with exit status 1; the message says what to fix.
public struct DaemonError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
