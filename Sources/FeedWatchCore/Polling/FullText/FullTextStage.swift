import Archive
import FeedFetch
import FeedModel
import Foundation
import Logging
import Synchronization

/// The step between a source's poll and the archive for sources with `full_text` set: decides
/// which entries get their page (`TeaserRule`, the ledger), fetches the pages through the
/// sources' client, and puts each page's article in its entry (`FullTextPage`).
///
/// Entries are never held back: a page that cannot be had now leaves the entry as the feed
/// gave it, archived with this poll; a failed fetch is retried at later polls (growing,
/// jittered delays no shorter than the source's interval, `maxAttempts` in all), and a page
/// that comes later is archived as the entry's update. The ledgers are saved after the archive
/// commit of the poll that changed them (`save`), never before.
actor FullTextStage {
    struct Options: Sendable {
        /// Pages of one source in flight at once (the client's per-host and total limits apply too).
        var pagesPerSource = 8
        /// Fetches of one entry's page, the first included, before it is given up.
        var maxAttempts = 3
        var backoffCap: Duration = .seconds(6 * 3600)
        /// How long one poll's pages may take; `nil`: `budget(interval:)`.
        var pageBudget: Duration?
    }

    private let files: FullTextLedgerFiles
    /// The file archive's worker, whose thread does the ledgers' file writes in file mode;
    /// `nil` in cluster mode, where the few small writes happen on the stage itself.
    private let worker: IngestWorker?
    private let metrics: FeedWatchMetrics
    private let logger: Logger
    private let options: Options
    private var ledgers: [String: FullTextLedger] = [:]
    private var dirty: Set<String> = []

    init(files: FullTextLedgerFiles, worker: IngestWorker, logger: Logger, options: Options = Options()) {
        self.init(files: files, worker: worker, metrics: worker.metrics, logger: logger, options: options)
    }

    /// Cluster mode: no file archive; the ledgers are this node's, saved after the cluster's COMMIT.
    init(files: FullTextLedgerFiles, metrics: FeedWatchMetrics, logger: Logger, options: Options = Options()) {
        self.init(files: files, worker: nil, metrics: metrics, logger: logger, options: options)
    }

    private init(files: FullTextLedgerFiles, worker: IngestWorker?, metrics: FeedWatchMetrics, logger: Logger, options: Options) {
        self.files = files
        self.worker = worker
        self.metrics = metrics
        self.logger = logger
        self.options = options
    }

    /// One page to fetch: the entry, its link, where it sits in the poll's items (`nil` for a
    /// retry of an entry the poll did not show), and what the ledger said before.
    struct Job: Sendable {
        var key: String
        var entry: Article
        var link: String
        var index: Int?
        var previous: FullTextLedger.Entry?
    }

    enum JobOutcome: Sendable {
        case page(FullTextPage.Outcome)
        /// Not asked: the host asked (Retry-After) to wait until then.
        case deferred(until: Date)
    }

    /// The poll's result with page articles in place of teasers, entries whose page was archived
    /// before left out (the archive has them), and retried pages added; `nil` when cancelled.
    func complete(_ result: PollResult, config: SourceConfig, client: HTTPClient, now: Date) async -> PollResult? {
        guard config.fullText != .never else { return result }
        var ledger = ledger(config.name)
        var items = result.items
        var keep = [Bool](repeating: true, count: items.count)
        var jobs: [Job] = []
        var current: Set<String> = []
        let nowSeconds = Int64(now.timeIntervalSince1970)
        for (index, item) in items.enumerated() where item.source.kind == .feed {
            guard let key = FullTextLedger.key(item.article), let link = Self.link(item.article) else { continue }
            current.insert(key)
            if let saved = ledger.entries[key], saved.fingerprint == FullTextLedger.fingerprint(item.article) {
                switch saved.state {
                case .archived: keep[index] = false
                case .refused: break
                case .retrying:
                    if (saved.retryAt ?? 0) <= nowSeconds {
                        jobs.append(Job(key: key, entry: item.article, link: link, index: index, previous: saved))
                    }
                }
                continue
            }
            if config.fullText == .auto, !TeaserRule.isTeaser(item.article) { continue }
            jobs.append(Job(key: key, entry: item.article, link: link, index: index, previous: nil))
        }
        for (key, saved) in ledger.entries where saved.state == .retrying && !current.contains(key)
            && (saved.retryAt ?? 0) <= nowSeconds {
            guard let entry = saved.feed?.article, let link = Self.link(entry) else { continue }
            jobs.append(Job(key: key, entry: entry, link: link, index: nil, previous: saved))
        }
        if !items.isEmpty, ledger.trim(keeping: current) { dirty.insert(config.name) }
        guard !jobs.isEmpty else {
            ledgers[config.name] = ledger
            return PollResult(copying: result, items: zip(items, keep).filter(\.1).map(\.0))
        }

        let outcomes: [JobOutcome]
        do {
            outcomes = try await Self.fetch(jobs, client: client, limit: options.pagesPerSource,
                                            deadline: .now + (options.pageBudget ?? Self.budget(interval: config.interval)))
        } catch {
            return nil
        }

        var random = SystemRandomNumberGenerator()
        var log = logger
        log[metadataKey: "source"] = "\(config.name)"
        var added: [IngestItem] = []
        var tally = (extracted: 0, refused: 0, failed: 0)
        let source = items.first?.source
            ?? ArticleSource(kind: .feed, name: config.name, url: URLCredentials.strip(config.url))
        for (job, outcome) in zip(jobs, outcomes) {
            var entry = FullTextLedger.Entry(fingerprint: FullTextLedger.fingerprint(job.entry), state: .archived, seq: 0)
            switch outcome {
            case .page(.article(let merged)):
                ledger.counters.fetched += 1
                ledger.counters.extracted += 1
                tally.extracted += 1
                if let index = job.index {
                    items[index].article = merged
                } else {
                    added.append(IngestItem(article: merged, source: source, fetchedAt: FeedModelTime.now()))
                }
            case .page(.refused(let refusal)):
                if refusal.kind != .fetchLimit { ledger.counters.fetched += 1 }
                ledger.counters.refused += 1
                ledger.counters.refusals[refusal.kind.rawValue, default: 0] += 1
                tally.refused += 1
                (entry.state, entry.refusal) = (.refused, refusal.kind)
                log.notice("page is not the entry's article; archived from the feed", metadata: [
                    "url": "\(URLCredentials.redact(job.link))", "reason": "\(refusal.message)",
                ])
            case .page(.failed(let message, let retryAfter)):
                ledger.counters.failed += 1
                tally.failed += 1
                entry.attempts = (job.previous?.attempts ?? 0) + 1
                if entry.attempts >= options.maxAttempts {
                    ledger.counters.refused += 1
                    ledger.counters.refusals[Refusal.Kind.retriesExhausted.rawValue, default: 0] += 1
                    (entry.state, entry.refusal) = (.refused, .retriesExhausted)
                    log.warning("page fetch failed again; given up, the entry stays as the feed has it", metadata: [
                        "url": "\(URLCredentials.redact(job.link))", "error": "\(message)", "attempts": "\(entry.attempts)",
                    ])
                } else {
                    let backoff = Backoff(cap: options.backoffCap, jitter: .full)
                        .delay(interval: config.interval, failures: entry.attempts, previous: nil, using: &random)
                    let wait = max(backoff, retryAfter ?? .zero)
                    entry.state = .retrying
                    entry.retryAt = nowSeconds + Int64(wait.seconds.rounded(.up))
                    entry.feed = FeedEntrySnapshot(job.entry)
                    log.warning("page fetch failed; the entry is archived from the feed, its page retried later", metadata: [
                        "url": "\(URLCredentials.redact(job.link))", "error": "\(message)", "attempts": "\(entry.attempts)",
                        "retry": "\(Poller.format(Date(timeIntervalSince1970: TimeInterval(entry.retryAt ?? 0))))",
                    ])
                }
            case .deferred(let until):
                entry.state = .retrying
                entry.attempts = job.previous?.attempts ?? 0
                entry.retryAt = Int64(until.timeIntervalSince1970.rounded(.up))
                entry.feed = FeedEntrySnapshot(job.entry)
            }
            ledger.record(job.key, entry)
        }
        ledgers[config.name] = ledger
        dirty.insert(config.name)
        log.info("entries' pages fetched", metadata: [
            "pages": "\(jobs.count)", "extracted": "\(tally.extracted)", "refused": "\(tally.refused)", "failed": "\(tally.failed)",
        ])
        metrics.recordFullText(extracted: tally.extracted, refused: tally.refused, failed: tally.failed)
        return PollResult(copying: result, items: zip(items, keep).filter(\.1).map(\.0) + added)
    }

    /// Saves the ledgers of `sources` that changed: called after their articles are durable.
    func save(_ sources: [String]) async {
        var encoded: [(source: String, bytes: [UInt8])] = []
        for name in sources where dirty.contains(name) {
            guard let ledger = ledgers[name] else { continue }
            do {
                encoded.append((name, try FullTextLedgerFiles.encode(ledger)))
                dirty.remove(name)
            } catch {
                logger.error("cannot encode the full-text record", metadata: ["source": "\(name)", "error": "\(error)"])
            }
        }
        guard !encoded.isEmpty else { return }
        let files = self.files
        do {
            if let worker {
                try await worker.perform { () throws(FullTextLedgerError) in try files.save(encoded) }
            } else {
                try files.save(encoded)
            }
        } catch {
            // Not fatal: the archive has the articles; the entries' pages are fetched once more.
            logger.error("cannot save the full-text record", metadata: ["error": "\(error)"])
        }
    }

    /// Drops what `complete` recorded for `sources` whose articles were not committed (a lost
    /// lease, a failed commit): the ledger is read again from its file, so those entries' pages
    /// are asked for again instead of the entries being taken as archived.
    func forget(_ sources: [String]) {
        for name in sources {
            ledgers[name] = nil
            dirty.remove(name)
        }
    }

    private func ledger(_ source: String) -> FullTextLedger {
        if let ledger = ledgers[source] { return ledger }
        let (ledger, problem) = files.load(source)
        if let problem { logger.warning("\(problem)", metadata: ["source": "\(source)"]) }
        ledgers[source] = ledger
        return ledger
    }

    /// The entry's link when it is one the client may fetch.
    static func link(_ entry: Article) -> String? {
        guard let url = entry.url, let scheme = URLComponents(string: url)?.scheme?.lowercased(),
              scheme == "http" || scheme == "https" else { return nil }
        return url
    }

    /// How long one poll's pages may take: half the source's interval, at most 5 minutes, so the
    /// poll's entries reach the archive well within one interval whatever the pages do.
    static func budget(interval: Duration) -> Duration { min(interval / 2, .seconds(300)) }

    /// The jobs' pages, `limit` at a time, in job order. A host that answers with `Retry-After`
    /// is not asked again in this run: its remaining pages are deferred until then. Pages not
    /// done by `deadline` are cancelled and deferred (retried at the next poll, not counted as
    /// an attempt).
    /// - Throws: `CancellationError` when the calling task is cancelled (shutting down).
    static func fetch(_ jobs: [Job], client: HTTPClient, limit: Int, deadline: ContinuousClock.Instant) async throws -> [JobOutcome] {
        let waits = HostWaits()
        let outcomes = await withTaskGroup(of: (Int, JobOutcome)?.self) { group -> [JobOutcome?] in
            var outcomes = [JobOutcome?](repeating: nil, count: jobs.count)
            // The timer: its `nil` says the deadline has come.
            group.addTask {
                try? await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            var started = 0, finished = 0
            while finished < jobs.count {
                if started < jobs.count, started - finished < max(1, limit) {
                    let (index, job) = (started, jobs[started])
                    started += 1
                    group.addTask {
                        let host = URLComponents(string: job.link)?.host?.lowercased() ?? ""
                        if let until = waits.until(host), until > Date() { return (index, .deferred(until: until)) }
                        guard let outcome = try? await FullTextPage.resolve(job.entry, link: job.link, client: client) else {
                            return (index, .deferred(until: Date()))
                        }
                        if case .failed(_, let wait?) = outcome { waits.wait(host, until: Date().addingTimeInterval(wait.seconds)) }
                        return (index, .page(outcome))
                    }
                    continue
                }
                guard let next = await group.next(), let (index, outcome) = next else { break }
                outcomes[index] = outcome
                finished += 1
            }
            group.cancelAll()
            while let next = await group.next() {
                if let (index, outcome) = next, outcomes[index] == nil { outcomes[index] = outcome }
            }
            return outcomes
        }
        try Task.checkCancellation()
        let now = Date()
        return outcomes.map { $0 ?? .deferred(until: now) }
    }
}

/// Hosts that answered with `Retry-After` during one `fetch`, and until when.
private final class HostWaits: Sendable {
    private let waits = Mutex<[String: Date]>([:])

    func until(_ host: String) -> Date? { waits.withLock { $0[host] } }

    func wait(_ host: String, until: Date) {
        waits.withLock { $0[host] = max($0[host] ?? .distantPast, until) }
    }
}

extension PollResult {
    /// `result` with other items: what the full-text step hands on to the commit.
    init(copying result: PollResult, items: [IngestItem]) {
        self = result
        self.items = items
    }
}
