import Archive
import ArchivePostgres
import DropFolder
import FeedFetch
import Foundation
import Logging
import SystemPackage

/// What every cluster-mode command shares: the endpoint from `[cluster]` (with the password
/// file read), and a connection pool for the call's duration.
enum ClusterNode {
    static func endpoint(_ settings: ClusterSettings, application: String) throws(DaemonError) -> PostgresEndpoint {
        var password: String?
        if let file = settings.passwordFile {
            do {
                let text = try String(contentsOfFile: file.string, encoding: .utf8)
                password = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            } catch {
                throw DaemonError("cannot read cluster.password_file \(file): \(ConfigLoader.reason(error))")
            }
        }
        return PostgresEndpoint(host: settings.socketDirectory == nil ? settings.host : nil,
                                socketDirectory: settings.socketDirectory?.string, port: settings.port,
                                user: settings.user, database: settings.database, password: password,
                                applicationName: application, maxConnections: settings.maxConnections)
    }

    /// Opens the pool, checks the schema, runs `body`. A database that is not there (or has no
    /// schema) is a `DaemonError` naming the endpoint and what to do.
    static func with<Result: Sendable>(
        _ settings: ClusterSettings, application: String, logger: Logger, checkSchema: Bool = true,
        _ body: @Sendable (ClusterDatabase) async throws -> Result
    ) async throws -> Result {
        let endpoint = try endpoint(settings, application: application)
        return try await ClusterConnection.with(endpoint, logger: logger) { db in
            if checkSchema {
                do {
                    try await db.checkSchema()
                } catch {
                    throw DaemonError("cluster database \(endpoint.display): \(ClusterError.describe(error))")
                }
            }
            return try await body(db)
        }
    }

    /// A message for any error of the cluster path.
    static func message(_ error: any Error) -> String {
        if let e = error as? DaemonError { return e.message }
        return ClusterError.describe(error)
    }
}

/// Inbox files into the cluster's archive (design §7.6): parse → one PostgreSQL transaction →
/// COMMIT → `rename` to `processed/`. A file leaves the inbox only after COMMIT returned; a crash
/// or an unknown COMMIT outcome leaves it in place, and its replay finds every id already there.
struct ClusterInbox: Sendable {
    let pipeline: InboxPipeline
    let archive: ClusterArchive
    let metrics: FeedWatchMetrics
    let logger: Logger

    func ingest(_ files: [FilePath]) async throws -> IngestReport {
        let (pipeline, logger, metrics) = (self.pipeline, self.logger, self.metrics)
        // Reading and parsing block (and use every core): off the cooperative pool.
        var (report, ready, items) = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var report = IngestReport()
                let (ready, items) = pipeline.gather(files, report: &report, logger: logger, metrics: metrics)
                continuation.resume(returning: (report, ready, items))
            }
        }
        let start = ContinuousClock.now
        let outcomes = items.isEmpty ? [] : try await archive.append(items)
        if !items.isEmpty { metrics.recordCommit(items, outcomes: outcomes, duration: ContinuousClock.now - start, bytes: 0) }
        pipeline.settle(ready, outcomes: outcomes, report: &report, logger: logger, metrics: metrics)
        return report
    }
}
