import ArchivePostgres
import Foundation
import Logging

/// The cluster's commands: `db migrate`, `sources sync`, `tail --from postgres` and the
/// cluster part of `stats`. Each loads the config, needs its `[cluster]` section, and returns
/// the exit status (SPEC §2: 0, 1 on a failure, 78 on a bad config).
public enum ClusterCommands {
    /// `feedwatch db migrate`: idempotent; safe on several nodes at once (advisory lock).
    public static func migrate(configPath: String?, environment: [String: String]) async -> Int32 {
        await withCluster(configPath, environment, application: "feedwatch-migrate", checkSchema: false) { _, db in
            let (before, after) = try await db.migrate()
            print(before == after ? "schema: version \(after), up to date" : "schema: migrated from version \(before) to \(after)")
        }
    }

    /// `feedwatch sources sync`: the config's and the OPML's sources into the table, in one
    /// transaction; sources no longer listed are disabled, never deleted.
    public static func syncSources(configPath: String?, environment: [String: String]) async -> Int32 {
        await withCluster(configPath, environment, application: "feedwatch-sync") { config, db in
            let rows = config.sources.map { source in
                ClusterSourceRow(name: source.name, url: source.url,
                                 host: URLComponents(string: source.url)?.host?.lowercased() ?? "",
                                 kind: source.kind.rawValue,
                                 intervalSeconds: Int(source.interval.components.seconds))
            }
            let (upserted, disabled) = try await db.syncSources(rows)
            print("sources: \(rows.count) in the config, \(upserted) added or changed, \(disabled) disabled")
        }
    }

    /// `feedwatch tail --from postgres`: schema-1 lines in seq order after `after`; with
    /// `follow`, until interrupted, across dropped connections.
    public static func tail(configPath: String?, environment: [String: String], after: Int, follow: Bool) async -> Int32 {
        guard let (_, settings, logger) = clusterConfig(configPath, environment, for: "--from postgres") else {
            return ExitStatus.config
        }
        do {
            let endpoint = try ClusterNode.endpoint(settings, application: "feedwatch-tail:\(settings.nodeID)")
            _ = try await ClusterTail.run(endpoint, after: after, follow: follow, logger: logger) { page in
                var bytes: [UInt8] = []
                for (_, line) in page {
                    bytes += line.utf8
                    bytes.append(10)
                }
                FileHandle.standardOutput.write(Data(bytes))
            }
            return ExitStatus.ok
        } catch {
            StandardError.writeLine("feedwatch: \(ClusterNode.message(error))")
            return ExitStatus.failure
        }
    }

    /// `feedwatch stats` with `[cluster]`: `nil` without one (the file archive's stats apply).
    public static func stats(configPath: String?, environment: [String: String]) async -> Int32? {
        guard let config = ConfigSource(explicitPath: configPath, environment: environment).loadOrReport() else {
            return ExitStatus.config
        }
        guard config.cluster != nil else { return nil }
        return await withCluster(config, environment, application: "feedwatch-stats") { _, db in
            let s = try await db.stats()
            var lines: [(String, String)] = [
                ("config", config.origin), ("mode", "cluster"), ("last_seq", "\(s.lastSeq)"), ("records", "\(s.articles)"),
                ("sources", "\(s.sources)"), ("sources_disabled", "\(s.disabled)"), ("sources_due", "\(s.due)"),
                ("sources_overdue", "\(s.overdue)"), ("leases_held", "\(s.leased)"), ("nodes", "\(s.nodes.count)"),
            ]
            for health in ["ok", "backing_off", "failing", "gone"] {
                lines.append(("sources_\(health)", "\(s.health[health] ?? 0)"))
            }
            for node in s.nodes {
                lines.append(("node \(node.id)", "host \(node.hostname), version \(node.version), heartbeat \(Int(node.heartbeatAgeSeconds.rounded()))s ago, "
                              + "leases held \(node.leasesHeld), leases lost \(node.leasesLost)"))
            }
            print(lines.map { "\($0.0): \($0.1)" }.joined(separator: "\n"))
        }
    }

    /// The config, its `[cluster]` section and a logger for a command that needs the cluster;
    /// nil (exit 78) once it has said on stderr what was missing.
    static func clusterConfig(_ configPath: String?, _ environment: [String: String],
                              for what: String) -> (Configuration, ClusterSettings, Logger)? {
        guard let config = ConfigSource(explicitPath: configPath, environment: environment).loadOrReport() else { return nil }
        return clusterConfig(config, environment, for: what)
    }

    static func clusterConfig(_ config: Configuration, _ environment: [String: String],
                              for what: String) -> (Configuration, ClusterSettings, Logger)? {
        guard let settings = config.cluster else {
            StandardError.writeLine("feedwatch: \(what) needs a [cluster] section in \(config.origin)")
            return nil
        }
        return (config, settings, StderrLogHandler.logger(level: config.logLevel, environment: environment))
    }

    private static func withCluster(_ configPath: String?, _ environment: [String: String], application: String,
                                    checkSchema: Bool = true,
                                    _ body: @escaping @Sendable (Configuration, ClusterDatabase) async throws -> Void) async -> Int32 {
        guard let config = ConfigSource(explicitPath: configPath, environment: environment).loadOrReport() else {
            return ExitStatus.config
        }
        return await withCluster(config, environment, application: application, checkSchema: checkSchema, body)
    }

    private static func withCluster(_ config: Configuration, _ environment: [String: String], application: String,
                                    checkSchema: Bool = true,
                                    _ body: @escaping @Sendable (Configuration, ClusterDatabase) async throws -> Void) async -> Int32 {
        guard let (config, settings, logger) = clusterConfig(config, environment, for: "this command") else {
            return ExitStatus.config
        }
        do {
            try await ClusterNode.with(settings, application: application, logger: logger, checkSchema: checkSchema) { db in
                try await body(config, db)
            }
            return ExitStatus.ok
        } catch {
            StandardError.writeLine("feedwatch: \(ClusterNode.message(error))")
            return ExitStatus.failure
        }
    }
}
