import Archive
import FeedModel
import FeedWatchTesting
import Foundation
import Logging
import SystemPackage

/// A fresh archive directory layout under /tmp, and ways to read back what the store wrote.
struct ArchiveSandbox {
    let root: URL
    var segmentBytes = 256 << 20
    var snapshotInterval = 50_000

    init(_ label: String = "archive", root: URL? = nil) throws {
        self.root = try root ?? TestPaths.makeTemporaryDirectory("feedwatch-\(label)")
    }

    var archiveDirectory: URL { root.appendingPathComponent("archive") }
    var stateDirectory: URL { root.appendingPathComponent("state") }
    var livePath: URL { archiveDirectory.appendingPathComponent("articles.jsonl") }
    var snapshotPath: URL { stateDirectory.appendingPathComponent("dedup-index.bin") }
    var lockPath: URL { stateDirectory.appendingPathComponent("archive.lock") }

    var options: ArchiveOptions {
        ArchiveOptions(archivePath: FilePath(livePath.path), stateDirectory: FilePath(stateDirectory.path),
                       segmentBytes: segmentBytes, snapshotInterval: snapshotInterval)
    }

    func open(_ logger: Logger = Logger(label: "test")) throws -> ArchiveStore {
        try ArchiveStore.open(options, logger: logger)
    }

    /// Archive files in archive order (zero-padded segment names sort before `articles.jsonl`).
    func files() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: archiveDirectory.path)
            .filter { $0.hasPrefix("articles.") && $0.hasSuffix(".jsonl") }.sorted()
    }

    /// Every line of every archive file, checked to be complete JSON objects.
    func records() throws -> [[String: Any]] {
        var out: [[String: Any]] = []
        for name in try files() {
            out += try records(in: name)
        }
        return out
    }

    func records(in name: String) throws -> [[String: Any]] {
        let data = try Data(contentsOf: archiveDirectory.appendingPathComponent(name))
        if !data.isEmpty, data.last != 0x0A { throw SandboxError("\(name) ends without a newline") }
        var out: [[String: Any]] = []
        for line in data.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast() {
            guard let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                throw SandboxError("\(name): a line is not a JSON object")
            }
            out.append(object)
        }
        return out
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

struct SandboxError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

enum Articles {
    static let fetchedAt = Timestamp(secondsSince1970: 1_700_000_000)

    static func item(_ k: Int, label: String = "a", source: String = "feed-1", guid: String? = nil,
                     url: String? = nil, text: String? = nil) -> IngestItem {
        IngestItem(article: Article(title: "Title \(k)", text: text ?? "Body \(label) \(k)\n\nSecond paragraph.",
                                    url: url, guid: guid),
                   source: ArticleSource(kind: .feed, name: source, url: "http://127.0.0.1/feed.xml"),
                   fetchedAt: fetchedAt)
    }

    static func items(_ range: Range<Int>, label: String = "a") -> [IngestItem] {
        range.map { item($0, label: label, guid: "guid-\(label)-\($0)") }
    }
}

/// Collects log lines so tests can check the warnings the store gives.
final class CapturedLogs: @unchecked Sendable {
    // Safe: every access to `lines` holds `lock`.
    private let lock = NSLock()
    private var lines: [String] = []

    var all: [String] { lock.withLock { lines } }

    func append(_ line: String) { lock.withLock { lines.append(line) } }

    var logger: Logger {
        Logger(label: "test") { _ in CapturingHandler(sink: self) }
    }
}

struct CapturingHandler: LogHandler {
    let sink: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        sink.append("\(event.level): \(event.message)")
    }
}
