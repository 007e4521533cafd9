public import FeedFetch

extension HTTPClientConfiguration {
    /// The client the daemon polls with, from `[http]` (SPEC §10).
    public init(_ http: Configuration.HTTP) {
        self.init(userAgent: http.userAgent, connectTimeout: http.connectTimeout, timeout: http.timeout,
                  maxBodyBytes: http.maxBytes, maxConcurrentRequests: http.concurrency,
                  maxConnectionsPerHost: http.perHost)
    }
}
