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

    @Option(help: "Files dropped at once into the running daemon (throughput).")
    var files = 10_000

    @Option(help: "Files dropped at a steady rate afterwards (latency under load).")
    var paced = 10_000

    @Option(help: "Drop rate of the paced files, per second.")
    var rate = 2_000

    @Option(help: "Records in the archive for the restart figures.")
    var records = 1_000_000

    @Option(help: "The feedwatch binary (default: next to this one).")
    var feedwatch: String?

    func run() async throws {
        let binary = feedwatch ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("feedwatch").path
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("feedwatch-ingest-bench-\(getpid())")
        defer { try? FileManager.default.removeItem(at: root) }

        let dir = root.appendingPathComponent("ingest")
        let staging = dir.appendingPathComponent("staging")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        for i in 0..<(files + paced) {
            let body = String(repeating: ArchiveBench.paragraph, count: 4) + "Item \(i)."
            try "Bench article \(i)\n\n\(body)\n".write(to: staging.appendingPathComponent("b\(i).txt"), atomically: false, encoding: .utf8)
        }
        var daemon = try Daemon(binary: binary, directory: dir)
        try await daemon.waitReady()
        let drops = DropRun(staging: staging.path, inbox: dir.appendingPathComponent("var/inbox").path,
                            archive: dir.appendingPathComponent("archive/articles.jsonl").path)

        // 1. Throughput: everything at once, the daemon drains the inbox as fast as it can.
        let cpuBefore = daemon.cpuSeconds()
        let burst = try await drops.run(0..<files, perSecond: nil)
        let cpu = daemon.cpuSeconds() - cpuBefore
        print("ingest: \(files) files renamed at once into a running daemon (release, fsync per group commit)")
        print("  throughput: \(Int(burst.rate)) articles/s  (target >= 2000); daemon CPU \(Int(cpu * 1000)) ms "
              + "= \(Int(Double(files) / cpu)) articles per CPU-second (wall rate is lower when other jobs share the cores)")
        print("  latency rename → archive line: \(burst.latencies)  (queueing behind the burst)")
        // 2. Latency: a steady stream at the target rate.
        if paced > 0 {
            let steady = try await drops.run(files..<(files + paced), perSecond: rate)
            print("ingest: \(paced) files renamed at \(rate)/s")
            print("  throughput: \(Int(steady.rate)) articles/s")
            print("  latency rename → archive line: \(steady.latencies)  (target p99 < 250 ms)")
        }
        daemon.stop()

        // 3. Restart with a large archive.
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
        let clock = ContinuousClock()
        daemon = try Daemon(binary: binary, directory: big)
        let t0 = clock.now
        try await daemon.waitReady()
        let ready = clock.now - t0
        print("restart with \(records) archived records: READY after \(ready.ms.fixed) ms  (target < 1000 ms), "
              + "resident memory \(daemon.residentBytes() >> 20) MB")
        daemon.stop()
    }
}

/// Renames staged files into the inbox (all at once, or at a steady rate) and times each one
/// until its line shows up in the archive.
private struct DropRun {
    let staging: String
    let inbox: String
    let archive: String

    struct Figures {
        var rate: Double
        var latencies: String
    }

    func run(_ range: Range<Int>, perSecond: Int?) async throws -> Figures {
        let clock = ContinuousClock()
        let tail = ArchiveTail(path: archive)
        _ = tail.newNumbers() // skip what earlier runs archived
        var dropped = [ContinuousClock.Instant?](repeating: nil, count: range.count)
        var arrived = [ContinuousClock.Instant?](repeating: nil, count: range.count)
        let start = clock.now
        var next = range.lowerBound
        var seen = 0
        while seen < range.count {
            let now = clock.now
            // Due by now: all of them in a burst, else those whose slot at the steady rate has come.
            let due = perSecond.map { min(range.upperBound, range.lowerBound + Int((now - start).ms * Double($0) / 1000) + 1) }
                ?? range.upperBound
            while next < due {
                dropped[next - range.lowerBound] = clock.now
                rename("\(staging)/b\(next).txt", "\(inbox)/b\(next).txt")
                next += 1
            }
            let polled = clock.now
            for i in tail.newNumbers() where range.contains(i) && arrived[i - range.lowerBound] == nil {
                arrived[i - range.lowerBound] = polled
                seen += 1
            }
            if polled - start > .seconds(300) { throw ValidationError("timed out: \(seen) of \(range.count) archived") }
            try await Task.sleep(for: .milliseconds(1))
        }
        let last = arrived.compactMap { $0 }.max() ?? start
        let latencies = zip(dropped, arrived).compactMap { d, a in d.flatMap { d in a.map { ($0 - d).ms } } }.sorted()
        let text = "p50 \(latencies[latencies.count / 2].fixed) ms, p99 \(latencies[latencies.count * 99 / 100].fixed) ms, "
            + "max \(latencies.last?.fixed ?? "-") ms"
        return Figures(rate: Double(range.count) / (last - start).ms * 1000, latencies: text)
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
        let deadline = ContinuousClock.now + .seconds(120)
        while process.isRunning, ContinuousClock.now < deadline {
            if let text = try? String(contentsOf: log, encoding: .utf8), text.contains("feedwatch is ready") { return }
            try await Task.sleep(for: .microseconds(200))
        }
        if process.isRunning { throw ValidationError("feedwatch not ready after 120 s; see \(log.path)") }
        throw ValidationError("feedwatch exited with status \(process.terminationStatus)")
    }

    /// User + system CPU time of the daemon so far, from /proc/PID/stat.
    func cpuSeconds() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return 0 }
        // Fields after "(comm)": state is field 3, utime 14, stime 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * sysconf(Int32(_SC_PAGESIZE))
    }

    /// SIGINT, then SIGKILL if it has not drained within 30 s.
    func stop() {
        process.interrupt()
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning, ContinuousClock.now < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

/// Reads lines appended to the archive since the last call, and picks the article number out of
/// each title with a byte scan (a JSON parser here would take CPU from the daemon being timed).
private final class ArchiveTail {
    let path: String
    var offset: UInt64 = 0
    var partial: [UInt8] = []
    private static let marker = Array(#""title":"Bench article "#.utf8)

    init(path: String) {
        self.path = path
    }

    func newNumbers() -> [Int] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        try? handle.seek(toOffset: offset)
        let data = handle.readDataToEndOfFile()
        offset += UInt64(data.count)
        partial += data
        var numbers: [Int] = []
        var lineStart = 0
        while let newline = partial[lineStart...].firstIndex(of: 0x0A) {
            if let number = Self.number(in: partial[lineStart..<newline]) { numbers.append(number) }
            lineStart = newline + 1
        }
        partial.removeSubrange(0..<lineStart)
        return numbers
    }

    private static func number(in line: ArraySlice<UInt8>) -> Int? {
        let m = marker
        var i = line.startIndex
        while i + m.count < line.endIndex {
            if line[i] == m[0], line[i..<(i + m.count)].elementsEqual(m) {
                var n = 0
                var k = i + m.count
                while k < line.endIndex, line[k] >= 0x30, line[k] <= 0x39 {
                    n = n * 10 + Int(line[k] - 0x30)
                    k += 1
                }
                return k > i + m.count ? n : nil
            }
            i += 1
        }
        return nil
    }
}

private extension Duration {
    var ms: Double { Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15 }
}

private extension Double {
    var fixed: String { String(format: "%.1f", self) }
}
