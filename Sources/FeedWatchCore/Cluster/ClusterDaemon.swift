import Archive
import ArchivePostgres
import DropFolder
import FeedFetch
import Foundation
import Logging
import ServiceLifecycle
import SystemPackage
import SystemSupport
import Synchronization
import UnixSignals

/// Where a graceful shutdown is, and a bound on it: a node that has not stopped 15 s after
/// SIGTERM logs the stage it is stuck in and exits. Nothing it holds needs cleaning up (its
/// leases expire, its inbox files stay until committed), and systemd would kill it anyway.
final class ShutdownStage: Sendable {
    private struct State {
        var stage: String? = "stopping the inbox and the polls"
        /// The node's tasks still running, named, so a stuck stop says which one holds it.
        var running: Set<String> = []
    }
    private let state = Mutex(State())

    func set(_ next: String?) { state.withLock { $0.stage = next } }

    /// Runs `body` as the task `name`, listed as running until it returns.
    func track(_ name: String, _ body: () async throws -> Void) async throws {
        state.withLock { _ = $0.running.insert(name) }
        defer { state.withLock { _ = $0.running.remove(name) } }
        try await body()
    }

    func watch(logger: Logger) {
        Task.detached { [self] in
            try? await Task.sleep(for: .seconds(15))
            guard let (stuck, running) = self.state.withLock({ s in s.stage.map { ($0, s.running) } }) else { return }
            logger.warning("shutdown did not finish within 15 s; stopping now",
                           metadata: ["stage": "\(stuck)", "running": "\(running.sorted().joined(separator: ", "))"])
            exit(ExitStatus.ok)
        }
    }
}

/// The cluster node as a service-lifecycle `Service` (graceful shutdown on SIGTERM/SIGINT).
struct ClusterService: Service, CustomStringConvertible {
    let config: Configuration
    let settings: ClusterSettings
    let source: ConfigSource
    let notifier: SystemdNotifier
    let logger: Logger
    var description: String { "ClusterService" }

    func run() async throws {
        try await ClusterDaemon.serve(config, settings: settings, source: source, notifier: notifier, logger: logger)
    }
}

/// `run` and `once` with `[cluster]`: PostgreSQL is the archive of record. The node polls the
/// shared sources by lease and ingests its own inbox into the shared log; it writes no local
/// JSON-lines archive (nodes' seq numbers would diverge; `tail --from postgres` reads the log).
enum ClusterDaemon {
    /// `feedwatch run` in cluster mode: a `ServiceGroup` that SIGTERM and SIGINT shut down
    /// gracefully, until then; the exit status.
    static func runUntilStopped(_ config: Configuration, settings: ClusterSettings, source: ConfigSource,
                                notifier: SystemdNotifier, logger: Logger) async -> Int32 {
        let service = ClusterService(config: config, settings: settings, source: source, notifier: notifier, logger: logger)
        return await DaemonService.runGroup(service, notifier: notifier, logger: logger, describe: ClusterNode.message)
    }

