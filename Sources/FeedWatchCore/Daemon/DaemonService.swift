import Archive
import Foundation
public import Logging
public import ServiceLifecycle
import SystemPackage
import UnixSignals

/// The daemon: the inbox (watch → batch → ingest) and the URL sources (`Poller`) feeding one
/// archive, plus the systemd protocol
/// (READY, STATUS, WATCHDOG, RELOADING on SIGHUP, STOPPING on graceful shutdown).
///
/// All work happens inside `run()`; graceful shutdown stops taking new batches, lets the
/// batch in hand finish (its fsync and moves), closes the archive and returns.
public struct DaemonService: Service, CustomStringConvertible {
    /// service-lifecycle logs its services by description: never the config (passwords, headers).
    public var description: String { "DaemonService" }

    private let initial: Configuration
    private let source: ConfigSource
    private let notifier: SystemdNotifier
    private let logger: Logger

    public init(configuration: Configuration, source: ConfigSource, notifier: SystemdNotifier, logger: Logger) {
        self.initial = configuration
        self.source = source
        self.notifier = notifier
        self.logger = logger
    }

    /// `feedwatch run`: the service in a `ServiceGroup` that SIGTERM and SIGINT shut down
    /// gracefully, until then; the exit status (SPEC §2: 0, 1 on a failure, 78 on a bad config).
    public static func runUntilStopped(configPath: String?, environment: [String: String]) async -> Int32 {
        let source = ConfigSource(explicitPath: configPath, environment: environment)
        guard let config = source.loadOrReport() else { return ExitStatus.config }
        let logger = StderrLogHandler.logger(level: config.logLevel, environment: environment)
        let notifier = SystemdNotifier(environment: environment)
        if let cluster = config.cluster {
            return await ClusterDaemon.runUntilStopped(config, settings: cluster, source: source, notifier: notifier, logger: logger)
        }
        let service = DaemonService(configuration: config, source: source, notifier: notifier, logger: logger)
        return await runGroup(service, notifier: notifier, logger: logger, describe: Daemon.message)
    }

    /// `service` in a `ServiceGroup` that SIGTERM and SIGINT shut down gracefully; a failure is
    /// told to systemd and the log in the words of `describe`. Shared with the cluster node.
    static func runGroup(_ service: some Service, notifier: SystemdNotifier, logger: Logger,
                         describe: (any Error) -> String) async -> Int32 {
        let group = ServiceGroup(configuration: .init(
            services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
        ))
        do {
            try await group.run()
            return ExitStatus.ok
        } catch {
            notifier.send(.status("failed: \(describe(error))"), .stopping)
            logger.critical("feedwatch failed", metadata: ["error": "\(describe(error))"])
            return ExitStatus.failure
        }
    }

    public func run() async throws {
        let config = initial
        let notifier = self.notifier
        let logger = self.logger
        let archived = try await Daemon.with(config, logger: logger) { daemon in
            let files = try daemon.watchInbox()
            let events = DaemonEvents()
            let hangups = await UnixSignalsSequence(trapping: .sighup)
            logger.info("feedwatch is ready", metadata: [
                "config": "\(config.origin)", "archive": "\(config.archive.path)", "inbox": "\(config.inbox.path)",
                "records": "\(daemon.opened.records)", "sources": "\(config.sources.count)",
            ])
            notify(.ready, .status("ready: \(daemon.opened.records) articles in the archive, watching \(config.inbox.path)"))
            try await MetricsExport.serving(daemon.metrics, config: config.metrics, logger: logger) {
                try await daemon.withPoller { poller in
                    try await withGracefulShutdownHandler {
                        try await withThrowingTaskGroup(of: Void.self) { group in
                            group.addTask {
                                for await file in files { events.add(file) }
                                if !Task.isCancelled { throw DaemonError("the inbox watch ended: was \(config.inbox.path) removed?") }
                            }
                            group.addTask {
                                for await _ in hangups { events.requestReload() }
                            }
                            let tickEvery = notifier.watchdogInterval ?? .seconds(10)
                            // WATCHDOG=1 goes out from this task, not from the main loop: the main loop
                            // waits for a whole batch (a big or hostile file takes seconds to parse on
                            // the ingest thread), and systemd would kill a daemon that is working.
                            // The main loop's tick still sends STATUS between batches.
                            group.addTask {
                                while !Task.isCancelled {
                                    do { try await Task.sleep(for: tickEvery) } catch { return }
                                    if notifier.watchdogInterval != nil, let error = notifier.send(.watchdog) {
                                        logger.debug("cannot send WATCHDOG=1", metadata: ["error": "\(error)"])
                                    }
                                    events.tick()
                                }
                            }
                            group.addTask { try await poller.run() }
                            group.addTask {
                                try await mainLoop(events: events, daemon: daemon, poller: poller)
                            }
                            // The first to end decides: the main loop on shutdown, or a failure anywhere.
                            try await group.next()
                            group.cancelAll()
                        }
                    } onGracefulShutdown: {
                        notifier.send(.stopping)
                        logger.info("shutting down: finishing the batch in hand")
                        events.finish()
                    }
                }
            }
            return await daemon.worker.totals.archived
        }
        logger.info("feedwatch stopped", metadata: ["archived": "\(archived)"])
    }

