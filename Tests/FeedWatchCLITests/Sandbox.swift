import FeedWatchTesting
import Foundation
import Testing

/// A temp directory laid out like a real install: a config, an inbox, an archive, run by
/// the real `feedwatch` binary.
struct Sandbox {
    let dir: URL
    let listener: NotifySocketListener

    init(extraConfig: String = "") throws {
        dir = try TestPaths.makeTemporaryDirectory("fw-e2e")
        listener = try NotifySocketListener(directory: dir)
        try config(extraConfig).write(to: configURL, atomically: true, encoding: .utf8)
    }

    func config(_ extra: String = "") -> String {
        """
        state_dir = "var/state"
        log_level = "debug"
        \(extra)
        [archive]
        path = "var/archive/articles.jsonl"
        [inbox]
        path = "var/inbox"
        processed = "var/processed"
        failed = "var/failed"
        max_bytes = 100000
        """
    }

    var configURL: URL { dir.appendingPathComponent("feedwatch.toml") }
    var inbox: URL { dir.appendingPathComponent("var/inbox") }
    var processed: URL { dir.appendingPathComponent("var/processed") }
    var failed: URL { dir.appendingPathComponent("var/failed") }
    var archive: URL { dir.appendingPathComponent("var/archive/articles.jsonl") }

    func start(watchdogUsec: Int? = nil) throws -> DaemonProcess {
        var env = ["NOTIFY_SOCKET": listener.path]
        if let watchdogUsec { env["WATCHDOG_USEC"] = "\(watchdogUsec)" }
        return try DaemonProcess(["run", "--config", configURL.path], in: dir, environment: env)
    }

    /// Starts the daemon and waits for its `READY=1`.
    func startReady(watchdogUsec: Int? = nil) async throws -> DaemonProcess {
        let before = listener.received().count - 1
        let daemon = try start(watchdogUsec: watchdogUsec)
        let ready = await listener.waitFor("READY=1", after: before)
        try #require(ready != nil, "no READY=1; stderr:\n\(daemon.stderr)")
        return daemon
    }

    /// Writes a file beside the inbox, then renames it in: how well-behaved producers drop.
    func drop(_ name: String, _ content: String) throws {
        let staging = dir.appendingPathComponent("staging")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        let tmp = staging.appendingPathComponent(name)
        try content.write(to: tmp, atomically: false, encoding: .utf8)
        try FileManager.default.moveItem(at: tmp, to: inbox.appendingPathComponent(name))
    }

    func names(in url: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
    }

    /// Every archive line, parsed; a line that is not a JSON object, or that does not validate
    /// against `docs/record.schema.json`, fails the test.
    /// Rotated segments (`articles.FIRST-LAST.jsonl`, in name order, which is `seq` order) come first.
    func records(sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        let folder = archive.deletingLastPathComponent()
        let segments = names(in: folder).filter { $0.hasPrefix("articles.0") && $0.hasSuffix(".jsonl") }
        let data = segments.compactMap { FileManager.default.contents(atPath: folder.appendingPathComponent($0).path) }
            + [FileManager.default.contents(atPath: archive.path)].compactMap { $0 }
        guard !data.isEmpty else { return [] }
        let text = data.map { String(decoding: $0, as: UTF8.self) }.joined()
        if !text.isEmpty { #expect(text.hasSuffix("\n"), "torn last line", sourceLocation: sourceLocation) }
        return try text.split(separator: "\n").map { line in
            let violations = try RecordSchema.violations(ofLine: line)
            #expect(violations.isEmpty, "\(violations) in \(line)", sourceLocation: sourceLocation)
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            return try #require(object as? [String: Any], "not a JSON object: \(line)", sourceLocation: sourceLocation)
        }
    }

    func titles() throws -> [String] { try records().compactMap { $0["title"] as? String } }

    func remove() { try? FileManager.default.removeItem(at: dir) }
}

/// A plain-text article (SPEC §4): title line, blank line, body.
func textArticle(_ title: String, _ body: String) -> String { "\(title)\n\n\(body)\n" }
