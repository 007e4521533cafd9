/// Limits and identity for every request a client makes (SPEC §8, §10 `[http]`).
///
/// Defaults match the documented config defaults so a caller that only sets `userAgent`
/// behaves like the daemon.
public struct HTTPClientConfiguration: Sendable {
    /// `feedwatch/<version> (+contact)`. The caller passes it because FeedFetch cannot see
    /// the version, which lives in FeedWatchCore.
    public var userAgent: String
    public var connectTimeout: Duration
    /// The whole transfer, redirects included.
    public var timeout: Duration
    /// A transfer slower than `lowSpeedLimit` bytes/s for `lowSpeedTime` is aborted before the
    /// total timeout: a server dripping a feed ties up a connection slot for nothing.
    public var lowSpeedLimit: Int
    public var lowSpeedTime: Duration
    /// Decoded body bytes; a transfer that would exceed it is aborted (gzip bombs included).
    public var maxBodyBytes: Int
    public var maxRedirects: Int
    /// Transfers running at once; the rest wait in the client's queue, where their timeouts
    /// have not started yet.
    public var maxConcurrentRequests: Int
    /// Connections (and running transfers) per host, so a burst of sources on one server
    /// neither overloads it nor overflows a small listen backlog.
    public var maxConnectionsPerHost: Int

    public init(userAgent: String,
                connectTimeout: Duration = .seconds(10),
                timeout: Duration = .seconds(30),
                lowSpeedLimit: Int = 64,
                lowSpeedTime: Duration = .seconds(20),
                maxBodyBytes: Int = 10 << 20,
                maxRedirects: Int = 5,
                maxConcurrentRequests: Int = 16,
                maxConnectionsPerHost: Int = 2) {
        self.userAgent = userAgent
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.lowSpeedLimit = lowSpeedLimit
        self.lowSpeedTime = lowSpeedTime
        self.maxBodyBytes = maxBodyBytes
        self.maxRedirects = maxRedirects
        self.maxConcurrentRequests = maxConcurrentRequests
        self.maxConnectionsPerHost = maxConnectionsPerHost
    }
}

extension Duration {
    /// Whole milliseconds, rounded up so that a sub-millisecond limit is not "no limit" (0).
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        let ms = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int(clamping: ms)
    }
}
