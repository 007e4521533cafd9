import Archive
import ArchivePostgres
import FeedFetch
import FeedModel
import Foundation
import Logging

/// Polls the sources of the shared table by lease (design §7.2–7.3): claims what is due as
/// fetch slots free up (and every `claim_interval`), polls through the same `SourcePoll` as
/// the single-machine `Poller` (conditional GET, Backoff, Schedule, Retry-After, redirects,
/// health), and commits finished polls in groups: their articles and their fenced completions
/// in one transaction. A poll whose lease was lost meanwhile is refused and its articles dropped;
/// the node that took the source over fetches it again, and dedup by id keeps the archive exact.
actor ClusterPoller {
    struct Options: Sendable {
        var maxInFlight = 32
        var leaseSeconds = 120.0
        var claimInterval: Duration = .seconds(1)
        var failingAfter = 3
        var backoffCap: Duration = .seconds(6 * 3600)
    }

    private struct Finished: Sendable {
        var claimed: ClaimedSource
        var result: PollResult
        var delay: Double
    }

    private let archive: ClusterArchive
    private let client: HTTPClient
    private let options: Options
    private let metrics: FeedWatchMetrics
    private var logger: Logger
    /// The node's own `[[source]]` entries, for what must not be in a shared table: headers and credentials.
    private var local: [String: SourceConfig]
    private var busy = 0
    private var pending: [Finished] = []
    private var stopping = false
    private let scheduler = WakeSignal()
    private let committer = WakeSignal()
    private(set) var totals = IngestReport()
    private(set) var pollsFinished = 0
    private(set) var leasesLost = 0
    private var lastClaimError: ContinuousClock.Instant?
    /// Sources with `full_text`: their entries' pages, between the poll and the commit.
    private let fullText: FullTextStage?

    init(archive: ClusterArchive, client: HTTPClient, sources: [SourceConfig], metrics: FeedWatchMetrics,
         logger: Logger, options: Options, fullText: FullTextStage? = nil) {
        self.fullText = fullText
        self.archive = archive
        self.client = client
        self.options = options
        self.metrics = metrics
        self.logger = logger
        self.local = Dictionary(sources.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func update(sources: [SourceConfig], logLevel: Logger.Level) {
        local = Dictionary(sources.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        logger.logLevel = logLevel
    }

    /// `run`: until cancelled. `once`: every enabled source not polled since the pass began and
    /// not leased by another node, then return.
    func run(once: Bool) async throws {
        let since = once ? try await archive.database.now() : nil
        stopping = false
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await self.commitLoop() }
            while !Task.isCancelled {
                let room = options.maxInFlight - busy
                var claimed: [ClaimedSource] = []
                if room > 0 {
                    do {
                        claimed = try await archive.database.claim(node: archive.node, limit: room,
                                                                   leaseSeconds: options.leaseSeconds, polledBefore: since)
                        lastClaimError = nil
                    } catch {
                        if Task.isCancelled { break }
                        // The database may be restarting: keep trying, log once a minute.
                        let now = ContinuousClock.now
                        if lastClaimError.map({ now - $0 > .seconds(60) }) ?? true {
                            logger.error("cannot claim sources; retrying", metadata: ["error": "\(ClusterError.describe(error))"])
                            lastClaimError = now
                        }
                    }
                }
                for source in claimed {
                    busy += 1
                    let (config, state, policy) = plan(source)
                    let (client, metrics, fullText) = (self.client, self.metrics, self.fullText)
                    group.addTask {
                        let start = ContinuousClock.now
                        var result = await SourcePoll.run(config, state: state, client: client, clock: WallClock(), policy: policy)
                        if let polled = result {
                            metrics.recordPoll(polled.outcome, duration: ContinuousClock.now - start,
                                               delay: .milliseconds(Int64(max(0, source.lateSeconds) * 1000)))
                            if let fullText {
                                result = await fullText.complete(polled, config: config, client: client, now: Date())
                            }
                        }
                        let delay = result.map { max(0, $0.state.nextDue.timeIntervalSinceNow) } ?? 0
                        await self.finished(source, result, delay: delay)
                    }
                }
                if once && claimed.isEmpty && busy == 0 { break }
                if room > 0 && claimed.count == room { continue }
                await scheduler.wait(until: Date().addingTimeInterval(Self.seconds(options.claimInterval)), clock: WallClock())
            }
            stopping = true
            committer.fire()
        }
    }

    /// The poll's inputs from the row: the state the last poll (by any node) left.
    private func plan(_ source: ClaimedSource) -> (SourceConfig, SourceState, PollPolicy) {
        let kind = SourceConfig.Kind(rawValue: source.kind) ?? .auto
        let interval = Duration.seconds(max(1, source.intervalSeconds))
        var config = SourceConfig(name: source.name, url: source.url, kind: kind, interval: interval, headers: [], basicAuth: nil)
        if let mine = local[source.name] {
            config.headers = mine.headers
            config.basicAuth = mine.basicAuth
            // Like headers, `full_text` is the node's own choice, not a column of the shared table.
            config.fullText = mine.fullText
        }
        let state = SourceState(url: source.url, stored: source.state)
        let policy = PollPolicy(interval: interval, backoff: Backoff(cap: options.backoffCap), failingAfter: options.failingAfter)
        return (config, state, policy)
    }

    private func finished(_ source: ClaimedSource, _ result: PollResult?, delay: Double) {
        pollsFinished += 1
        if let result {
            pending.append(Finished(claimed: source, result: result, delay: delay))
            committer.fire()
        } else {
            // Cancelled mid-transfer (shutting down): the lease is released with the others.
            busy -= 1
            scheduler.fire()
        }
    }

    private func commitLoop() async throws {
        while true {
            if pending.isEmpty {
                if stopping || Task.isCancelled { return }
                await committer.wait()
                continue
            }
            let batch = pending
            pending.removeAll()
            await commit(batch)
        }
    }

    private func commit(_ batch: [Finished]) async {
        let polls = batch.map { finished -> (completion: SourceCompletion?, items: [IngestItem]) in
            let state = finished.result.state
            let completion = SourceCompletion(sourceID: finished.claimed.sourceID, token: finished.claimed.token,
                                              url: state.url, state: state.stored, nextPollSeconds: finished.delay)
            return (completion, finished.result.items)
        }
        let start = ContinuousClock.now
        do {
            let commit = try await archive.commit(polls)
            let items = batch.flatMap(\.result.items)
            metrics.recordCommit(items, outcomes: commit.outcomes, duration: ContinuousClock.now - start, bytes: 0)
            let lost = batch.filter { commit.lostSources.contains($0.claimed.sourceID) }.map(\.claimed.name)
            await fullText?.forget(lost)
            await fullText?.save(batch.map(\.claimed.name).filter { !lost.contains($0) })
            var offset = 0
            for finished in batch {
                let range = offset..<(offset + finished.result.items.count)
                offset = range.upperBound
                if commit.lostSources.contains(finished.claimed.sourceID) {
                    leasesLost += 1
                    metrics.recordLeaseLost()
                    logger.warning("lease lost before the poll finished: its result is refused, the new holder polls again",
                                   metadata: ["source": "\(finished.claimed.name)", "token": "\(finished.claimed.token)"])
                    continue
                }
                var report = IngestReport()
                for outcome in commit.outcomes[range] {
                    switch outcome {
                    case .archived: report.archived += 1
                    case .duplicate: report.duplicates += 1
                    case .empty: break
                    }
                }
                totals += report
                log(finished, report: report)
            }
        } catch {
            // Nothing of the batch is recorded: its leases run out and the sources are polled
            // again (by this node or another), and dedup absorbs what was fetched twice.
            await fullText?.forget(batch.map(\.claimed.name))
            logger.error("cannot commit polls to the cluster; they are polled again when their leases end",
                         metadata: ["polls": "\(batch.count)", "error": "\(ClusterError.describe(error))"])
        }
        busy -= batch.count
        scheduler.fire()
    }

    private func log(_ finished: Finished, report: IngestReport) {
        let state = finished.result.state
        var metadata: Logger.Metadata = [
            "source": "\(finished.claimed.name)", "status": "\(state.lastStatus ?? 0)",
            "archived": "\(report.archived)", "duplicates": "\(report.duplicates)",
            "next": "\(Int(finished.delay.rounded()))s",
        ]
        if let rewritten = finished.result.rewrittenURL {
            logger.notice("source moved permanently; polling the new URL from now on",
                          metadata: ["source": "\(finished.claimed.name)", "url": "\(URLCredentials.redact(rewritten))"])
        }
        if state.health == .ok {
            if report.archived > 0 { logger.info("source polled", metadata: metadata) } else { logger.debug("source polled", metadata: metadata) }
        } else {
            metadata["error"] = "\(state.lastError ?? "?")"
            metadata["failures"] = "\(state.consecutiveFailures)"
            logger.warning("source poll failed; backing off", metadata: metadata)
        }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}

/// `SourceState` as a source row stores it: the one mapping between the file daemon's state and
/// the cluster's columns, both ways.
extension SourceState {
    init(url: String, stored: StoredPollState) {
        self.init(url: url, nextDue: Date())
        validators = HTTPValidators(etag: stored.etag, lastModified: stored.lastModified)
        lastStatus = stored.lastStatus
        consecutiveFailures = stored.failures
        health = Health(rawValue: stored.health) ?? .ok
        lastError = stored.lastError
        pendingRedirect = stored.redirectTarget.map { PendingRedirect(target: $0, count: stored.redirectCount) }
        lastBackoffSeconds = stored.lastBackoffSeconds
    }

    var stored: StoredPollState {
        StoredPollState(etag: validators.etag, lastModified: validators.lastModified, lastStatus: lastStatus,
                        failures: consecutiveFailures, health: health.rawValue, lastError: lastError,
                        redirectTarget: pendingRedirect?.target, redirectCount: pendingRedirect?.count ?? 0,
                        lastBackoffSeconds: lastBackoffSeconds)
    }
}
