public import Logging
public import SystemPackage

/// The validated daemon configuration (SPEC §10), paths already resolved to absolute ones.
public struct Configuration: Sendable, Hashable {
    public struct Archive: Sendable, Hashable {
        public var path: FilePath
        public var segmentBytes: Int
    }

    public struct Inbox: Sendable, Hashable {
        public var path: FilePath
        public var processed: FilePath
        public var failed: FilePath
        public var maxBytes: Int
    }

    public struct HTTP: Sendable, Hashable {
        public var userAgent: String
        public var connectTimeout: Duration
        public var timeout: Duration
        public var maxBytes: Int
        public var concurrency: Int
        public var perHost: Int
    }

    /// `[metrics]`: where the Prometheus exposition goes; nothing is exported when both are unset.
    public struct Metrics: Sendable, Hashable {
        /// A node_exporter textfile (`*.prom`), replaced atomically every `textfileInterval` and at exit.
        public var textfile: FilePath?
        public var textfileInterval: Duration
        /// `HOST:PORT` on a loopback address for `GET /metrics`; port 0 picks a free one (logged).
        public var listen: MetricsListenAddress?
    }

    /// Where the configuration came from, for logs and `stats` ("built-in defaults" or a path).
    public var origin: String
    public var stateDirectory: FilePath
    public var logLevel: Logger.Level
    public var archive: Archive
    public var inbox: Inbox
    public var http: HTTP
    public var metrics: Metrics
    public var opml: FilePath?
    /// `[[source]]` entries first, then the OPML outlines, in file order.
    public var sources: [SourceConfig]
    /// `[cluster]`: PostgreSQL as the archive of record, shared with other nodes
    /// (`ClusterSettings`); `nil` is single-machine mode, exactly as without the section.
    public var cluster: ClusterSettings?

    /// The built-in defaults, with relative paths resolved against `base`.
    public static func defaults(base: FilePath) -> Configuration {
        Configuration(
            origin: "built-in defaults",
            stateDirectory: base.pushing("var/state"),
            logLevel: .info,
            archive: Archive(path: base.pushing("var/archive/articles.jsonl"), segmentBytes: 256 << 20),
            inbox: Inbox(
                path: base.pushing("var/inbox"), processed: base.pushing("var/processed"),
                failed: base.pushing("var/failed"), maxBytes: 20 << 20
            ),
            http: HTTP(
                userAgent: "feedwatch/\(FeedWatchVersion.current) (+https://github.com/feedwatch/feedwatch)",
                connectTimeout: .seconds(10), timeout: .seconds(30), maxBytes: 10 << 20,
                concurrency: 16, perHost: 2
            ),
            metrics: Metrics(textfile: nil, textfileInterval: .seconds(15), listen: nil),
            opml: nil,
            sources: [],
            cluster: nil
        )
    }
}

/// One URL source (SPEC §8), from `[[source]]` or an OPML outline.
public struct SourceConfig: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case auto, feed, page
    }

    public struct BasicAuth: Sendable, Hashable {
        public var username: String
        public var password: String
    }

    public var name: String
    public var url: String
    public var kind: Kind
    public var interval: Duration
    /// Extra request headers, in the order written (order matters to nobody but keeps logs stable).
    public var headers: [Header]
    public var basicAuth: BasicAuth?
    /// `full_text`: whether entries' linked pages are fetched and extracted (`FullTextStage`).
    public var fullText: FullTextMode = .never

    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String
    }

    public static let defaultInterval: Duration = .seconds(15 * 60)
    public static let minimumInterval: Duration = .seconds(60)
}

/// `[metrics] listen`: a loopback host (`127.0.0.1`, another `127.x.y.z`, `::1`, `localhost`) and a port.
public struct MetricsListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    /// `nil` and what is wrong, for `check-config`.
    public static func parse(_ text: String) -> Result<MetricsListenAddress, ConfigProblem> {
        let host: Substring, portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                return .failure(ConfigProblem("\"\(text)\" is not HOST:PORT"))
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return .failure(ConfigProblem("\"\(text)\" is not HOST:PORT")) }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard let port = Int(portText), (0...65535).contains(port) else {
            return .failure(ConfigProblem("\"\(text)\": the port must be 0 to 65535"))
        }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        let isLoopbackV4 = octets.count == 4 && octets.first == "127" && octets.allSatisfy { UInt8($0) != nil }
        guard isLoopbackV4 || host == "::1" || host == "localhost" else {
            return .failure(ConfigProblem("\"\(text)\": metrics are served on a loopback address only (127.0.0.1, ::1 or localhost)"))
        }
        return .success(MetricsListenAddress(host: host == "localhost" ? "127.0.0.1" : String(host), port: port))
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// One thing wrong with a config value, as `check-config` reports it after the key.
public struct ConfigProblem: Error, Sendable, Hashable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
