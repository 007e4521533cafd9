import Archive
import FeedFetch
import Foundation
import Logging

/// Polls the URL sources (SPEC §8): each on its own jittered schedule, through the shared
/// HTTP client, into the same archive as the inbox.
///
/// A source is either idle (its committed state says when it is due) or busy (being fetched,
/// parsed, or waiting for the archive). Finished polls are committed in groups: one archive
/// append and fsync for all their articles, then one atomic save of the state file. So a
/// validator is never saved, nor used for the next request, before the articles of its
/// response are durable; a crash in between costs one full fetch, which dedup absorbs.
actor Poller {
    struct Options: Sendable {
        /// Polls fetched or waiting for the archive at once: bounds the bodies held in memory.
        var maxInFlight = 32
        /// First polls (and overdue ones after a restart) start at this rate at most, each
        /// within its interval, so a large config never fires in a burst.
        var startsPerSecond = 10.0
        var failingAfter = 3
        var backoffCap: Duration = .seconds(6 * 3600)
    }

    private let client: HTTPClient
    private let clock: any PollClock
    private let worker: IngestWorker
    private let file: SourceStateFile
    private let options: Options
    private var logger: Logger
    private let metrics: FeedWatchMetrics
    /// Pages of `full_text` sources' entries, between a poll and its commit.
    private let fullText: FullTextStage?

    private var configs: [SourceConfig] = []
    private var byName: [String: SourceConfig] = [:]
    private var states: [String: SourceState] = [:]
    /// Saved entries, re-encoded only when their state changes.
    private var encoded: [String: [UInt8]] = [:]
    private var busy: Set<String> = []
    private var pending: [PollResult] = []
    /// `pollEverySourceOnce`: the sources not started yet.
    private var remaining: [String] = []
    private var stopping = false
    /// Bytes in the journal and in `sources.json` as last written (the journal is folded in
    /// once it outgrows the file).
    private var journalBytes = 0
    private var snapshotBytes = 0
    /// Whole-file rewrites asked for (the first commit after a start folds in what a crash left; a
    /// reload that removed sources drops their entries) and done. Counted, not a size or a flag:
    /// a commit awaiting its journal append across a reload (the actor is reentrant there) would
    /// otherwise put back a small journal size and keep the removed sources saved.
    private var rewritesWanted = 1
    private var rewritesDone = 0
    private static let minimumJournalBytes = 64 << 10
    /// Token bucket for poll starts in the daemon loop: one start per `1/startsPerSecond`.
    private var startTokens = 1.0
    private var tokensAt: Date?
    private let scheduler = WakeSignal()
    private let committer = WakeSignal()
    private(set) var totals = IngestReport()
    /// Polls that came back (fetched or failed) since the start: `once`'s progress on a terminal.
    private(set) var pollsFinished = 0

    init(sources: [SourceConfig], stored: [String: StoredSource], client: HTTPClient, clock: any PollClock,
         worker: IngestWorker, file: SourceStateFile, logger: Logger, options: Options = Options(),
         fullText: FullTextStage? = nil) {
        self.metrics = worker.metrics
        self.fullText = fullText
        self.client = client
        self.clock = clock
        self.worker = worker
        self.file = file
        self.options = options
        self.logger = logger
        let now = clock.now()
        let (configs, states) = Self.plan(sources, stored: stored, now: now, options: options)
        self.configs = configs
        self.byName = Dictionary(configs.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.states = states
    }

    /// Loads the state file; a damaged one is logged and the sources start afresh.
    static func loadState(_ file: SourceStateFile, logger: Logger) -> [String: StoredSource] {
        do {
            return try file.load()
        } catch {
            logger.warning("cannot use the saved source state; every source is fetched in full once", metadata: ["error": "\(error)"])
            return [:]
        }
    }

    // MARK: - Running

    /// The daemon's loop: polls sources as they fall due until cancelled; commits what was
    /// fetched before returning. Throws only when the archive cannot be written.
    func run() async throws {
        try await loop(once: false)
    }

    /// `feedwatch once`: every source polled once, whether due or not (so a second run right
    /// after the first is answered 304), except a source whose server asked with `Retry-After`
    /// to wait and whose wait has not passed: politeness outranks a cron job.
    func pollEverySourceOnce() async throws {
        let now = clock.now()
        remaining = configs.map(\.name).filter { name in
            guard let state = states[name], state.lastStatus == 429 || state.lastStatus == 503 else { return true }
            if state.nextDue <= now { return true }
            logger.info("source skipped: its server asked to wait", metadata: [
                "source": "\(name)", "until": "\(Self.format(state.nextDue))",
            ])
            return false
        }
        try await loop(once: true)
    }

    private func loop(once: Bool) async throws {
        stopping = false
        metrics.setSourceHealth(health)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await self.commitLoop() }
            while !Task.isCancelled {
                for config in takeDue(once: once) {
                    guard let state = states[config.name] else { continue }
                    busy.insert(config.name)
                    let policy = policy(for: config)
                    let (client, clock, metrics, fullText) = (self.client, self.clock, self.metrics, self.fullText)
                    group.addTask {
                        let start = ContinuousClock.now
                        var result = await SourcePoll.run(config, state: state, client: client, clock: clock, policy: policy)
                        if let polled = result {
                            let late = clock.now().timeIntervalSince(state.nextDue)
                            metrics.recordPoll(polled.outcome, duration: ContinuousClock.now - start,
                                               delay: .milliseconds(Int64((late * 1000).rounded())))
                            if let fullText {
                                result = await fullText.complete(polled, config: config, client: client, now: clock.now())
                            }
                        }
                        await self.finished(config.name, result)
                    }
                }
                if once && remaining.isEmpty && busy.isEmpty { break }
                await scheduler.wait(until: once ? nil : nextWake(), clock: clock)
            }
            stopping = true
            committer.fire()
        }
    }

    /// Sources to start now: in `once` mode the next of `remaining`, else the idle ones that
    /// are due, earliest first; never more than `maxInFlight` busy at once.
    private func takeDue(once: Bool) -> [SourceConfig] {
        let room = options.maxInFlight - busy.count
        guard room > 0 else { return [] }
        if once {
            let taken = remaining.prefix(room)
            remaining.removeFirst(taken.count)
            return taken.compactMap { byName[$0] }
        }
        let now = clock.now()
        // At most `startsPerSecond` starts a second, evenly spaced, whatever the schedule says:
        // with more sources than the interval has room for at that rate, polls come late
        // rather than in a burst (SPEC §8 "no bursts"; README: at most 10 starts a second).
        let rate = max(options.startsPerSecond, 0.001)
        startTokens = min(1, startTokens + (tokensAt.map { now.timeIntervalSince($0) } ?? 1) * rate)
        tokensAt = now
        let allowed = min(room, Int(startTokens.rounded(.down)))
        guard allowed > 0 else { return [] }
        let due = configs
            .filter { !busy.contains($0.name) && (states[$0.name]?.isDue(at: now) ?? false) }
            .sorted { (states[$0.name]?.nextDue ?? now) < (states[$1.name]?.nextDue ?? now) }
            .prefix(allowed)
        startTokens -= Double(due.count)
        return Array(due)
    }

    /// When the next start token is there (now when one is).
    private var nextToken: Date {
        let now = clock.now()
        guard startTokens < 1 else { return now }
        return now.addingTimeInterval((1 - startTokens) / max(options.startsPerSecond, 0.001))
    }

    /// The earliest due time of an idle source, at most a minute ahead so that a wall-clock
    /// jump (suspend, NTP) is noticed; `nil` when every source is busy (their completion wakes
    /// the loop).
    private func nextWake() -> Date? {
        var wake: Date?
        for config in configs where !busy.contains(config.name) {
            if let due = states[config.name]?.nextDue, due < wake ?? .distantFuture { wake = due }
        }
        return wake.map { max(min($0, clock.now().addingTimeInterval(60)), nextToken) }
    }

    private func finished(_ name: String, _ result: PollResult?) {
        pollsFinished += 1
        if let result {
            pending.append(result)
            committer.fire()
        } else {
            busy.remove(name)
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
            try await commit(batch)
        }
    }

    /// Archive first (one fsync), then the state file: the order is the crash-safety argument.
    private func commit(_ batch: [PollResult]) async throws {
        let items = batch.flatMap(\.items)
        let outcomes = items.isEmpty ? [] : try await worker.archive(items)
        var offset = 0
        for result in batch {
            busy.remove(result.name)
            let range = offset..<(offset + result.items.count)
            offset = range.upperBound
            // A source removed by a reload while it was being polled: its articles are in the
            // archive, its state is forgotten.
            guard let config = byName[result.name], config.url == result.configuredURL else { continue }
            states[result.name] = result.state
            encoded[result.name] = nil
            var report = IngestReport()
            for outcome in outcomes[range] {
                switch outcome {
                case .archived: report.archived += 1
                case .duplicate: report.duplicates += 1
                case .empty: break
                }
            }
            totals += report
            log(result, report: report)
        }
        await saveStates(batch.map(\.name).filter { byName[$0] != nil })
        await fullText?.save(batch.map(\.name))
        metrics.setSourceHealth(health)
        scheduler.fire()
    }

    /// The batch's sources go to the journal (O(those sources)); the whole file is rewritten only
    /// when the journal has outgrown it, so its cost is spread over as many updates as it holds.
    private func saveStates(_ changed: [String]) async {
        var entries: [[UInt8]] = []
        for name in changed {
            if let bytes = entry(name) { entries.append(bytes) }
        }
        let file = self.file
        do {
            let wanted = rewritesWanted
            if wanted > rewritesDone
                || journalBytes + entries.reduce(0, { $0 + $1.count }) > max(Self.minimumJournalBytes, snapshotBytes) {
                var all: [[UInt8]] = []
                all.reserveCapacity(configs.count)
                for config in configs {
                    if let bytes = entry(config.name) { all.append(bytes) }
                }
                try await worker.perform { () throws(SourceStateError) in try file.save(encoded: all) }
                snapshotBytes = all.reduce(0) { $0 + $1.count + 1 }
                journalBytes = 0
                rewritesDone = max(rewritesDone, wanted)
            } else {
                let size = try await worker.perform { () throws(SourceStateError) -> Int in try file.append(encoded: entries) }
                journalBytes = size
            }
        } catch {
            // Not fatal: the archive holds the articles; after a restart the sources whose
            // state was not saved are fetched in full once and dedup drops what is known.
            logger.error("cannot save the source state", metadata: ["error": "\(error)"])
        }
    }

    /// A source's saved entry, encoded once per state change (credentials in URLs redacted).
    private func entry(_ name: String) -> [UInt8]? {
        if let bytes = encoded[name] { return bytes }
        guard let config = byName[name], let state = states[name] else { return nil }
        do {
            var saved = state
            saved.url = URLCredentials.redact(state.url)
            let bytes = try SourceStateFile.encode(StoredSource(name: name, configuredURL: URLCredentials.redact(config.url), state: saved))
            encoded[name] = bytes
            return bytes
        } catch {
            logger.warning("\(error)")
            return nil
        }
    }

    private func log(_ result: PollResult, report: IngestReport) {
        var logger = self.logger
        logger[metadataKey: "source"] = "\(result.name)"
        let state = result.state
        let next = Self.format(state.nextDue)
        if let rewritten = result.rewrittenURL {
            logger.notice("source moved permanently; polling the new URL from now on", metadata: ["url": "\(URLCredentials.redact(rewritten))"])
        }
        if state.health == .ok {
            if result.previousHealth != .ok {
                logger.notice("source recovered", metadata: ["status": "\(state.lastStatus ?? 0)"])
            }
            if report.archived > 0 {
                logger.info("source polled", metadata: [
                    "status": "\(state.lastStatus ?? 0)", "archived": "\(report.archived)",
                    "duplicates": "\(report.duplicates)", "next": "\(next)",
                ])
            } else {
                logger.debug("source polled", metadata: ["status": "\(state.lastStatus ?? 0)", "duplicates": "\(report.duplicates)", "next": "\(next)"])
            }
            return
        }
        let metadata: Logger.Metadata = [
            "error": "\(state.lastError ?? "?")", "failures": "\(state.consecutiveFailures)", "next": "\(next)",
        ]
        if state.health == .gone && result.previousHealth != .gone {
            logger.warning("source is gone (HTTP 410); still checked at long intervals", metadata: metadata)
        } else if state.health != result.previousHealth || state.consecutiveFailures == 1 {
            logger.warning(state.health == .failing ? "source is failing; retrying with growing delays" : "source poll failed; backing off",
                           metadata: metadata)
        } else {
            logger.info("source still failing", metadata: metadata)
        }
    }

    // MARK: - Configuration

    /// SIGHUP: sources added start soon (spread out), removed ones stop, a source whose URL
    /// changed starts afresh; the others keep their state and schedule.
    func update(sources: [SourceConfig], logLevel: Logger.Level) {
        logger.logLevel = logLevel
        let stored = Dictionary(configs.compactMap { config in
            states[config.name].map { (config.name, StoredSource(name: config.name, configuredURL: config.url, state: $0)) }
        }, uniquingKeysWith: { first, _ in first })
        let (newConfigs, newStates) = Self.plan(sources, stored: stored, now: clock.now(), options: options)
        let added = Set(newConfigs.map(\.name)).subtracting(configs.map(\.name))
        let removed = Set(configs.map(\.name)).subtracting(newConfigs.map(\.name))
        configs = newConfigs
        byName = Dictionary(newConfigs.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        states = newStates
        encoded = encoded.filter { byName[$0.key] != nil }
        remaining = remaining.filter { byName[$0] != nil }
        // Removed sources leave the saved state at the next commit: the whole file is rewritten.
        if !removed.isEmpty { rewritesWanted += 1 }
        if !added.isEmpty || !removed.isEmpty {
            logger.info("sources changed", metadata: ["added": "\(added.sorted())", "removed": "\(removed.sorted())"])
        }
        scheduler.fire()
    }

    /// Each source's starting state: the saved one when it was saved for the same URL, else
    /// fresh. Fresh and overdue sources are spread over a window that grows with their number.
    private static func plan(_ sources: [SourceConfig], stored: [String: StoredSource], now: Date, options: Options) -> ([SourceConfig], [String: SourceState]) {
        var states: [String: SourceState] = [:]
        var toSpread: [SourceConfig] = []
        var random = SystemRandomNumberGenerator()
        for config in sources {
            if let saved = stored[config.name], URLCredentials.matches(saved: saved.configuredURL, configured: config.url) {
                var state = saved.state
                state.url = URLCredentials.restore(state.url, from: config.url)
                // A shorter interval than the saved schedule assumed takes effect now.
                let latest = now.addingTimeInterval(config.interval.seconds * 1.1)
                if state.health == .ok, state.nextDue > latest { state.nextDue = latest }
                states[config.name] = state
                if state.nextDue <= now { toSpread.append(config) }
            } else {
                states[config.name] = SourceState(url: config.url, nextDue: now)
                toSpread.append(config)
            }
        }
        let window = Duration.seconds(Double(toSpread.count) / max(options.startsPerSecond, 0.001))
        for (index, config) in toSpread.enumerated() {
            states[config.name]?.nextDue = Schedule.firstPoll(index: index, of: toSpread.count, window: window,
                                                              interval: config.interval, now: now, using: &random)
        }
        return (sources, states)
    }

    private func policy(for config: SourceConfig) -> PollPolicy {
        PollPolicy(interval: config.interval, backoff: Backoff(cap: options.backoffCap), failingAfter: options.failingAfter)
    }

    // MARK: - Reporting

    var health: SourceHealthCounts {
        SourceHealthCounts(configs.compactMap { states[$0.name] })
    }

    /// Nothing being fetched or waiting for the archive (what a virtual clock waits for
    /// before jumping ahead, so that time does not run on while a request is in flight).
    var isIdle: Bool { busy.isEmpty && pending.isEmpty }

    static func format(_ date: Date) -> String {
        FeedModelTime.rfc3339(seconds: Int64(date.timeIntervalSince1970.rounded(.up)))
    }
}
