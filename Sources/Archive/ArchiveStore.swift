public import FeedModel
public import Logging
public import SystemPackage

/// Where the archive and its bookkeeping live.
public struct ArchiveOptions: Sendable {
    /// The live segment, e.g. `var/archive/articles.jsonl`; older segments sit beside it.
    public var archivePath: FilePath
    /// Holds the dedup index and the lock file.
    public var stateDirectory: FilePath
    /// Start a new segment once the live one is past this size.
    public var segmentBytes: Int

    public init(archivePath: FilePath, stateDirectory: FilePath, segmentBytes: Int = 256 << 20) {
        self.archivePath = archivePath
        self.stateDirectory = stateDirectory
        self.segmentBytes = segmentBytes
    }
}

/// An article on its way into the archive, with where and when it was ingested.
public struct IngestItem: Sendable {
    public var article: Article
    public var source: ArticleSource
    public var fetchedAt: Timestamp

    public init(article: Article, source: ArticleSource, fetchedAt: Timestamp) {
        self.article = article
        self.source = source
        self.fetchedAt = fetchedAt
    }
}

/// What happened to one `IngestItem`.
public enum AppendOutcome: Sendable, Hashable {
    case archived(seq: Int, id: String, kind: ArticleRecord.Kind)
    case duplicate(id: String)
    /// No title and no text: nothing to hash, nothing archived (SPEC §4).
    case empty
}

/// Figures for `feedwatch stats`.
public struct ArchiveStats: Sendable, Hashable {
    public var records: Int = 0
    public var lastSeq: Int = 0
    public var segments: Int = 0
    public var bytes: Int64 = 0
    public var distinctIDs: Int = 0
    public var identities: Int = 0
    public var duplicatesSuppressed: Int = 0

    public init() {}
}

/// Why the archive could not be opened or written; carries the errno and the path.
public struct ArchiveError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// The single writer of the archive: lock, torn-tail repair, dedup index, segments, fsync.
/// Not `Sendable`: one task owns it for the daemon's lifetime.
public final class ArchiveStore {
    public static func open(_ options: ArchiveOptions, logger: Logger) throws(ArchiveError) -> ArchiveStore {
        throw ArchiveError("archive not implemented yet")
    }

    /// Archives the items that are not duplicates, in order, with one fsync for the batch;
    /// returns once they are durable, so the caller may acknowledge the inputs.
    public func append(_ items: [IngestItem]) throws(ArchiveError) -> [AppendOutcome] {
        throw ArchiveError("archive not implemented yet")
    }

    public func stats() -> ArchiveStats { ArchiveStats() }

    /// Figures without taking the writer lock (`feedwatch stats` while the daemon runs).
    public static func inspect(_ options: ArchiveOptions) throws(ArchiveError) -> ArchiveStats {
        throw ArchiveError("archive not implemented yet")
    }

    /// Flushes the index and releases the lock.
    public func close() {}
}
