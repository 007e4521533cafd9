public import Archive
import FeedModel
import Foundation
import Logging
import PostgresNIO

/// PostgreSQL as the archive of record: global dedup by id (the primary key) and one gapless,
/// commit-ordered `seq` (design §7.4), with the polls' fenced completions (§7.3) in the same
/// transaction, so a source's validators are never saved without its articles, nor its
/// articles archived by a node that lost its lease.
public struct ClusterArchive: ArticleSink {
    public let database: ClusterDatabase
    public let node: String

    public init(database: ClusterDatabase, node: String) {
        self.database = database
        self.node = node
    }

    /// Inbox files: articles only.
    public func append(_ items: [IngestItem]) async throws -> [AppendOutcome] {
        try await commit([(nil, items)]).outcomes
    }

    /// One transaction for a batch of polls (or inbox files: `completion == nil`). A poll whose
    /// lease was lost (its token no longer on the row) is fenced: its articles are dropped (their
    /// outcomes `.empty`) and its source id is in `lostSources`; the rest commits. The design
    /// rolls the whole batch back instead; dropping only the fenced polls keeps the others' work,
    /// and is just as exact because the fencing UPDATE and the inserts share the transaction.
    public func commit(_ polls: [(completion: SourceCompletion?, items: [IngestItem])]) async throws -> ClusterCommit {
        let logger = database.logger
        let node = self.node
        return try await database.client.withTransaction(logger: logger) { conn in
            let completions = polls.compactMap(\.completion)
            var lost = Set<Int64>()
            if !completions.isEmpty {
                let accepted = try await Self.complete(completions, node: node, on: conn, logger: logger)
                lost = Set(completions.map(\.sourceID)).subtracting(accepted)
            }
            var outcomes: [AppendOutcome] = []
            var candidates: [(index: Int, item: IngestItem)] = []
            for (completion, items) in polls {
                let fenced = completion.map { lost.contains($0.sourceID) } ?? false
                for item in items {
                    if fenced || item.article.isEmpty {
                        outcomes.append(.empty)
                    } else {
                        candidates.append((outcomes.count, item))
                        outcomes.append(.empty)
                    }
                }
            }
            guard !candidates.isEmpty else {
                return ClusterCommit(outcomes: outcomes, lostSources: lost, lastSeq: 0)
            }
            let last = try await Self.append(candidates, into: &outcomes, node: node, on: conn, logger: logger)
            return ClusterCommit(outcomes: outcomes, lostSources: lost, lastSeq: last)
        }
    }

