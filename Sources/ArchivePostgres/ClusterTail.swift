import Foundation
public import Logging
import PostgresNIO
import Synchronization

/// `feedwatch tail --from postgres` (design §7.5): LISTEN first, then page `seq > cursor` in
/// order; an empty page waits for a notification or the poll fallback. Because `seq` is gapless
/// and commit-ordered, `seq > cursor` never skips a row, and the cursor moves only past lines
/// already handed to `emit`: a dropped connection is reopened and resumes with no gap and no repeat.
public enum ClusterTail {
    public static let channel = "feedwatch_archive"

    /// Reads from `after` on; returns the last seq handed to `emit` when not following (at the
    /// end of the log), else runs until cancelled. `emit` gets lines in seq order, without "\n".
    public static func run(_ endpoint: PostgresEndpoint, after: Int, follow: Bool, pollFallback: Duration = .seconds(2),
                           logger: Logger, emit: @escaping @Sendable ([(seq: Int, line: String)]) -> Void) async throws -> Int {
        let cursor = Cursor(after)
        var failures = 0
        while true {
            do {
                let done: Bool = try await ClusterConnection.with(endpoint, logger: logger) { db in
                    try await db.client.withConnection { conn in
                        try await session(conn, cursor: cursor, follow: follow, pollFallback: pollFallback,
                                          logger: db.logger, emit: emit)
                    }
                }
                if done { return cursor.value.withLock { $0 } }
            } catch is CancellationError {
                return cursor.value.withLock { $0 }
            } catch {
                if Task.isCancelled { return cursor.value.withLock { $0 } }
                failures += 1
                // Not following: a database that is not there is an error to report, not to wait out.
                if !follow && failures > 3 { throw error }
                logger.warning("tail: connection lost; reconnecting", metadata: [
                    "error": "\(ClusterError.describe(error))", "after": "\(cursor.value.withLock { $0 })",
                ])
                try await Task.sleep(for: .milliseconds(min(2000, 100 * failures)))
                continue
            }
        }
    }

    /// One connection's life: true when done (not following and at the end).
    private static func session(_ conn: PostgresConnection, cursor: Cursor, follow: Bool, pollFallback: Duration,
                                logger: Logger, emit: @escaping @Sendable ([(seq: Int, line: String)]) -> Void) async throws -> Bool {
        guard follow else {
            return try await pages(conn, cursor: cursor, woken: nil, pollFallback: pollFallback, logger: logger, emit: emit)
        }
        // LISTEN before the first page: a commit after the page is then always announced.
        return try await conn.listen(on: channel) { notifications in
            let woken = Flag()
            return try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    for try await _ in notifications { woken.value.withLock { $0 = true } }
                    throw ClusterError("the LISTEN connection closed")
                }
                group.addTask {
                    try await pages(conn, cursor: cursor, woken: woken, pollFallback: pollFallback, logger: logger, emit: emit)
                }
                defer { group.cancelAll() }
                return try await group.next() ?? true
            }
        }
    }

    /// Pages `seq > cursor` until the end (`woken == nil`: not following) or forever.
    private static func pages(_ conn: PostgresConnection, cursor: Cursor, woken: Flag?, pollFallback: Duration,
                              logger: Logger, emit: @Sendable ([(seq: Int, line: String)]) -> Void) async throws -> Bool {
        while true {
            let from = cursor.value.withLock { $0 }
            var page: [(seq: Int, line: String)] = []
            for try await (seq, line) in try await conn.query(
                "SELECT seq, line FROM feedwatch.articles WHERE seq > \(Int64(from)) ORDER BY seq LIMIT 1000",
                logger: logger).decode((Int64, String).self) {
                page.append((Int(seq), line))
            }
            if !page.isEmpty {
                emit(page)
                cursor.value.withLock { $0 = page[page.count - 1].seq }
                continue
            }
            guard let woken else { return true }
            // Empty: wait for a notification, or the fallback (a lost notification, or a LISTEN
            // that silently stopped), in short steps so that cancellation is prompt.
            let deadline = ContinuousClock.now + pollFallback
            while ContinuousClock.now < deadline {
                if woken.value.withLock({ let w = $0; $0 = false; return w }) { break }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
    }
}

/// A notification seen since the last look.
final class Flag: Sendable {
    let value = Mutex(false)
}

/// The last seq handed out, shared by the reconnect loop and the session's reader task.
final class Cursor: Sendable {
    let value: Mutex<Int>
    init(_ start: Int) { value = Mutex(start) }
}

extension ClusterDatabase {
    /// The lines after `after`, in seq order (the test's and the mirror's bulk read).
    public func lines(after: Int, limit: Int) async throws -> [(seq: Int, line: String)] {
        var page: [(seq: Int, line: String)] = []
        for try await (seq, line) in try await client.query(
            "SELECT seq, line FROM feedwatch.articles WHERE seq > \(Int64(after)) ORDER BY seq LIMIT \(Int64(limit))",
            logger: logger).decode((Int64, String).self) {
            page.append((Int(seq), line))
        }
        return page
    }

    /// `stats` in cluster mode: nodes (heartbeat, leases held and lost), sources due and
    /// overdue, the last seq.
    public func stats() async throws -> ClusterStats {
        var nodes: [ClusterStats.Node] = []
        for try await (id, host, version, age, held, lost) in try await client.query("""
            SELECT n.node_id, n.hostname, n.version, extract(epoch FROM now() - n.heartbeat_at)::float8,
                   (SELECT count(*) FROM feedwatch.sources s WHERE s.lease_owner = n.node_id AND s.lease_until > now()),
                   n.leases_lost
            FROM feedwatch.nodes n ORDER BY n.node_id
            """, logger: logger).decode((String, String, String, Double, Int64, Int64).self) {
            nodes.append(.init(id: id, hostname: host, version: version, heartbeatAgeSeconds: age,
                               leasesHeld: Int(held), leasesLost: Int(lost)))
        }
        var stats = ClusterStats(nodes: nodes, sources: 0, disabled: 0, due: 0, overdue: 0, leased: 0, lastSeq: 0,
                                 articles: 0, health: [:])
        for try await (total, disabled, due, overdue, leased) in try await client.query("""
            SELECT count(*) FILTER (WHERE NOT disabled), count(*) FILTER (WHERE disabled),
                   count(*) FILTER (WHERE NOT disabled AND next_poll_at <= now()),
                   count(*) FILTER (WHERE NOT disabled AND next_poll_at + make_interval(secs => interval_s) <= now()),
                   count(*) FILTER (WHERE lease_until > now())
            FROM feedwatch.sources
            """, logger: logger).decode((Int64, Int64, Int64, Int64, Int64).self) {
            (stats.sources, stats.disabled, stats.due, stats.overdue, stats.leased) =
                (Int(total), Int(disabled), Int(due), Int(overdue), Int(leased))
        }
        for try await (health, count) in try await client.query(
            "SELECT health, count(*) FROM feedwatch.sources WHERE NOT disabled GROUP BY health", logger: logger)
            .decode((String, Int64).self) {
            stats.health[health] = Int(count)
        }
        for try await (last) in try await client.query("SELECT last_seq FROM feedwatch.archive_head WHERE id = 1",
                                                       logger: logger).decode(Int64.self) {
            stats.lastSeq = Int(last)
        }
        for try await (n) in try await client.query("SELECT count(*) FROM feedwatch.articles", logger: logger)
            .decode(Int64.self) {
            stats.articles = Int(n)
        }
        return stats
    }
}
