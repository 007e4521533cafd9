import Archive
import DropFolder
import Foundation
import Logging
import SystemPackage
import SystemSupport

/// Owns the archive for the daemon's lifetime and runs every blocking step of ingest
/// (reads, parse, append + fsync, renames) on its own thread (`ThreadExecutor`).
actor IngestWorker {
    nonisolated let unownedExecutor: UnownedSerialExecutor
    private let executor: ThreadExecutor
    private var store: ArchiveStore?
    private var inboxLock: InboxLock?
    private let inbox: FilePath
    private var pipeline: InboxPipeline
    private let options: ArchiveOptions
    private var logger: Logger
    private(set) var totals = IngestReport()
    let metrics: FeedWatchMetrics

    init(configuration: Configuration, logger: Logger, metrics: FeedWatchMetrics = FeedWatchMetrics()) {
        self.metrics = metrics
        executor = ThreadExecutor(name: "feedwatch-ingest")
        unownedExecutor = executor.asUnownedSerialExecutor()
        pipeline = InboxPipeline(inbox: configuration.inbox)
        inbox = configuration.inbox.path
        options = ArchiveOptions(archivePath: configuration.archive.path,
                                 stateDirectory: configuration.stateDirectory,
                                 segmentBytes: configuration.archive.segmentBytes)
        self.logger = logger
    }

    /// Takes the writer lock, repairs a torn tail, loads the index; then takes the inbox's lock
    /// (one daemon per archive and one per inbox, whatever configs point at them).
    func open() throws(ArchiveError) -> ArchiveStats {
        let store = try ArchiveStore.open(options, logger: logger)
        do {
            // The daemon made it already; other callers (tests, tools) may not have.
            try? FileManager.default.createDirectory(atPath: inbox.string, withIntermediateDirectories: true)
            inboxLock = try InboxLock.acquire(inbox: inbox)
        } catch {
            store.close()
            throw error.errno == .wouldBlock ? ArchiveError.inUse(error.description) : ArchiveError(error.description)
        }
        self.store = store
        return store.stats()
    }

    func ingest(_ files: [FilePath]) throws(ArchiveError) -> IngestReport {
        guard let store else { throw ArchiveError("the archive is not open") }
        let report = try pipeline.ingest(files, into: store, logger: logger, metrics: metrics)
        totals += report
        return report
    }

    /// URL sources' articles: the same append (dedup, identity aliases, fsync) as inbox files.
    func archive(_ items: [IngestItem]) throws(ArchiveError) -> [AppendOutcome] {
        guard let store else { throw ArchiveError("the archive is not open") }
        return try InboxPipeline.append(items, to: store, metrics: metrics)
    }

    /// Other blocking work that must follow an append in order (the source state file).
    func perform<T: Sendable, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        try body()
    }

    func setLogLevel(_ level: Logger.Level) { logger.logLevel = level }

    /// Flushes the index, releases the lock and lets the thread end: the last call on the worker.
    func close() {
        store?.close()
        store = nil
        inboxLock = nil   // its deinit closes the descriptor, which drops the lock
        executor.stop()
    }
}