    /// The append under the head lock (design §7.4 steps 1–5 and 7). Returns the new last seq.
    private static func append(_ candidates: [(index: Int, item: IngestItem)], into outcomes: inout [AppendOutcome],
                               node: String, on conn: PostgresConnection, logger: Logger) async throws -> Int {
        // 1. The one serialization point, in its own statement: the statements after it take new
        //    snapshots (READ COMMITTED) that see everything the previous holder committed.
        var lastSeq = 0
        for try await (seq) in try await conn.query(
            "SELECT last_seq FROM feedwatch.archive_head WHERE id = 1 FOR UPDATE", logger: logger).decode(Int64.self) {
            lastSeq = Int(seq)
        }
        // 2. Which ids exist, and the identities' latest ids.
        let ids = candidates.map { $0.item.article.id }
        var known = Set<String>()
        for try await (id) in try await conn.query(
            "SELECT id FROM feedwatch.articles WHERE id = ANY(\(ids)::text[])", logger: logger).decode(String.self) {
            known.insert(id)
        }
        let keys = candidates.map { identity(of: $0.item) }
        let keyed = keys.compactMap { $0 }
        var latest: [IdentityRef: String] = [:]
        if !keyed.isEmpty {
            let sources = keyed.map(\.source), idents = keyed.map(\.ident)
            for try await (source, ident, article) in try await conn.query("""
                SELECT i.source_name, i.ident, i.article_id FROM feedwatch.identities i
                JOIN unnest(\(sources)::text[], \(idents)::text[]) AS k(s, i2) ON i.source_name = k.s AND i.ident = k.i2
                """, logger: logger).decode((String, String, String).self) {
                latest[IdentityRef(source: source, ident: ident)] = article
            }
        }
        // Swift: drop known ids (and repeats within the batch), number the rest, build the lines
        // with the same writer as the file archive, so the bytes match.
        var seqs: [Int64] = [], newIDs: [String] = [], lines: [String] = [], names: [String] = []
        var fetched: [Date] = [], nodes: [String] = []
        var identities: [IdentityRef: String] = [:]
        for (n, candidate) in candidates.enumerated() {
            let item = candidate.item
            let id = ids[n]
            guard known.insert(id).inserted else {
                outcomes[candidate.index] = .duplicate(id: id)
                continue
            }
            let previous = keys[n].flatMap { identities[$0] ?? latest[$0] }
            let seq = lastSeq + seqs.count + 1
            let kind: ArticleRecord.Kind = previous == nil ? .new : .updated
            var line = ArticleRecord(seq: seq, kind: kind, article: item.article, source: item.source,
                                     fetchedAt: item.fetchedAt, previousID: previous).jsonLine(id: id)
            if line.hasSuffix("\n") { line.removeLast() }
            seqs.append(Int64(seq))
            newIDs.append(id)
            lines.append(line)
            names.append(item.source.name)
            fetched.append(Date(timeIntervalSince1970: TimeInterval(item.fetchedAt.secondsSince1970)))
            nodes.append(node)
            if let key = keys[n] { identities[key] = id }
            outcomes[candidate.index] = .archived(seq: seq, id: id, kind: kind)
        }
        guard !seqs.isEmpty else { return lastSeq }
        // 3. The insert; ON CONFLICT cannot fire under the lock, but if it ever did the count
        //    check throws and the transaction rolls back rather than leave a gap.
        var inserted = 0
        for try await _ in try await conn.query("""
            INSERT INTO feedwatch.articles (seq, id, line, source_name, fetched_at, node_id)
            SELECT * FROM unnest(\(seqs)::int8[], \(newIDs)::text[], \(lines)::text[], \(names)::text[],
                                 \(fetched)::timestamptz[], \(nodes)::text[])
            ON CONFLICT (id) DO NOTHING RETURNING seq
            """, logger: logger) { inserted += 1 }
        guard inserted == seqs.count else {
            throw ClusterError("the archive insert wrote \(inserted) of \(seqs.count) rows; rolled back")
        }
        // 4. Identity aliases, last one per key.
        if !identities.isEmpty {
            let refs = Array(identities)
            let sources = refs.map(\.key.source), idents = refs.map(\.key.ident), articles = refs.map(\.value)
            try await conn.query("""
                INSERT INTO feedwatch.identities (source_name, ident, article_id)
                SELECT * FROM unnest(\(sources)::text[], \(idents)::text[], \(articles)::text[])
                ON CONFLICT (source_name, ident) DO UPDATE SET article_id = EXCLUDED.article_id
                """, logger: logger)
        }
        // 5 and 7. The head moves; the notification is delivered on COMMIT only.
        let newLast = Int64(lastSeq + seqs.count)
        try await conn.query("""
            WITH h AS (UPDATE feedwatch.archive_head SET last_seq = \(newLast) WHERE id = 1 RETURNING last_seq)
            SELECT pg_notify('feedwatch_archive', last_seq::text) FROM h
            """, logger: logger)
        return Int(newLast)
    }

