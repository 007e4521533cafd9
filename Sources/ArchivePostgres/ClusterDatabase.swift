public import Foundation
import Logging
import PostgresNIO

/// The cluster's database: one pool, the statements of design §7, nothing else. Every time
/// that matters (due, lease end, next poll) is PostgreSQL's `now()`, so node clocks never do.
public final class ClusterDatabase: Sendable {
    let client: PostgresClient
    let logger: Logger

    init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// `feedwatch db migrate`: the schema version before and after.
    public func migrate() async throws -> (before: Int, after: Int) {
        let before = try await ClusterSchema.migrate(client, logger: logger)
        return (before, ClusterSchema.latest)
    }

    /// Throws a `ClusterError` saying to run `db migrate` when the schema is missing or old.
    public func checkSchema() async throws {
        try await ClusterSchema.check(client, logger: logger)
    }

    // MARK: - Nodes

    /// Registers (or re-registers after a restart) this node for `stats`.
    public func register(node: String, hostname: String, version: String) async throws {
        try await client.query("""
            INSERT INTO feedwatch.nodes (node_id, hostname, version) VALUES (\(node), \(hostname), \(version))
            ON CONFLICT (node_id) DO UPDATE SET hostname = EXCLUDED.hostname, version = EXCLUDED.version,
              started_at = now(), heartbeat_at = now()
            """, logger: logger)
    }

    public func heartbeat(node: String) async throws {
        try await client.query("UPDATE feedwatch.nodes SET heartbeat_at = now() WHERE node_id = \(node)", logger: logger)
    }

    /// PostgreSQL's clock: the start of a `once` pass, compared with `polled_at` only.
    public func now() async throws -> Date {
        for try await (d) in try await client.query("SELECT now()", logger: logger).decode(Date.self) { return d }
        throw ClusterError("SELECT now() returned no row")
    }

    // MARK: - Sources

    /// `feedwatch sources sync` (design §7.7): one transaction under an advisory lock; a changed
    /// URL starts afresh (validators, redirects, failures reset); names not given are disabled,
    /// never deleted. Returns (added or changed, disabled).
    public func syncSources(_ sources: [ClusterSourceRow]) async throws -> (upserted: Int, disabled: Int) {
        let names = sources.map(\.name), urls = sources.map(\.url), hosts = sources.map(\.host)
        let kinds = sources.map(\.kind), intervals = sources.map { Int64($0.intervalSeconds) }
        return try await client.withTransaction(logger: logger) { conn in
            try await conn.query("SELECT pg_advisory_xact_lock(hashtext('feedwatch.sources.sync'))", logger: logger)
            var upserted = 0
            let rows = try await conn.query("""
                INSERT INTO feedwatch.sources (name, url, configured_url, host, kind, interval_s)
                SELECT n, u, u, h, k, i FROM unnest(\(names)::text[], \(urls)::text[], \(hosts)::text[], \(kinds)::text[], \(intervals)::int8[]) AS t(n, u, h, k, i)
                ON CONFLICT (name) DO UPDATE SET
                  url = CASE WHEN sources.configured_url = EXCLUDED.configured_url THEN sources.url ELSE EXCLUDED.url END,
                  etag = CASE WHEN sources.configured_url = EXCLUDED.configured_url THEN sources.etag END,
                  last_modified = CASE WHEN sources.configured_url = EXCLUDED.configured_url THEN sources.last_modified END,
                  redirect_target = CASE WHEN sources.configured_url = EXCLUDED.configured_url THEN sources.redirect_target END,
                  redirect_count = CASE WHEN sources.configured_url = EXCLUDED.configured_url THEN sources.redirect_count ELSE 0 END,
                  failures = CASE WHEN sources.configured_url = EXCLUDED.configured_url THEN sources.failures ELSE 0 END,
                  health = CASE WHEN sources.configured_url = EXCLUDED.configured_url THEN sources.health ELSE 'ok' END,
                  next_poll_at = CASE WHEN sources.configured_url = EXCLUDED.configured_url AND NOT sources.disabled
                                      THEN least(sources.next_poll_at, now() + make_interval(secs => EXCLUDED.interval_s))
                                      ELSE now() END,
                  configured_url = EXCLUDED.configured_url, host = EXCLUDED.host, kind = EXCLUDED.kind,
                  interval_s = EXCLUDED.interval_s, disabled = false
                WHERE (sources.configured_url, sources.host, sources.kind, sources.interval_s, sources.disabled)
                      IS DISTINCT FROM (EXCLUDED.configured_url, EXCLUDED.host, EXCLUDED.kind, EXCLUDED.interval_s, false)
                RETURNING source_id
                """, logger: logger)
            for try await _ in rows { upserted += 1 }
            var disabled = 0
            for try await _ in try await conn.query("""
                UPDATE feedwatch.sources SET disabled = true, lease_owner = NULL, lease_until = NULL
                WHERE NOT disabled AND NOT (name = ANY(\(names)::text[])) RETURNING source_id
                """, logger: logger) { disabled += 1 }
            return (upserted, disabled)
        }
    }

