import Foundation
public import SystemPackage
import TOMLKit

/// `[cluster]` (design §7.9): where the shared PostgreSQL is and how this node takes part.
public struct ClusterSettings: Sendable, Hashable {
    /// Names this node in leases, `polled_by`, `node_id` and `stats`; default: the host name.
    public var nodeID: String
    /// TCP host, or (when `socketDirectory` is set) unused.
    public var host: String
    /// A Unix socket directory (`socket_dir`): `<dir>/.s.PGSQL.<port>`.
    public var socketDirectory: FilePath?
    public var port: Int
    public var user: String
    public var database: String
    /// A file holding the password (its first line), never the password itself in the config.
    public var passwordFile: FilePath?
    /// How long a claim holds a source: longer than the slowest poll (connect + `http.timeout`).
    public var leaseTTL: Duration
    /// How often a node claims due sources (also whenever fetch slots free up).
    public var claimInterval: Duration
    public var maxConnections: Int

    public static func defaults(nodeID: String) -> ClusterSettings {
        ClusterSettings(nodeID: nodeID, host: "127.0.0.1", socketDirectory: nil, port: 5432, user: "feedwatch",
                        database: "feedwatch", passwordFile: nil, leaseTTL: .seconds(120), claimInterval: .seconds(1),
                        maxConnections: 6)
    }

    /// The host name, as the default node id.
    static var hostName: String {
        ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "node"
    }
}

extension ConfigReader {
    /// Reads `[cluster]`; every key is optional, every value checked (unknown keys reported by the caller).
    mutating func readCluster(_ scope: inout TableScope) -> ClusterSettings {
        var c = ClusterSettings.defaults(nodeID: ClusterSettings.hostName)
        if let id = string(&scope, "cluster.node_id") {
            if id.isEmpty || id.count > 64 || !id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) {
                fail(scope, "node_id", "\"\(id)\" must be 1 to 64 letters, digits, '-', '_' or '.'", shown: "cluster.node_id")
            } else {
                c.nodeID = id
            }
        }
        if let host = string(&scope, "cluster.host") {
            if host.isEmpty || host.contains(where: { $0.isWhitespace || $0 == "/" }) {
                fail(scope, "host", "\"\(host)\" is not a host name or address (for a Unix socket, use socket_dir)", shown: "cluster.host")
            } else {
                c.host = host
            }
        }
        if let dir = string(&scope, "cluster.socket_dir") {
            if scope.table.contains(key: "host") {
                fail(scope, "socket_dir", "set either host or socket_dir, not both", shown: "cluster.socket_dir")
            }
            c.socketDirectory = resolve(dir)
        }
        if let n = integer(&scope, "cluster.port", min: 1, max: 65535) { c.port = n }
        if let user = string(&scope, "cluster.user") {
            if user.isEmpty { fail(scope, "user", "must not be empty", shown: "cluster.user") } else { c.user = user }
        }
        if let db = string(&scope, "cluster.database") {
            if db.isEmpty { fail(scope, "database", "must not be empty", shown: "cluster.database") } else { c.database = db }
        }
        if let file = string(&scope, "cluster.password_file") { c.passwordFile = resolve(file) }
        if let d = clusterDuration(&scope, "lease_ttl", min: .seconds(1)) { c.leaseTTL = d }
        if let d = clusterDuration(&scope, "claim_interval", min: .milliseconds(50)) { c.claimInterval = d }
        if let n = integer(&scope, "cluster.max_connections", min: 2, max: 100) { c.maxConnections = n }
        if c.claimInterval >= c.leaseTTL {
            fail(scope, "claim_interval", "must be shorter than lease_ttl (\(ClusterSettings.format(c.leaseTTL)))",
                 shown: "cluster.claim_interval")
        }
        return c
    }

    /// The config's durations, plus milliseconds ("250ms") for the claim interval.
    private mutating func clusterDuration(_ scope: inout TableScope, _ key: String, min: Duration) -> Duration? {
        let shown = "cluster.\(key)"
        if let text = scope.table[key]?.string, text.hasSuffix("ms") {
            scope.consume(key)
            guard let n = Int64(text.dropLast(2)), n >= 0 else {
                fail(scope, key, "\"\(text)\" is not a duration like \"250ms\", \"30s\" or \"2m\"", shown: shown)
                return nil
            }
            let d = Duration.milliseconds(n)
            guard d >= min else {
                fail(scope, key, "\"\(text)\" is too short: the minimum is \(ClusterSettings.format(min))", shown: shown)
                return nil
            }
            return d
        }
        return duration(&scope, shown, min: min)
    }
}

extension ClusterSettings {
    static func format(_ d: Duration) -> String {
        let ms = d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
        return ms % 1000 == 0 ? ConfigDuration.format(d) : "\(ms)ms"
    }

    var leaseSeconds: Double { Double(leaseTTL.components.seconds) + Double(leaseTTL.components.attoseconds) / 1e18 }
}
