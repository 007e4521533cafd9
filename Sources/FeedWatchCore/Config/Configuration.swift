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

    /// Where the configuration came from, for logs and `stats` ("built-in defaults" or a path).
    public var origin: String
    public var stateDirectory: FilePath
    public var logLevel: Logger.Level
    public var archive: Archive
    public var inbox: Inbox
    public var http: HTTP
    public var opml: FilePath?
    /// `[[source]]` entries first, then the OPML outlines, in file order.
    public var sources: [SourceConfig]

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
            opml: nil,
            sources: []
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

    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String
    }

    public static let defaultInterval: Duration = .seconds(15 * 60)
    public static let minimumInterval: Duration = .seconds(60)
}