    /// The fenced completion (design §7.3) for a batch of polls, in one statement: a row is
    /// updated only while it still carries this node's lease and token. Returns the accepted ids.
    private static func complete(_ completions: [SourceCompletion], node: String, on conn: PostgresConnection,
                                 logger: Logger) async throws -> Set<Int64> {
        let ids = completions.map(\.sourceID), tokens = completions.map(\.token), urls = completions.map(\.url)
        let next = completions.map(\.nextPollSeconds)
        let c = completions.map(\.state)
        // postgres-nio binds no NULL inside an array: each nullable column travels with a mask.
        let etags = c.map { $0.etag ?? "" }, etagNull = c.map { $0.etag == nil }
        let mods = c.map { $0.lastModified ?? "" }, modNull = c.map { $0.lastModified == nil }
        let statuses = c.map { Int64($0.lastStatus ?? 0) }, statusNull = c.map { $0.lastStatus == nil }
        let failures = c.map { Int64($0.failures) }, health = c.map(\.health)
        let errors = c.map { $0.lastError ?? "" }, errorNull = c.map { $0.lastError == nil }
        let targets = c.map { $0.redirectTarget ?? "" }, targetNull = c.map { $0.redirectTarget == nil }
        let counts = c.map { Int64($0.redirectCount) }
        let backoffs = c.map { $0.lastBackoffSeconds ?? 0 }, backoffNull = c.map { $0.lastBackoffSeconds == nil }
        var accepted = Set<Int64>()
        for try await (id) in try await conn.query("""
            UPDATE feedwatch.sources s SET
              url = c.url,
              etag = CASE WHEN c.etag_null THEN NULL ELSE c.etag END,
              last_modified = CASE WHEN c.mod_null THEN NULL ELSE c.mod END,
              last_status = CASE WHEN c.status_null THEN NULL ELSE c.status END,
              failures = c.failures, health = c.health,
              last_error = CASE WHEN c.error_null THEN NULL ELSE c.error END,
              redirect_target = CASE WHEN c.target_null THEN NULL ELSE c.target END,
              redirect_count = c.count,
              last_backoff_s = CASE WHEN c.backoff_null THEN NULL ELSE c.backoff END,
              next_poll_at = now() + make_interval(secs => c.next),
              polled_at = now(), polled_by = s.lease_owner, lease_owner = NULL, lease_until = NULL
            FROM unnest(\(ids)::int8[], \(tokens)::int8[], \(urls)::text[], \(etags)::text[], \(etagNull)::bool[],
                        \(mods)::text[], \(modNull)::bool[], \(statuses)::int8[], \(statusNull)::bool[],
                        \(failures)::int8[], \(health)::text[], \(errors)::text[], \(errorNull)::bool[],
                        \(targets)::text[], \(targetNull)::bool[], \(counts)::int8[], \(backoffs)::float8[],
                        \(backoffNull)::bool[], \(next)::float8[])
              AS c(id, token, url, etag, etag_null, mod, mod_null, status, status_null, failures, health, error,
                   error_null, target, target_null, count, backoff, backoff_null, next)
            WHERE s.source_id = c.id AND s.lease_owner = \(node) AND s.lease_token = c.token
            RETURNING s.source_id
            """, logger: logger).decode(Int64.self) {
            accepted.insert(id)
        }
        if accepted.count < completions.count {
            let lostCount = Int64(completions.count - accepted.count)
            try await conn.query("UPDATE feedwatch.nodes SET leases_lost = leases_lost + \(lostCount) WHERE node_id = \(node)",
                                 logger: logger)
        }
        return accepted
    }

    /// SPEC §5 identity: the source's name with the guid, else the url (empty counts as absent,
    /// as in the file archive's `IdentityKey`).
    struct IdentityRef: Hashable {
        var source: String
        var ident: String
    }

    static func identity(of item: IngestItem) -> IdentityRef? {
        if let guid = item.article.guid, !guid.isEmpty { return IdentityRef(source: item.source.name, ident: "g:" + guid) }
        if let url = item.article.url, !url.isEmpty { return IdentityRef(source: item.source.name, ident: "u:" + url) }
        return nil
    }
}
