import Archive
import CoreMetrics
import FeedModel
import Prometheus

/// The daemon's metrics (`MetricCatalog`), recorded through swift-metrics into one
/// swift-prometheus registry per process; no global bootstrap, so tests can hold several.
///
/// Every label combination is created up front, so each series is exported (as 0) from the
/// start: `rate()` and "absent" alerts need no first event.
final class FeedWatchMetrics: Sendable {
    enum PollOutcomeLabel: String, CaseIterable, Sendable {
        case ok, notModified = "not_modified", httpError = "http_error", networkError = "network_error", parseError = "parse_error"
    }

    enum InboxOutcome: String, CaseIterable, Sendable {
        case archived, duplicate, failed
    }

    let registry: PrometheusCollectorRegistry
    private let polls: [PollOutcomeLabel: CoreMetrics.Counter]
    private let pollDuration: CoreMetrics.Timer
    private let pollDelay: CoreMetrics.Timer
    private let archived: [String: CoreMetrics.Counter]
    private let duplicates: CoreMetrics.Counter
    private let inboxFiles: [InboxOutcome: CoreMetrics.Counter]
    private let commitDuration: CoreMetrics.Timer
    private let commitBytes: CoreMetrics.Counter
    private let sources: [String: CoreMetrics.Meter]
    /// Cluster mode only, so the single-machine exposition stays as it was.
    private let leaseLost: CoreMetrics.Counter?
    private let fullTextPages: [String: CoreMetrics.Counter]

    init(version: String = FeedWatchVersion.current, cluster: Bool = false) {
        let registry = PrometheusCollectorRegistry()
        let factory = CatalogMetricsFactory(registry: registry)
        self.registry = registry
        Meter(label: "feedwatch_build_info", dimensions: [("version", version)], factory: factory).set(1)
        polls = Dictionary(uniqueKeysWithValues: PollOutcomeLabel.allCases.map {
            ($0, Counter(label: "feedwatch_polls_total", dimensions: [("outcome", $0.rawValue)], factory: factory))
        })
        pollDuration = Timer(label: "feedwatch_poll_duration_seconds", dimensions: [], factory: factory)
        pollDelay = Timer(label: "feedwatch_poll_delay_seconds", dimensions: [], factory: factory)
        var archived: [String: CoreMetrics.Counter] = [:]
        for type in ["feed", "page", "file"] {
            for kind in ["new", "updated"] {
                archived["\(type)/\(kind)"] = Counter(label: "feedwatch_articles_archived_total",
                                                      dimensions: [("source_type", type), ("kind", kind)], factory: factory)
            }
        }
        self.archived = archived
        duplicates = Counter(label: "feedwatch_duplicates_suppressed_total", dimensions: [], factory: factory)
        inboxFiles = Dictionary(uniqueKeysWithValues: InboxOutcome.allCases.map {
            ($0, Counter(label: "feedwatch_inbox_files_total", dimensions: [("outcome", $0.rawValue)], factory: factory))
        })
        commitDuration = Timer(label: "feedwatch_archive_commit_duration_seconds", dimensions: [], factory: factory)
        commitBytes = Counter(label: "feedwatch_archive_commit_bytes_total", dimensions: [], factory: factory)
        fullTextPages = Dictionary(uniqueKeysWithValues: ["extracted", "refused", "failed"].map {
            ($0, Counter(label: "feedwatch_full_text_pages_total", dimensions: [("result", $0)], factory: factory))
        })
        sources = Dictionary(uniqueKeysWithValues: ["ok", "backing_off", "failing", "gone", "waiting"].map {
            ($0, Meter(label: "feedwatch_sources", dimensions: [("health", $0)], factory: factory))
        })
        leaseLost = cluster ? Counter(label: "feedwatch_lease_lost_total", dimensions: [], factory: factory) : nil
    }

    /// The exposition text (Prometheus text format 0.0.4).
    func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }

    func recordPoll(_ outcome: PollOutcomeLabel, duration: Duration, delay: Duration) {
        polls[outcome]?.increment()
        pollDuration.recordNanoseconds(Self.nanoseconds(duration))
        pollDelay.recordNanoseconds(Self.nanoseconds(max(delay, .zero)))
    }

    /// One archive commit: its items, what the archive made of each, its time and bytes.
    func recordCommit(_ items: [IngestItem], outcomes: [AppendOutcome], duration: Duration, bytes: Int64) {
        for (item, outcome) in zip(items, outcomes) {
            switch outcome {
            case .archived(_, _, let kind): archived["\(item.source.kind.rawValue)/\(kind.rawValue)"]?.increment()
            case .duplicate: duplicates.increment()
            case .empty: break
            }
        }
        commitDuration.recordNanoseconds(Self.nanoseconds(duration))
        commitBytes.increment(by: Int64(max(0, bytes)))
    }

    func recordLeaseLost() {
        leaseLost?.increment()
    }

    /// One source's page fetches for `full_text` (FullTextStage).
    func recordFullText(extracted: Int, refused: Int, failed: Int) {
        fullTextPages["extracted"]?.increment(by: Int64(extracted))
        fullTextPages["refused"]?.increment(by: Int64(refused))
        fullTextPages["failed"]?.increment(by: Int64(failed))
    }

    func recordInboxFile(_ outcome: InboxOutcome) {
        inboxFiles[outcome]?.increment()
    }

    func setSourceHealth(_ counts: SourceHealthCounts) {
        sources["ok"]?.set(counts.ok)
        sources["backing_off"]?.set(counts.backingOff)
        sources["failing"]?.set(counts.failing)
        sources["gone"]?.set(counts.gone)
        sources["waiting"]?.set(counts.waiting)
    }

    static func nanoseconds(_ d: Duration) -> Int64 {
        let (s, atto) = d.components
        let (whole, overflow) = s.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : whole + atto / 1_000_000_000
    }
}
