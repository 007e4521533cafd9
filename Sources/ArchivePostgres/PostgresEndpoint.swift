public import Logging
import PostgresNIO

/// Where the cluster's PostgreSQL is and who we are to it (`[cluster]` in the config).
///
/// A Unix socket directory (`socket_dir`) or a TCP host; the `application_name` names the node
/// in `pg_stat_activity`, so an operator (and the tests) can tell sessions apart.
public struct PostgresEndpoint: Sendable, Hashable {
    public var host: String?
    public var socketDirectory: String?
    public var port: Int
    public var user: String
    public var database: String
    public var password: String?
    public var applicationName: String
    public var maxConnections: Int

    public init(host: String?, socketDirectory: String?, port: Int, user: String, database: String,
                password: String?, applicationName: String, maxConnections: Int) {
        self.host = host
        self.socketDirectory = socketDirectory
        self.port = port
        self.user = user
        self.database = database
        self.password = password
        self.applicationName = applicationName
        self.maxConnections = maxConnections
    }

    /// For logs: never the password.
    public var display: String {
        if let socketDirectory { return "\(user)@\(socketDirectory)/.s.PGSQL.\(port)/\(database)" }
        return "\(user)@\(host ?? "127.0.0.1"):\(port)/\(database)"
    }

    var clientConfiguration: PostgresClient.Configuration {
        var config: PostgresClient.Configuration
        if let socketDirectory {
            config = .init(unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: user,
                           password: password, database: database)
        } else {
            config = .init(host: host ?? "127.0.0.1", port: port, username: user, password: password,
                           database: database, tls: .disable)
        }
        config.options.maximumConnections = max(1, maxConnections)
        config.options.connectTimeout = .seconds(5)
        // A node whose host vanishes while it holds the head lock in an idle transaction is cut off
        // by the server after this (design §7.4); our transactions never idle that long.
        config.options.additionalStartupParameters = [
            ("application_name", applicationName),
            ("idle_in_transaction_session_timeout", "30000"),
        ]
        return config
    }
}

/// One PostgreSQL client (a connection pool) for the call's duration: `PostgresClient.run()`
/// in a child task that ends with the body, so no pool outlives its caller.
public enum ClusterConnection {
    public static func with<Result: Sendable>(
        _ endpoint: PostgresEndpoint, logger: Logger, _ body: (ClusterDatabase) async throws -> Result
    ) async throws -> Result {
        var quiet = logger
        // postgres-nio logs every connection hiccup at error level; ours say what it means.
        quiet.logLevel = max(logger.logLevel, .critical)
        let client = PostgresClient(configuration: endpoint.clientConfiguration, backgroundLogger: quiet)
        let db = ClusterDatabase(client: client, logger: quiet)
        // The pool runs in a child task; the body runs here and, returning or throwing, cancels it.
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(db)
        }
    }
}

/// A failure talking to the cluster's database, with what to do about it.
public struct ClusterError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    /// PostgreSQL's own message when there is one (`PSQLError` prints a generic text otherwise).
    public static func describe(_ error: any Error) -> String {
        if let e = error as? ClusterError { return e.message }
        if let e = error as? PSQLError {
            if let message = e.serverInfo?[.message] { return "PostgreSQL: \(message)" }
            return "PostgreSQL connection: \(e.code)"
        }
        if let e = error as? PostgresTransactionError {
            if let inner = e.closureError { return describe(inner) }
            if let inner = e.commitError { return "COMMIT failed: \(describe(inner))" }
            if let inner = e.beginError { return "BEGIN failed: \(describe(inner))" }
        }
        return "\(error)"
    }
}
