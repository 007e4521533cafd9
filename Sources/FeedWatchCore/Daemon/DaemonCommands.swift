import Archive
import DropFolder
import FeedFetch
import Foundation
import Logging
import ServiceLifecycle
import SystemPackage
import UnixSignals

/// What the `run`, `once`, `stats` and `check-config` subcommands do, returning the exit
/// status (SPEC §2: 0 ok, 1 runtime failure, 78 config error). The CLI stays a thin shell.
public enum DaemonCommands {
    public static let exitOK: Int32 = 0
    public static let exitFailure: Int32 = 1
    public static let exitConfig: Int32 = 78

    /// `feedwatch run`: until SIGTERM/SIGINT.
    public static func run(configPath: String?, environment: [String: String]) async -> Int32 {
        let source = ConfigSource(explicitPath: configPath, environment: environment)
        guard let config = loadOrReport(source) else { return exitConfig }
        let logger = StderrLogHandler.logger(level: config.logLevel, environment: environment)
        let notifier = SystemdNotifier(environment: environment)
        let service = DaemonService(configuration: config, source: source, notifier: notifier, logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
        ))
        do {
            try await group.run()
            return exitOK
        } catch {
            notifier.send(.status("failed: \(Self.message(error))"), .stopping)
            logger.critical("feedwatch failed", metadata: ["error": "\(Self.message(error))"])
            return exitFailure
        }
    }

    /// `feedwatch once`: poll every URL source once, then drain the inbox (what is there now),
    /// then exit. Exit 1 only when the archive fails: a failing source is reported in the log
    /// and in `stats`, and retried on the next run.
    public static func once(configPath: String?, environment: [String: String]) async -> Int32 {
        guard let config = loadOrReport(ConfigSource(explicitPath: configPath, environment: environment)) else {
            return exitConfig
        }
        let logger = StderrLogHandler.logger(level: config.logLevel, environment: environment)
        do {
            try DaemonService.makeDirectories(config)
        } catch {
            logger.error("\(error)")
            return exitFailure
        }
        let worker = IngestWorker(configuration: config, logger: logger)
        do {
            _ = try await worker.open()
        } catch {
            await worker.close()
            logger.error("cannot open the archive \(config.archive.path): \(error.message)")
            return exitFailure
        }
        var status = exitOK
        if !config.sources.isEmpty {
            do {
                try await pollOnce(config, worker: worker, logger: logger)
            } catch {
                logger.error("polling failed", metadata: ["error": "\(Self.message(error))"])
                await worker.close()
                return exitFailure
            }
        }
        do {
            let files = try DropFolder.readyFiles(in: config.inbox.path)
            var start = 0
            while start < files.count {
                let end = min(start + DaemonService.maxBatch, files.count)
                _ = try await worker.ingest(Array(files[start..<end]))
                start = end
            }
            let totals = await worker.totals
            logger.info("inbox drained", metadata: [
                "files": "\(totals.files)", "archived": "\(totals.archived)",
                "duplicates": "\(totals.duplicates)", "failed": "\(totals.failed)",
            ])
        } catch {
            logger.error("inbox pass failed", metadata: ["error": "\(Self.message(error))"])
            status = exitFailure
        }
        await worker.close()
        return status
    }

    private static func pollOnce(_ config: Configuration, worker: IngestWorker, logger: Logger) async throws {
        let file = SourceStateFile(stateDirectory: config.stateDirectory)
        let stored = Poller.loadState(file, logger: logger)
        try await withHTTPClient(configuration: HTTPClientConfiguration(config.http), logger: logger) { client in
            let poller = Poller(sources: config.sources, stored: stored, client: client, clock: WallClock(),
                                worker: worker, file: file, logger: logger)
            try await poller.pollEverySourceOnce()
            let totals = await poller.totals
            let health = await poller.health
            logger.info("sources polled", metadata: [
                "sources": "\(config.sources.count)", "health": "\(health.summary)",
                "archived": "\(totals.archived)", "duplicates": "\(totals.duplicates)",
            ])
        }
    }

    /// `feedwatch check-config [PATH]`: prints every problem, one per line, on stderr.
    public static func checkConfig(path: String?, environment: [String: String]) -> Int32 {
        let source = ConfigSource(explicitPath: path, environment: environment)
        guard let config = loadOrReport(source) else { return exitConfig }
        print("\(config.origin): ok (\(config.sources.count) sources)")
        return exitOK
    }

    /// `feedwatch stats`: figures from the archive and index (read without the writer lock)
    /// and the inbox folders, as `key: value` lines.
    public static func stats(configPath: String?, environment: [String: String]) -> Int32 {
        guard let config = loadOrReport(ConfigSource(explicitPath: configPath, environment: environment)) else {
            return exitConfig
        }
        let options = ArchiveOptions(archivePath: config.archive.path, stateDirectory: config.stateDirectory,
                                     segmentBytes: config.archive.segmentBytes)
        var lines: [(String, String)] = [("config", config.origin), ("archive", config.archive.path.string)]
        var status = exitOK
        if FileManager.default.fileExists(atPath: config.archive.path.string) {
            do {
                let stats = try ArchiveStore.inspect(options)
                lines += [
                    ("records", "\(stats.records)"), ("last_seq", "\(stats.lastSeq)"), ("segments", "\(stats.segments)"),
                    ("bytes", "\(stats.bytes)"), ("distinct_ids", "\(stats.distinctIDs)"),
                    ("identities", "\(stats.identities)"), ("duplicates_suppressed", "\(stats.duplicatesSuppressed)"),
                ]
            } catch {
                FileHandle.standardError.write(Data("feedwatch: cannot read the archive: \(error.message)\n".utf8))
                status = exitFailure
            }
        } else {
            lines.append(("records", "0"))
        }
        lines += [
            ("inbox_waiting", count(config.inbox.path)), ("inbox_processed", count(config.inbox.processed)),
            ("inbox_failed", count(config.inbox.failed, excludingSuffix: ".error.json")),
        ]
        let stateFile = SourceStateFile(stateDirectory: config.stateDirectory)
        let stored: [String: StoredSource]
        do {
            stored = try stateFile.load()
        } catch {
            FileHandle.standardError.write(Data("feedwatch: \(error)\n".utf8))
            stored = [:]
        }
        lines += SourceHealthReport.lines(sources: config.sources, stored: stored)
        print(lines.map { "\($0.0): \($0.1)" }.joined(separator: "\n"))
        return status
    }

    private static func count(_ dir: FilePath, excludingSuffix suffix: String? = nil) -> String {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.string) else { return "0" }
        return "\(names.filter { !InboxNameFilter.isIgnored($0) && !(suffix.map($0.hasSuffix) ?? false) }.count)"
    }

    private static func loadOrReport(_ source: ConfigSource) -> Configuration? {
        do {
            return try source.load()
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            return nil
        }
    }

    private static func message(_ error: any Error) -> String {
        if let e = error as? DaemonError { return e.message }
        if let e = error as? ArchiveError { return e.message }
        return "\(error)"
    }
}