    /// The claim (design §7.2), one autocommit statement: up to `limit` due sources whose lease
    /// is free, locked with `SKIP LOCKED` so concurrent claimers never wait for each other nor
    /// take the same row. `polledBefore` (a `once` pass) ignores the schedule but still skips live
    /// leases and sources polled since the pass began.
    public func claim(node: String, limit: Int, leaseSeconds: Double, polledBefore: Date? = nil) async throws -> [ClaimedSource] {
        guard limit > 0 else { return [] }
        let ignoreSchedule = polledBefore != nil
        let since = polledBefore ?? Date(timeIntervalSince1970: 0)
        let rows = try await client.query("""
            WITH due AS (
              SELECT source_id FROM feedwatch.sources
              WHERE NOT disabled
                AND (next_poll_at <= now() OR (\(ignoreSchedule) AND (polled_at IS NULL OR polled_at < \(since))))
                AND (lease_until IS NULL OR lease_until < now())
              ORDER BY next_poll_at, source_id
              LIMIT \(Int64(limit))
              FOR UPDATE SKIP LOCKED
            )
            UPDATE feedwatch.sources s
            SET lease_owner = \(node), lease_until = now() + make_interval(secs => \(leaseSeconds)),
                lease_token = s.lease_token + 1
            FROM due WHERE s.source_id = due.source_id
            RETURNING s.source_id, s.name, s.url, s.kind, s.interval_s, s.lease_token, s.etag, s.last_modified,
                      s.last_status, s.failures, s.health, s.last_error, s.redirect_target, s.redirect_count,
                      s.last_backoff_s, extract(epoch FROM now() - s.next_poll_at)::float8
            """, logger: logger)
        var claimed: [ClaimedSource] = []
        for try await row in rows {
            let (id, name, url, kind, interval, token, etag, modified, status, failures, health, error, target, count,
                 backoff, delay) = try row.decode((Int64, String, String, String, Int, Int64, String?, String?, Int?, Int,
                                                   String, String?, String?, Int, Double?, Double).self)
            claimed.append(ClaimedSource(
                sourceID: id, name: name, url: url, kind: kind, intervalSeconds: interval, token: token,
                state: StoredPollState(etag: etag, lastModified: modified, lastStatus: status, failures: failures,
                                       health: health, lastError: error, redirectTarget: target, redirectCount: count,
                                       lastBackoffSeconds: backoff),
                lateSeconds: delay))
        }
        return claimed
    }
}

extension ClusterDatabase {
    /// A node stopping gracefully hands its leases back, so the sources are not left waiting
    /// for the TTL (a killed node's leases simply expire).
    public func releaseLeases(node: String) async throws {
        try await client.query(
            "UPDATE feedwatch.sources SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = \(node)", logger: logger)
    }
}
