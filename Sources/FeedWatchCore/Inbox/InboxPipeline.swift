import Archive
public import DropFolder
import Dispatch
import Synchronization
import FeedModel
import FeedParser
import Logging
import SystemPackage

/// What one batch of inbox files came to.
public struct IngestReport: Sendable, Hashable {
    public var files = 0
    public var archived = 0
    public var duplicates = 0
    public var failed = 0

    public init() {}

    public static func += (a: inout IngestReport, b: IngestReport) {
        a.files += b.files
        a.archived += b.archived
        a.duplicates += b.duplicates
        a.failed += b.failed
    }
}

/// Inbox file → bytes → parser → archive → `processed/` (or `failed/` with a note).
///
/// The order is the crash-safety argument: a file leaves the inbox only after `append` has
/// returned, i.e. after its articles are fsync'd. A crash before the move leaves the file in
/// the inbox; the next start parses it again, the dedup index recognises every article, and
/// the file is moved: no loss, no duplicate.
public struct InboxPipeline: Sendable {
    public var maxBytes: Int
    public var mover: InboxMover

    public init(inbox: Configuration.Inbox) {
        maxBytes = inbox.maxBytes
        mover = InboxMover(processed: inbox.processed, failed: inbox.failed)
    }

    /// Handles `files` as one group: one `append`, one fsync. Throws only when the archive
    /// cannot be written, in which case no file has been moved to `processed/`.
    func ingest(_ files: [FilePath], into store: ArchiveStore, logger: Logger,
                metrics: FeedWatchMetrics? = nil) throws(ArchiveError) -> IngestReport {
        var report = IngestReport()
        let (ready, items) = gather(files, report: &report, logger: logger, metrics: metrics)
        let outcomes = items.isEmpty ? [] : try Self.append(items, to: store, metrics: metrics)
        settle(ready, outcomes: outcomes, report: &report, logger: logger, metrics: metrics)
        return report
    }

    /// Reads and parses a batch: the items to append and which files they came from; files that
    /// cannot be parsed go to `failed/` here (the archive is never touched for them).
    func gather(_ files: [FilePath], report: inout IngestReport, logger: Logger, metrics: FeedWatchMetrics?)
        -> (ready: [(file: FilePath, range: Range<Int>)], items: [IngestItem]) {
        var ready: [(file: FilePath, range: Range<Int>)] = []
        var items: [IngestItem] = []
        let now = FeedModelTime.now()
        for (file, prepared) in zip(files, prepareAll(files)) {
            switch prepared {
            case .vanished:
                continue
            case .empty:
                // An empty file is one created but not written yet (`touch`, or an open before the
                // first write): it stays in the inbox and is handled on its next close.
                logger.debug("inbox file is empty; waiting for it to be written", metadata: ["file": "\(file)"])
            case .failed(let reason):
                fail(file, reason: reason, report: &report, logger: logger)
                metrics?.recordInboxFile(.failed)
            case .parsed(let articles, let source):
                let start = items.count
                items += articles.map { IngestItem(article: $0, source: source, fetchedAt: now) }
                ready.append((file, start..<items.count))
            }
        }
        return (ready, items)
    }

    /// After the append returned (the articles are durable): each file's counts, then its move
    /// to `processed/`. Shared by the file archive and the cluster's (`ClusterInbox`).
    func settle(_ ready: [(file: FilePath, range: Range<Int>)], outcomes: [AppendOutcome], report: inout IngestReport,
                logger: Logger, metrics: FeedWatchMetrics?) {
        for (file, range) in ready {
            var archived = 0, duplicates = 0
            for outcome in outcomes[range] {
                switch outcome {
                case .archived: archived += 1
                case .duplicate: duplicates += 1
                case .empty: break
                }
            }
            report.files += 1
            metrics?.recordInboxFile(duplicates == range.count ? .duplicate : .archived)
            report.archived += archived
            report.duplicates += duplicates
            do {
                let target = try mover.moveToProcessed(file)
                logger.info(duplicates == range.count ? "inbox file was already archived" : "inbox file archived",
                            metadata: ["file": "\(file)", "to": "\(target)", "archived": "\(archived)", "duplicates": "\(duplicates)"])
            } catch {
                logger.error("archived, but could not move the file out of the inbox; it is picked up again on restart",
                             metadata: ["file": "\(file)", "error": "\(error)"])
            }
        }
    }

    /// One archive commit (appends and fdatasync), timed and measured for the metrics.
    static func append(_ items: [IngestItem], to store: ArchiveStore, metrics: FeedWatchMetrics?) throws(ArchiveError) -> [AppendOutcome] {
        guard let metrics else { return try store.append(items) }
        let before = store.stats().bytes
        let start = ContinuousClock.now
        let outcomes = try store.append(items)
        metrics.recordCommit(items, outcomes: outcomes, duration: ContinuousClock.now - start, bytes: store.stats().bytes - before)
        return outcomes
    }

    /// What reading and parsing one inbox file came to.
    enum Prepared: Sendable {
        case vanished
        case empty
        case failed(String)
        case parsed([Article], ArticleSource)
    }

    /// Reads and parses every file of the batch. Files are independent and parsing is most of a
    /// batch's CPU, so a batch uses every core; the archive append and the moves that follow stay
    /// in order on the caller's thread. `concurrentPerform` runs on Dispatch's threads, never the
    /// cooperative pool, and returns only when every iteration has.
    func prepareAll(_ files: [FilePath]) -> [Prepared] {
        guard files.count > 1 else { return files.map(prepare) }
        let results = Mutex([Prepared](repeating: .vanished, count: files.count))
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            let prepared = prepare(files[i])
            results.withLock { $0[i] = prepared }
        }
        return results.withLock { $0 }
    }

    private func prepare(_ file: FilePath) -> Prepared {
        let name = InboxPath.name(of: file)
        let bytes: [UInt8]
        do {
            bytes = try InboxFile.read(file, maxBytes: maxBytes)
        } catch where error.vanished {
            return .vanished
        } catch {
            return .failed(error.reason)
        }
        guard !bytes.isEmpty else { return .empty }
        let document: ParsedDocument
        do {
            document = try ArticleParser.parse(ParserInput(bytes: bytes, format: .auto, fileName: name))
        } catch {
            return .failed("cannot parse: \(error.description)")
        }
        let articles = document.articles.filter { !$0.isEmpty }
        guard !articles.isEmpty else {
            return .failed("no article with a title or text in this \(document.format.rawValue) input")
        }
        return .parsed(articles, ArticleSource(kind: .file, name: name, path: file.string, title: document.feedTitle))
    }

    func fail(_ file: FilePath, reason: String, report: inout IngestReport, logger: Logger) {
        report.files += 1
        report.failed += 1
        do {
            let target = try mover.moveToFailed(file, reason: reason, at: FeedModelTime.now().rfc3339)
            logger.warning("inbox file rejected", metadata: ["file": "\(file)", "to": "\(target)", "reason": "\(reason)"])
        } catch {
            logger.error("inbox file rejected, and could not be moved to failed/",
                         metadata: ["file": "\(file)", "reason": "\(reason)", "error": "\(error)"])
        }
    }
}
