import CoreMetrics
import Prometheus

/// Every metric feedwatch exports: name, type, help text and label names, in one table.
///
/// Names follow Prometheus's conventions (`feedwatch_` prefix, base units, `_total` on counters,
/// `_seconds` and `_bytes`). Label values are small fixed sets (outcomes, source types, health),
/// never source names or URLs, so the series count does not grow with the config.
enum MetricCatalog {
    enum Kind {
        case counter, gauge, durationHistogram([Duration])
    }

    struct Entry {
        let name: String
        let kind: Kind
        let help: String
        let labels: [String]
    }

    static let pollBuckets: [Duration] = [
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
    ]
    static let delayBuckets: [Duration] = [
        .seconds(1), .seconds(5), .seconds(15), .seconds(60), .seconds(300), .seconds(900), .seconds(3600),
    ]
    static let commitBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(1000),
    ]

    static let entries: [Entry] = [
        Entry(name: "feedwatch_build_info", kind: .gauge, help: "Always 1; the version of the running feedwatch as a label.", labels: ["version"]),
        Entry(name: "feedwatch_polls_total", kind: .counter,
              help: "URL source polls finished, by outcome (ok, not_modified, http_error, network_error, parse_error).", labels: ["outcome"]),
        Entry(name: "feedwatch_poll_duration_seconds", kind: .durationHistogram(pollBuckets),
              help: "Time from a poll's request to its parsed result.", labels: []),
        Entry(name: "feedwatch_poll_delay_seconds", kind: .durationHistogram(delayBuckets),
              help: "Time from a source falling due to its poll being done; growing delays mean more capacity is needed.", labels: []),
        Entry(name: "feedwatch_articles_archived_total", kind: .counter,
              help: "Records appended to the archive, by source type (feed, page, file) and kind (new, updated).", labels: ["source_type", "kind"]),
        Entry(name: "feedwatch_duplicates_suppressed_total", kind: .counter,
              help: "Articles not archived because their id was already in the archive.", labels: []),
        Entry(name: "feedwatch_inbox_files_total", kind: .counter,
              help: "Inbox files handled, by outcome (archived, duplicate, failed).", labels: ["outcome"]),
        Entry(name: "feedwatch_archive_commit_duration_seconds", kind: .durationHistogram(commitBuckets),
              help: "Time of one archive commit: the appends of a batch and their fdatasync.", labels: []),
        Entry(name: "feedwatch_archive_commit_bytes_total", kind: .counter,
              help: "Bytes appended to the archive by commits.", labels: []),
        Entry(name: "feedwatch_full_text_pages_total", kind: .counter,
              help: "Entries' linked pages asked for by full_text sources, by result (extracted, refused, failed).", labels: ["result"]),
        Entry(name: "feedwatch_sources", kind: .gauge,
              help: "URL sources by health (ok, backing_off, failing, gone, waiting for a first poll).", labels: ["health"]),
        // Cluster mode only (exported only with [cluster]): polls whose lease ran out before their commit.
        Entry(name: "feedwatch_lease_lost_total", kind: .counter,
              help: "Polls refused at commit because this node's lease on the source had ended (cluster mode).", labels: []),
    ]

    static let byName: [String: Entry] = Dictionary(uniqueKeysWithValues: entries.map { ($0.name, $0) })
}

/// A swift-metrics factory over a swift-prometheus registry that takes each metric's type, help
/// text and buckets from `MetricCatalog`.
///
/// `PrometheusMetricsFactory` registers everything with empty help (and `promtool check metrics`
/// flags a family without HELP), and the registry stops the process when one name is registered
/// with two help texts, two types, or with and without labels; going through the catalogue makes
/// each of those impossible. A label missing from the catalogue is a programming error.
struct CatalogMetricsFactory: MetricsFactory {
    let registry: PrometheusCollectorRegistry

    private func entry(_ label: String, _ dimensions: [(String, String)]) -> (MetricCatalog.Entry, MetricNameDescriptor) {
        guard let entry = MetricCatalog.byName[label] else { preconditionFailure("metric \(label) is not in MetricCatalog") }
        precondition(dimensions.map(\.0) == entry.labels, "metric \(label) takes labels \(entry.labels)")
        return (entry, MetricNameDescriptor(metricName: label, unitName: "", helpText: entry.help))
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        let (_, descriptor) = entry(label, dimensions)
        return registry.makeCounter(descriptor: descriptor, labels: dimensions)
    }

    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        let (_, descriptor) = entry(label, dimensions)
        return registry.makeCounter(descriptor: descriptor, labels: dimensions)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        let (_, descriptor) = entry(label, dimensions)
        return registry.makeGauge(descriptor: descriptor, labels: dimensions)
    }

    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        let (_, descriptor) = entry(label, dimensions)
        return registry.makeGauge(descriptor: descriptor, labels: dimensions)
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        let (entry, descriptor) = entry(label, dimensions)
        guard case .durationHistogram(let buckets) = entry.kind else { preconditionFailure("metric \(label) is not a histogram") }
        return registry.makeDurationHistogram(descriptor: descriptor, labels: dimensions, buckets: buckets)
    }

    // Metrics live as long as the process: nothing is ever unregistered.
    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyMeter(_ handler: any MeterHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}
}
