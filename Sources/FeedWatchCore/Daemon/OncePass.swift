import Logging

/// `feedwatch once`: poll every URL source once, then drain the inbox (what is there now),
/// then exit; the same `Daemon` wiring as `run`, without the watch, the signals and systemd.
public enum OncePass {
    /// The exit status: 1 only when the archive fails (or cannot be opened); a failing source is
    /// reported in the log and in `stats`, and retried on the next run.
    public static func run(configPath: String?, environment: [String: String]) async -> Int32 {
        guard let config = ConfigSource(explicitPath: configPath, environment: environment).loadOrReport() else {
            return ExitStatus.config
        }
        let logger = StderrLogHandler.logger(level: config.logLevel, environment: environment)
        if let cluster = config.cluster {
            return await ClusterDaemon.once(config, settings: cluster, logger: logger)
        }
        do {
            return try await Daemon.with(config, logger: logger) { daemon in
                let status = await pass(daemon, logger: logger)
                if let path = config.metrics.textfile {
                    MetricsExport.writeTextfile(daemon.metrics, to: path, logger: logger)
                }
                return status
            }
        } catch {
            // The directories or the archive could not be made or opened.
            logger.error("\(Daemon.message(error))")
            return ExitStatus.failure
        }
    }

    /// The sources, then the inbox; the exit status.
    private static func pass(_ daemon: Daemon, logger: Logger) async -> Int32 {
        let config = daemon.configuration
        if !config.sources.isEmpty {
            do {
                try await pollSources(daemon)
            } catch {
                logger.error("polling failed", metadata: ["error": "\(Daemon.message(error))"])
                return ExitStatus.failure
            }
        }
        do {
            let totals = try await daemon.drainInbox()
            logger.info("inbox drained", metadata: [
                "files": "\(totals.files)", "archived": "\(totals.archived)",
                "duplicates": "\(totals.duplicates)", "failed": "\(totals.failed)",
            ])
            return ExitStatus.ok
        } catch {
            logger.error("inbox pass failed", metadata: ["error": "\(Daemon.message(error))"])
            return ExitStatus.failure
        }
    }

    private static func pollSources(_ daemon: Daemon) async throws {
        let sources = daemon.configuration.sources
        let logger = daemon.logger
        let progress = TerminalProgress(label: "once", total: sources.count)
        try await daemon.withPoller { poller in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await poller.pollEverySourceOnce() }
                if progress.enabled {
                    group.addTask {
                        // Redrawn four times a second until the polls are done (then cancelled).
                        while !Task.isCancelled {
                            let (done, archived) = (await poller.pollsFinished, await poller.totals.archived)
                            progress.update(done: done, unit: "sources", detail: "· \(archived) archived")
                            try? await Task.sleep(for: .milliseconds(250))
                        }
                    }
                }
                _ = try await group.next()
                group.cancelAll()
            }
            progress.clear()
            let totals = await poller.totals
            let health = await poller.health
            logger.info("sources polled", metadata: [
                "sources": "\(sources.count)", "health": "\(health.summary)",
                "archived": "\(totals.archived)", "duplicates": "\(totals.duplicates)",
            ])
        }
    }
}