    static func serve(_ config: Configuration, settings: ClusterSettings, source: ConfigSource, notifier: SystemdNotifier,
                      logger: Logger) async throws {
        try Daemon.makeDirectories(config)
        let lock = try takeInboxLock(config)
        defer { lock.release() }
        let metrics = FeedWatchMetrics(cluster: true)
        let node = settings.nodeID
        if settings.leaseTTL <= config.http.timeout + config.http.connectTimeout {
            logger.warning("cluster.lease_ttl is not longer than http.connect_timeout + http.timeout: slow polls will be fenced and refused")
        }
        let stage = ShutdownStage()
        defer { stage.set(nil) }
        try await ClusterNode.with(settings, application: "feedwatch:\(node)", logger: logger) { db in
            try await db.register(node: node, hostname: ClusterSettings.hostName, version: FeedWatchVersion.current)
            let archive = ClusterArchive(database: db, node: node)
            let inbox = ClusterInbox(pipeline: InboxPipeline(inbox: config.inbox), archive: archive, metrics: metrics, logger: logger)
            let files: AsyncStream<FilePath>
            do {
                files = try DropFolder(directory: config.inbox.path, logger: logger).watch()
            } catch {
                throw DaemonError("cannot watch the inbox \(config.inbox.path): \(error)")
            }
            let events = DaemonEvents()
            let hangups = await UnixSignalsSequence(trapping: .sighup)
            try await MetricsExport.serving(metrics, config: config.metrics, logger: logger) {
                try await withHTTPClient(configuration: HTTPClientConfiguration(config.http), logger: logger) { client in
                    let poller = ClusterPoller(archive: archive, client: client, sources: config.sources, metrics: metrics,
                                               logger: logger, options: options(settings, http: config.http),
                                               fullText: fullTextStage(config, metrics: metrics, logger: logger))
                    let database = (try? ClusterNode.endpoint(settings, application: "").display) ?? "?"
                    logger.info("feedwatch is ready (cluster node)", metadata: [
                        "node": "\(node)", "database": "\(database)",
                        "inbox": "\(config.inbox.path)",
                    ])
                    notifier.send(.ready, .status("ready: cluster node \(node), watching \(config.inbox.path)"))
                    try await withGracefulShutdownHandler {
                        try await withThrowingTaskGroup(of: Void.self) { group in
                            group.addTask {
                                try await stage.track("inbox watch") {
                                    for await file in files { events.add(file) }
                                    if !Task.isCancelled { throw DaemonError("the inbox watch ended: was \(config.inbox.path) removed?") }
                                }
                            }
                            group.addTask {
                                // Heartbeat for `stats`, and WATCHDOG=1 when systemd asks for it.
                                try await stage.track("heartbeat") {
                                    let every = min(notifier.watchdogInterval ?? .seconds(5), .seconds(5))
                                    while !Task.isCancelled {
                                        do { try await Task.sleep(for: every) } catch { return }
                                        if notifier.watchdogInterval != nil { _ = notifier.send(.watchdog) }
                                        try? await db.heartbeat(node: node)
                                        events.tick()
                                    }
                                }
                            }
                            group.addTask {
                                // SIGHUP: the table is the cluster's source list (`sources sync`);
                                // a reload applies this node's log level and per-source headers.
                                try await stage.track("reload signals") {
                                    for await _ in hangups {
                                        do {
                                            let next = try source.load()
                                            await poller.update(sources: next.sources, logLevel: next.logLevel)
                                            logger.info("config reloaded; run `feedwatch sources sync` to change the shared sources")
                                        } catch {
                                            logger.error("reload refused, keeping the running config",
                                                         metadata: ["problem": "\(error)"])
                                        }
                                    }
                                }
                            }
                            group.addTask { try await stage.track("polls") { try await poller.run(once: false) } }
                            group.addTask {
                                try await stage.track("inbox batches") {
                                    try await mainLoop(events: events, inbox: inbox, poller: poller, notifier: notifier, logger: logger)
                                }
                            }
                            try await group.next()
                            group.cancelAll()
                        }
                    } onGracefulShutdown: {
                        notifier.send(.stopping)
                        logger.info("shutting down: finishing the batch in hand")
                        events.finish()
                        stage.watch(logger: logger)
                    }
                    // Leases of polls cut short are handed back at once rather than left to expire.
                    stage.set("releasing leases")
                    try? await db.releaseLeases(node: node)
                    let totals = await poller.totals
                    stage.set("closing the database pool")
                    logger.info("feedwatch stopped", metadata: ["archived": "\(totals.archived)"])
                }
            }
        }
    }

    private static func mainLoop(events: DaemonEvents, inbox: ClusterInbox, poller: ClusterPoller,
                                 notifier: SystemdNotifier, logger: Logger) async throws {
        var ingested = IngestReport()
        while let batch = await events.next(maxFiles: Daemon.maxBatch) {
            if !batch.files.isEmpty {
                do {
                    ingested += try await inbox.ingest(batch.files)
                } catch {
                    // The files stay in the inbox (nothing was committed, or the outcome is
                    // unknown): retried shortly; a replay counts what did commit as duplicates.
                    logger.error("cannot archive inbox files in the cluster; retrying",
                                 metadata: ["files": "\(batch.files.count)", "error": "\(ClusterNode.message(error))"])
                    try await Task.sleep(for: .seconds(1))
                    for file in batch.files { events.add(file) }
                }
            }
            if batch.tick || !batch.files.isEmpty {
                let polled = await poller.totals
                _ = notifier.send(.status("\(ingested.archived + polled.archived) articles archived by this node, "
                                          + "\(ingested.duplicates + polled.duplicates) duplicates since start"))
            }
        }
    }