    private func mainLoop(events: DaemonEvents, daemon: Daemon, poller: Poller) async throws {
        var config = daemon.configuration
        var logger = self.logger
        let worker = daemon.worker
        while let batch = await events.next(maxFiles: Daemon.maxBatch) {
            if batch.reload {
                config = await reload(current: config, logger: &logger, worker: worker)
                await poller.update(sources: config.sources, logLevel: config.logLevel)
            }
            if !batch.files.isEmpty {
                let report = try await daemon.ingest(batch.files)
                logger.debug("batch done", metadata: [
                    "files": "\(report.files)", "archived": "\(report.archived)", "duplicates": "\(report.duplicates)",
                ])
            }
            if batch.tick || !batch.files.isEmpty {
                let totals = await worker.totals
                let polled = await poller.totals
                let health = await poller.health
                let pending = events.pendingFiles
                notify(.status("\(daemon.opened.records + totals.archived + polled.archived) articles archived, "
                               + "\(totals.duplicates + polled.duplicates) duplicates "
                               + "and \(totals.failed) failed files since start; inbox "
                               + (pending == 0 ? "idle" : "\(pending) files waiting")
                               + (config.sources.isEmpty ? "" : "; sources: \(health.summary)")))
            }
        }
    }

    /// SIGHUP: read the config again. An invalid one is refused and the old one kept; what
    /// can change without a restart (log level, sources) is applied, paths and `[http]` are not.
    private func reload(current: Configuration, logger: inout Logger, worker: IngestWorker) async -> Configuration {
        notify(.reloading(monotonicMicroseconds: NotifyMessage.monotonicNow()))
        defer { notify(.ready) }
        let next: Configuration
        do {
            next = try source.load()
        } catch {
            for line in error.errors { logger.error("reload refused, keeping the running config", metadata: ["problem": "\(line)"]) }
            notify(.status("reload refused: \(error.errors.first?.description ?? "invalid config"); running on the previous config"))
            return current
        }
        var applied = current
        applied.logLevel = next.logLevel
        applied.sources = next.sources
        applied.opml = next.opml
        logger.logLevel = next.logLevel
        await worker.setLogLevel(next.logLevel)
        if next.archive != current.archive || next.inbox != current.inbox || next.stateDirectory != current.stateDirectory {
            logger.warning("archive, inbox and state_dir changes take effect on restart only")
        }
        if next.http != current.http {
            logger.warning("[http] changes take effect on restart only: the HTTP client keeps its limits while it runs")
        }
        logger.info("config reloaded", metadata: ["config": "\(next.origin)", "sources": "\(next.sources.count)"])
        return applied
    }

    private func notify(_ messages: NotifyMessage...) {
        if let error = notifier.send(messages) {
            logger.warning("cannot notify systemd", metadata: ["error": "\(error)"])
        }
    }
}
