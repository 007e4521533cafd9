import Archive
import ArgumentParser
import Foundation
import Glibc
import Logging

/// The daemon end to end, as users run it: files renamed into the inbox of a running
/// `feedwatch run` (release build, fsync on), measured from each rename to the moment its
/// line is in the archive. Then the restart cost with a large archive: time to READY and
/// resident memory of the daemon.
struct IngestBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ingest", abstract: "End-to-end inbox ingest")

    @Option(help: "Files dropped into the running daemon.")
    var files = 10_000

    @Option(help: "Records in the archive for the restart figures.")
    var records = 1_000_000

    @Option(help: "The feedwatch binary (default: next to this one).")
    var feedwatch: String?

    func run() async throws {
        let binary = feedwatch ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("feedwatch").path
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("feedwatch-ingest-bench-\(getpid())")
        defer { try? FileManager.default.removeItem(at: root) }

        // 1. Throughput and latency.
        let dir = root.appendingPathComponent("ingest")
        let staging = dir.appendingPathComponent("staging")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        for i in 0..<files {
            let body = String(repeating: ArchiveBench.paragraph, count: 4) + "Item \(i)."
            try "Bench article \(i)\n\n\(body)\n".write(to: staging.appendingPathComponent("b\(i).txt"), atomically: false, encoding: .utf8)
        }
        var daemon = try Daemon(binary: binary, directory: dir)
        try await daemon.waitReady()
        let archive = dir.appendingPathComponent("var/archive/articles.jsonl").path
        let inbox = dir.appendingPathComponent("var/inbox").path
        let clock = ContinuousClock()
        var dropped = [ContinuousClock.Instant](repeating: clock.now, count: files)
        var arrived = [ContinuousClock.Instant?](repeating: nil, count: files)
        let tail = ArchiveTail(path: archive)
        let start = clock.now
        var next = 0
        var seen = 0
        // Drop in bursts of 100 between reads of the archive tail, so arrivals are timed as they happen.
        while seen < files {
            if next < files {
                for i in next..<min(next + 100, files) {
                    dropped[i] = clock.now
                    rename(staging.appendingPathComponent("b\(i).txt").path, inbox + "/b\(i).txt")
                }
                next = min(next + 100, files)
            }
            let now = clock.now
            for title in tail.newTitles() {
                guard let i = Int(title.dropFirst("Bench article ".count)), arrived[i] == nil else { continue }
                arrived[i] = now
                seen += 1
            }
            if now - start > .seconds(300) { throw ValidationError("timed out: \(seen) of \(files) archived") }
            if next >= files { try await Task.sleep(for: .milliseconds(1)) }
        }
        let elapsed = (arrived.compactMap { $0 }.max() ?? start) - start
        let latencies = (0..<files).compactMap { i in arrived[i].map { ($0 - dropped[i]).ms } }.sorted()
        print("ingest: \(files) files renamed into a running daemon (release, fsync per group commit)")
        print("  throughput: \(Int(Double(files) / elapsed.ms * 1000)) articles/s  (target >= 2000)")
        print("  latency rename → archive line: p50 \(latencies[latencies.count / 2].fixed) ms, "
              + "p99 \(latencies[latencies.count * 99 / 100].fixed) ms, max \(latencies.last?.fixed ?? "-") ms  (target p99 < 250 ms)")
        daemon.stop()

        // 2. Restart with a large archive.
        let big = root.appendingPathComponent("big")
        let options = ArchiveBench.options(big)
        let quiet = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let store = try ArchiveStore.open(options, logger: quiet)
        var k = 0
        while k < records {
            let n = min(1000, records - k)
            _ = try store.append((k..<(k + n)).map { ArchiveBench.article($0, label: "big", long: false) })
            k += n
        }
        store.close()
        daemon = try Daemon(binary: binary, directory: big)
        let t0 = clock.now
        try await daemon.waitReady()
        let ready = clock.now - t0
        print("restart with \(records) archived records: READY after \(ready.ms.fixed) ms  (target < 1000 ms), "
              + "resident memory \(daemon.residentBytes() >> 20) MB")
        daemon.stop()
    }
}

/// A `feedwatch run` child with its paths laid out like `ArchiveBench.options`.
private struct Daemon {
    let process = Process()
    let log: URL

    init(binary: String, directory: URL) throws {
        let config = directory.appendingPathComponent("feedwatch.toml")
        try """
            state_dir = "state"
            log_level = "info"
            [archive]
            path = "archive/articles.jsonl"
            [inbox]
            path = "var/inbox"
            processed = "var/processed"
            failed = "var/failed"
            """.write(to: config, atomically: true, encoding: .utf8)
        log = directory.appendingPathComponent("feedwatch.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["run", "--config", config.path]
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
    }

    /// The "ready" log line is written right before `READY=1`: archive open, inbox watched.
    func waitReady() async throws {
        while process.isRunning {
            if let text = try? String(contentsOf: log, encoding: .utf8), text.contains("feedwatch is ready") { return }
            try await Task.sleep(for: .microseconds(200))
        }
        throw ValidationError("feedwatch exited with status \(process.terminationStatus)")
    }

    func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * sysconf(Int32(_SC_PAGESIZE))
    }

    func stop() {
        process.interrupt()
        process.waitUntilExit()
    }
}

/// Reads lines appended to the archive since the last call.
private final class ArchiveTail {
    let path: String
    var offset: UInt64 = 0
    var partial = Data()

    init(path: String) {
        self.path = path
    }

    func newTitles() -> [String] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        try? handle.seek(toOffset: offset)
        let data = handle.readDataToEndOfFile()
        offset += UInt64(data.count)
        partial.append(data)
        var titles: [String] = []
        while let newline = partial.firstIndex(of: 0x0A) {
            let line = partial[partial.startIndex..<newline]
            partial.removeSubrange(partial.startIndex...newline)
            if let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any], let title = object["title"] as? String {
                titles.append(title)
            }
        }
        return titles
    }
}

private extension Duration {
    var ms: Double { Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15 }
}

private extension Double {
    var fixed: String { String(format: "%.1f", self) }
}
