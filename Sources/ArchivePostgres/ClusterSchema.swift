import Logging
import PostgresNIO

/// The versioned schema (design §7.1). Each step runs once, in order, in one transaction under
/// an advisory lock, so `feedwatch db migrate` on three nodes at once is safe and idempotent.
///
/// Departures from the design, each for a reason: `etag`/`last_modified` are `text` because
/// the file mode keeps them as strings too (SPEC §8: echoed byte for byte, and a header value
/// is a string by then); `configured_url` is kept beside `url` so that a URL rewritten after
/// permanent redirects is not mistaken for a config change by `sources sync`; the redirect and
/// backoff memory (`redirect_target`, `last_backoff_s`) is what `SourceState` keeps in the file.
enum ClusterSchema {
    static let steps: [[String]] = [
        [
            "CREATE SCHEMA IF NOT EXISTS feedwatch",
            """
            CREATE TABLE feedwatch.sources (
              source_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
              name          text NOT NULL UNIQUE,
              url           text NOT NULL,
              configured_url text NOT NULL,
              host          text NOT NULL,
              kind          text NOT NULL DEFAULT 'auto',
              interval_s    integer NOT NULL DEFAULT 900 CHECK (interval_s > 0),
              next_poll_at  timestamptz NOT NULL DEFAULT now(),
              lease_owner   text,
              lease_until   timestamptz,
              lease_token   bigint NOT NULL DEFAULT 0,
              etag          text,
              last_modified text,
              last_status   integer,
              failures      integer NOT NULL DEFAULT 0,
              health        text NOT NULL DEFAULT 'ok',
              last_error    text,
              redirect_target text,
              redirect_count integer NOT NULL DEFAULT 0,
              last_backoff_s double precision,
              polled_at     timestamptz,
              polled_by     text,
              disabled      boolean NOT NULL DEFAULT false
            )
            """,
            "CREATE INDEX sources_due_idx ON feedwatch.sources (next_poll_at) WHERE NOT disabled",
            """
            CREATE TABLE feedwatch.archive_head (
              id       smallint PRIMARY KEY CHECK (id = 1),
              last_seq bigint NOT NULL CHECK (last_seq >= 0)
            )
            """,
            "INSERT INTO feedwatch.archive_head VALUES (1, 0)",
            """
            CREATE TABLE feedwatch.articles (
              seq          bigint NOT NULL UNIQUE,
              id           text PRIMARY KEY CHECK (id ~ '^sha256:[0-9a-f]{64}$'),
              line         text NOT NULL,
              source_name  text NOT NULL,
              fetched_at   timestamptz NOT NULL,
              node_id      text NOT NULL,
              committed_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE TABLE feedwatch.identities (
              source_name text NOT NULL,
              ident       text NOT NULL,
              article_id  text NOT NULL REFERENCES feedwatch.articles(id),
              PRIMARY KEY (source_name, ident)
            )
            """,
            """
            CREATE TABLE feedwatch.nodes (
              node_id text PRIMARY KEY, hostname text NOT NULL, version text NOT NULL,
              started_at timestamptz NOT NULL DEFAULT now(), heartbeat_at timestamptz NOT NULL DEFAULT now(),
              leases_lost bigint NOT NULL DEFAULT 0
            )
            """,
        ],
    ]

    static var latest: Int { steps.count }

    /// Brings the schema to `latest`; returns the version found before.
    static func migrate(_ client: PostgresClient, logger: Logger) async throws -> Int {
        try await client.withTransaction(logger: logger) { conn in
            try await conn.query("SELECT pg_advisory_xact_lock(hashtext('feedwatch.migrate'))", logger: logger)
            try await conn.query("CREATE SCHEMA IF NOT EXISTS feedwatch", logger: logger)
            try await conn.query("CREATE TABLE IF NOT EXISTS feedwatch.schema_version (version int NOT NULL)", logger: logger)
            var found = 0
            for try await (v) in try await conn.query("SELECT max(version) FROM feedwatch.schema_version", logger: logger)
                .decode(Int?.self) {
                found = v ?? 0
            }
            guard found <= latest else {
                throw ClusterError("the database's schema is version \(found), newer than this feedwatch knows (\(latest)): upgrade feedwatch")
            }
            for version in (found + 1)..<(latest + 1) where version >= 1 {
                for statement in steps[version - 1] {
                    try await conn.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
            }
            if found < latest {
                try await conn.query("DELETE FROM feedwatch.schema_version", logger: logger)
                try await conn.query("INSERT INTO feedwatch.schema_version VALUES (\(latest))", logger: logger)
            }
            return found
        }
    }

    /// Refuses to run against a database `db migrate` has not prepared.
    static func check(_ client: PostgresClient, logger: Logger) async throws {
        var version: Int?
        do {
            for try await (v) in try await client.query("SELECT max(version) FROM feedwatch.schema_version", logger: logger)
                .decode(Int?.self) { version = v }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42P01" {
            version = nil
        }
        guard let version, version == latest else {
            throw ClusterError("the database has no feedwatch schema (version \(latest)); run `feedwatch db migrate` first")
        }
    }
}
