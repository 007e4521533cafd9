import Archive
import ArgumentParser
import DropFolder
import Foundation
import Glibc
import Logging
import Synchronization

/// The daemon end to end, as users run it: files renamed into the inbox of a running
/// `feedwatch run` (release build, fsync on), measured from each rename to the moment the file
/// is durable: when the daemon moves it to `processed/`, which it does only after the
/// fdatasync of the batch holding its records. Then the restart cost with a large archive:
/// time to READY and resident memory of the daemon.
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
        let binary = feedwatch ?? FeedWatchBinary.besideThisOne
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
        // The daemon has made processed/ by the time it is ready; nothing is dropped yet.
        let watch = try ProcessedWatch(directory: dir.appendingPathComponent("var/processed").path, files: files + paced)
        defer { watch.stop() }
        let drops = DropRun(staging: staging.path, inbox: dir.appendingPathComponent("var/inbox").path, watch: watch)

        // 1. Throughput: everything at once, the daemon drains the inbox as fast as it can.
        let cpuBefore = ProcessCPU.seconds(of: daemon.pid)
        let burst = try await drops.run(0..<files, perSecond: nil)
        let cpu = ProcessCPU.seconds(of: daemon.pid) - cpuBefore
        print("ingest: \(files) files renamed at once into a running daemon (release, fdatasync per group commit)")
        print("  throughput to durable: \(Int(burst.rate)) articles/s  (target >= 2000); daemon CPU \(Int(cpu * 1000)) ms "
              + "= \(Int(Double(files) / cpu)) articles per CPU-second (wall rate is lower when other jobs share the cores)")
        print("  latency rename → durable (file moved to processed/): \(burst.latencies)  (queueing behind the burst)")
        // 2. Latency: a steady stream at the target rate.
        if paced > 0 {
            let steady = try await drops.run(files..<(files + paced), perSecond: rate)
            print("ingest: \(paced) files renamed at \(rate)/s")
            print("  throughput to durable: \(Int(steady.rate)) articles/s")
            print("  latency rename → durable (file moved to processed/): \(steady.latencies)  (target p99 < 250 ms)")
        }
        let overflows = watch.overflows
        if overflows > 0 {
            print("  note: the inotify queue on processed/ overflowed \(overflows) time(s); files found by the rescan "
                  + "are stamped at the rescan, so some latencies are overstated")
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
/// until the daemon has moved it to `processed/`.
private struct DropRun {
    let staging: String
    let inbox: String
    let watch: ProcessedWatch

    struct Figures {
        var rate: Double
        var latencies: String
    }

    /// Runs one after the other: a run returns only when all of its files are in `processed/`,
    /// and no file can get there before it is dropped, so what arrives during a run is its own.
    func run(_ range: Range<Int>, perSecond: Int?) async throws -> Figures {
        let clock = ContinuousClock()
        var dropped = [ContinuousClock.Instant?](repeating: nil, count: range.count)
        let before = watch.count
        let start = clock.now
        var next = range.lowerBound
        while true {
            let now = clock.now
            // Due by now: all of them in a burst, else those whose slot at the steady rate has come.
            let due = perSecond.map { min(range.upperBound, range.lowerBound + Int((now - start).ms * Double($0) / 1000) + 1) }
                ?? range.upperBound
            while next < due {
                dropped[next - range.lowerBound] = clock.now
                rename("\(staging)/b\(next).txt", "\(inbox)/b\(next).txt")
                next += 1
            }
            let seen = watch.count - before
            if seen >= range.count { break }
            if clock.now - start > .seconds(300) {
                throw ValidationError("timed out: \(seen) of \(range.count) files moved to processed/ (see failed/ and the daemon log)")
            }
            try await Task.sleep(for: .milliseconds(1))
        }
        let arrived = watch.arrivals(range)
        let last = arrived.compactMap { $0 }.max() ?? start
        let latencies = zip(dropped, arrived).compactMap { d, a in d.flatMap { d in a.map { ($0 - d).ms } } }.sorted()
        let text = "p50 \(latencies[latencies.count / 2].fixed) ms, p99 \(latencies[latencies.count * 99 / 100].fixed) ms, "
            + "max \(latencies.last?.fixed ?? "-") ms"
        return Figures(rate: Double(range.count) / (last - start).ms * 1000, latencies: text)
    }
}

/// Stamps the moment each bench file `b<N>.txt` lands in `processed/` (`IN_MOVED_TO`), on a
/// thread of its own that blocks in `poll`, so a stamp does not wait for the drop loop. The
/// events of one `read` share the time of that read. After `IN_Q_OVERFLOW` the folder is
/// listed again and the files not stamped yet get the time of the listing: later than their
/// move, never earlier.
private final class ProcessedWatch: Sendable {
    private struct Arrivals {
        var at: [ContinuousClock.Instant?]
        var count = 0
        var overflows = 0
    }

    let directory: String
    private let inotify: Int32
    private let arrivals: Mutex<Arrivals>
    private let stopping = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)

    /// Numbers `0..<files` are tracked; other names in the folder are ignored.
    init(directory: String, files: Int) throws {
        self.directory = directory
        inotify = try Self.watch(directory)
        arrivals = Mutex(Arrivals(at: .init(repeating: nil, count: files)))
        let thread = Thread { [self] in
            loop()
            close(inotify)
            finished.store(true, ordering: .releasing)
        }
        thread.name = "bench-processed-watch"
        thread.start()
    }

    private static func watch(_ directory: String) throws -> Int32 {
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { throw ValidationError("inotify_init1: \(String(cString: strerror(errno)))") }
        guard inotify_add_watch(fd, directory, UInt32(IN_MOVED_TO | IN_ONLYDIR)) >= 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw ValidationError("cannot watch \(directory): \(reason)")
        }
        return fd
    }

    /// Files stamped so far.
    var count: Int { arrivals.withLock { $0.count } }

    var overflows: Int { arrivals.withLock { $0.overflows } }

    func arrivals(_ range: Range<Int>) -> [ContinuousClock.Instant?] {
        arrivals.withLock { Array($0.at[range]) }
    }

    /// Ends the thread (within one poll timeout) and closes the descriptor.
    func stop() {
        stopping.store(true, ordering: .relaxed)
        while !finished.load(ordering: .acquiring) { usleep(1_000) }
    }

    private func loop() {
        let size = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        defer { buffer.deallocate() }
        var fds = pollfd(fd: inotify, events: Int16(POLLIN), revents: 0)
        while !stopping.load(ordering: .relaxed) {
            guard poll(&fds, 1, 20) > 0 else { continue } // timeout (to look at `stopping`) or EINTR
            while true {
                let n = read(inotify, buffer, size)
                guard n > 0 else { break } // EAGAIN: the queue is drained
                let now = ContinuousClock.now
                handle(UnsafeRawBufferPointer(start: buffer, count: n), at: now)
            }
        }
    }

    private func handle(_ events: UnsafeRawBufferPointer, at now: ContinuousClock.Instant) {
        var numbers: [Int] = []
        var overflowed = false
        for event in InotifyEvents(events) {
            if event.mask & UInt32(IN_Q_OVERFLOW) != 0 {
                overflowed = true
            } else if event.mask & UInt32(IN_MOVED_TO) != 0, let number = Self.number(event.name) {
                numbers.append(number)
            }
        }
        stamp(numbers, at: now, overflow: false)
        if overflowed {
            let listed = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            stamp(listed.compactMap { Self.number($0.utf8) }, at: ContinuousClock.now, overflow: true)
        }
    }

    private func stamp(_ numbers: [Int], at now: ContinuousClock.Instant, overflow: Bool) {
        arrivals.withLock { a in
            if overflow { a.overflows += 1 }
            for n in numbers where n < a.at.count && a.at[n] == nil {
                a.at[n] = now
                a.count += 1
            }
        }
    }

    /// `b<N>.txt`, or `b<N>-2.txt` had the name been taken, → N.
    private static func number(_ name: some Collection<UInt8>) -> Int? {
        guard name.first == UInt8(ascii: "b") else { return nil }
        var n = 0
        var digits = 0
        for byte in name.dropFirst() {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { break }
            n = n * 10 + Int(byte - UInt8(ascii: "0"))
            digits += 1
        }
        return digits > 0 ? n : nil
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

    var pid: pid_t { process.processIdentifier }

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

    func residentBytes() -> Int { ProcessMemory.residentBytes(of: pid) }

    /// SIGINT, then SIGKILL if it has not drained within 30 s.
    func stop() {
        process.interrupt()
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning, ContinuousClock.now < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