    /// `full_text` in cluster mode: the entries' pages are this node's work, its ledger a file in
    /// its own `state_dir`, saved after the COMMIT. A source that moves to another node has its
    /// entries' pages fetched once more there; the articles' ids make the archive absorb them.
    /// Always there (a reload may turn `full_text` on); a source without it costs one check.
    static func fullTextStage(_ config: Configuration, metrics: FeedWatchMetrics, logger: Logger) -> FullTextStage {
        return FullTextStage(files: FullTextLedgerFiles(stateDirectory: config.stateDirectory), metrics: metrics, logger: logger)
    }

    static func options(_ settings: ClusterSettings, http: Configuration.HTTP) -> ClusterPoller.Options {
        var options = ClusterPoller.Options()
        options.leaseSeconds = settings.leaseSeconds
        options.claimInterval = settings.claimInterval
        // No more claims than the HTTP client runs at once: a claimed source waiting for a
        // transfer slot spends its lease waiting (per_host still queues same-host sources, so
        // lease_ttl must cover that wait too; see the README).
        options.maxInFlight = http.concurrency
        return options
    }

    /// One node per inbox, as in single-machine mode; held until `release` (in a `defer`).
    /// Not `Sendable`: it stays in the task that took it, which releases it in a `defer`.
    final class HeldInboxLock {
        // The lock is noncopyable and released by its deinit: kept here, dropped in `release`.
        private var lock: InboxLock?
        init(_ lock: consuming InboxLock) { self.lock = Optional(lock) }
        func release() { lock = nil }
    }

    static func takeInboxLock(_ config: Configuration) throws(DaemonError) -> HeldInboxLock {
        do {
            return HeldInboxLock(try InboxLock.acquire(inbox: config.inbox.path))
        } catch {
            throw DaemonError(error.errno == .wouldBlock
                ? "another feedwatch is using the inbox \(config.inbox.path)"
                : "cannot lock the inbox \(config.inbox.path): \(error)")
        }
    }

    /// `feedwatch once` in cluster mode: the sources not polled since the pass began (skipping
    /// live leases), then the inbox as it is now.
    static func once(_ config: Configuration, settings: ClusterSettings, logger: Logger) async -> Int32 {
        do {
            try Daemon.makeDirectories(config)
            let lock = try takeInboxLock(config)
            defer { lock.release() }
            let metrics = FeedWatchMetrics(cluster: true)
            let node = settings.nodeID
                try await ClusterNode.with(settings, application: "feedwatch:\(node)", logger: logger) { db in
                try await db.register(node: node, hostname: ClusterSettings.hostName, version: FeedWatchVersion.current)
                let archive = ClusterArchive(database: db, node: node)
                try await withHTTPClient(configuration: HTTPClientConfiguration(config.http), logger: logger) { client in
                    let poller = ClusterPoller(archive: archive, client: client, sources: config.sources, metrics: metrics,
                                               logger: logger, options: options(settings, http: config.http),
                                               fullText: fullTextStage(config, metrics: metrics, logger: logger))
                    try await poller.run(once: true)
                    let totals = await poller.totals
                    let (polls, lost) = (await poller.pollsFinished, await poller.leasesLost)
                    logger.info("sources polled", metadata: [
                        "polls": "\(polls)", "archived": "\(totals.archived)",
                        "duplicates": "\(totals.duplicates)", "leases_lost": "\(lost)",
                    ])
                }
                let inbox = ClusterInbox(pipeline: InboxPipeline(inbox: config.inbox), archive: archive, metrics: metrics, logger: logger)
                let files = try DropFolder.readyFiles(in: config.inbox.path)
                var totals = IngestReport()
                var start = 0
                while start < files.count {
                    let end = min(start + Daemon.maxBatch, files.count)
                    totals += try await inbox.ingest(Array(files[start..<end]))
                    start = end
                }
                logger.info("inbox drained", metadata: [
                    "files": "\(totals.files)", "archived": "\(totals.archived)",
                    "duplicates": "\(totals.duplicates)", "failed": "\(totals.failed)",
                ])
            }
            if let path = config.metrics.textfile { MetricsExport.writeTextfile(metrics, to: path, logger: logger) }
            return ExitStatus.ok
        } catch {
            logger.error("\(ClusterNode.message(error))")
            return ExitStatus.failure
        }
    }
}
