public import Archive

/// The seam between the daemon and its archive of record: the file archive (`IngestWorker`
/// over `ArchiveStore`) and PostgreSQL (`ClusterArchive`) both take a batch of articles and say,
/// per item, archived (with its `seq` and kind), duplicate or empty, once the batch is durable.
public protocol ArticleSink: Sendable {
    func append(_ items: [IngestItem]) async throws -> [AppendOutcome]
}

/// A source as `sources sync` writes it (from the config and the OPML).
public struct ClusterSourceRow: Sendable, Hashable {
    public var name: String
    public var url: String
    public var host: String
    public var kind: String
    public var intervalSeconds: Int

    public init(name: String, url: String, host: String, kind: String, intervalSeconds: Int) {
        self.name = name
        self.url = url
        self.host = host
        self.kind = kind
        self.intervalSeconds = intervalSeconds
    }
}

/// What one poll leaves for the next, whichever node makes it: the columns a claim reads and a
/// completion writes (the file daemon keeps the same in `SourceState`).
public struct StoredPollState: Sendable, Hashable {
    public var etag: String?
    public var lastModified: String?
    public var lastStatus: Int?
    public var failures: Int
    public var health: String
    public var lastError: String?
    public var redirectTarget: String?
    public var redirectCount: Int
    public var lastBackoffSeconds: Double?

    public init(etag: String?, lastModified: String?, lastStatus: Int?, failures: Int, health: String, lastError: String?,
                redirectTarget: String?, redirectCount: Int, lastBackoffSeconds: Double?) {
        self.etag = etag
        self.lastModified = lastModified
        self.lastStatus = lastStatus
        self.failures = failures
        self.health = health
        self.lastError = lastError
        self.redirectTarget = redirectTarget
        self.redirectCount = redirectCount
        self.lastBackoffSeconds = lastBackoffSeconds
    }
}

/// A source this node now holds a lease on, with the state the previous poll (by any node) left.
public struct ClaimedSource: Sendable, Hashable {
    public var sourceID: Int64
    public var name: String
    public var url: String
    public var kind: String
    public var intervalSeconds: Int
    /// The fencing token: completion is accepted only while the row still carries it.
    public var token: Int64
    public var state: StoredPollState
    /// How late the claim came, by the database's clock (for `feedwatch_poll_delay_seconds`).
    public var lateSeconds: Double
}

/// What a finished poll writes back to its source row, fenced by the lease's token.
public struct SourceCompletion: Sendable, Hashable {
    public var sourceID: Int64
    public var token: Int64
    public var url: String
    public var state: StoredPollState
    /// Computed in Swift by `Backoff`/`Schedule`; PostgreSQL adds it to its own `now()`.
    public var nextPollSeconds: Double

    public init(sourceID: Int64, token: Int64, url: String, state: StoredPollState, nextPollSeconds: Double) {
        self.sourceID = sourceID
        self.token = token
        self.url = url
        self.state = state
        self.nextPollSeconds = nextPollSeconds
    }
}

/// A batch of polls (and their articles) as committed: the items' outcomes in order, and the
/// sources whose lease had been lost (their articles were not archived).
public struct ClusterCommit: Sendable {
    public var outcomes: [AppendOutcome]
    public var lostSources: Set<Int64>
    public var lastSeq: Int
}

/// `stats` in cluster mode.
public struct ClusterStats: Sendable {
    public struct Node: Sendable {
        public var id: String
        public var hostname: String
        public var version: String
        public var heartbeatAgeSeconds: Double
        public var leasesHeld: Int
        public var leasesLost: Int
    }

    public var nodes: [Node]
    public var sources: Int
    public var disabled: Int
    public var due: Int
    /// Due for more than one interval.
    public var overdue: Int
    public var leased: Int
    public var lastSeq: Int
    public var articles: Int
    public var health: [String: Int]
}
