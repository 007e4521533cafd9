import Archive
import ArchivePostgres

/// The file archive behind the seam it shares with PostgreSQL (`ClusterArchive`): the same
/// append, dedup and fsync as `archive(_:)`.
extension IngestWorker: ArticleSink {
    func append(_ items: [IngestItem]) async throws -> [AppendOutcome] {
        try archive(items)
    }
}
