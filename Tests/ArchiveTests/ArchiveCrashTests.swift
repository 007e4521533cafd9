import Archive
import FeedModel
import Foundation
import Testing

/// Crash safety with a real `kill -9`: the test binary re-runs itself as the writer (the
/// `crashChildWriter` test, enabled only through the environment), which appends batches and logs
/// each acknowledged id to a side file with plain `write(2)` (a killed process's writes survive).
/// The parent kills it at a random moment, mid-batch, mid-rotation or mid-snapshot, then reopens.
@Suite struct ArchiveCrashTests {
    static let childRoot = "FEEDWATCH_ARCHIVE_CRASH_ROOT"
    static let childLabel = "FEEDWATCH_ARCHIVE_CRASH_LABEL"

    private static func sandbox(_ root: URL?) throws -> ArchiveSandbox {
        var box = try ArchiveSandbox("crash", root: root)
        box.segmentBytes = 6000      // a rotation every ~15 records
        box.snapshotInterval = 25    // and frequent snapshots, to crash inside their saves too
        return box
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment[childRoot] != nil))
    func crashChildWriter() throws {
        let env = ProcessInfo.processInfo.environment
        let root = URL(fileURLWithPath: try #require(env[Self.childRoot]))
        let label = env[Self.childLabel] ?? "x"
        let box = try Self.sandbox(root)
        let store = try box.open()
        let ackPath = root.appendingPathComponent("acks-\(label)")
        _ = FileManager.default.createFile(atPath: ackPath.path, contents: nil)
        let acks = try FileHandle(forWritingTo: ackPath)
        var k = 0
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let n = [1, 2, 7, 16].randomElement() ?? 1
            var items = (k..<(k + n)).map { Articles.item($0, label: label, guid: "g-\(label)-\($0)") }
            // An update of an earlier entry and a duplicate, now and then.
            if k > 5 {
                items.append(Articles.item(k - 3, label: label, guid: "g-\(label)-\(k - 3)", text: "revised \(k)"))
                items.append(Articles.item(k - 5, label: label, guid: "g-\(label)-\(k - 5)"))
            }
            let out = try store.append(items)
            var line = ""
            for case .archived(let seq, let id, _) in out { line += "\(seq) \(id)\n" }
            try acks.write(contentsOf: Data(line.utf8))
            k += n
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func killedWriterLosesNoAcknowledgedRecordAndLeavesNoTornLine() async throws {
        let box = try Self.sandbox(nil)
        defer { box.remove() }
        var acknowledged: [String: Int] = [:]
        for round in 0..<6 {
            let child = Process()
            child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
            child.arguments = ["--testing-library", "swift-testing", "--filter", "ArchiveCrashTests/crashChildWriter"]
            var env = ProcessInfo.processInfo.environment
            env[Self.childRoot] = box.root.path
            env[Self.childLabel] = "r\(round)"
            child.environment = env
            child.standardOutput = FileHandle.nullDevice
            child.standardError = FileHandle.nullDevice
            try child.run()
            let ackPath = box.root.appendingPathComponent("acks-r\(round)")
            let target = Int.random(in: 3...120)
            var lines = 0
            while lines < target, child.isRunning {
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...10)))
                lines = ((try? Data(contentsOf: ackPath)) ?? Data()).count { $0 == 0x0A }
            }
            #expect(child.isRunning, "the writer exited early with status \(child.terminationStatus)")
            // The writer holds the lock: a second writer is refused, naming the holder.
            #expect { try box.open() } throws: { error in
                (error as? ArchiveError)?.message.contains("(pid \(child.processIdentifier)") == true
            }
            try await Task.sleep(for: .microseconds(Int.random(in: 0...3000)))
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            #expect(child.terminationReason == .uncaughtSignal)

            for line in String(decoding: try Data(contentsOf: ackPath), as: UTF8.self).split(separator: "\n") {
                let parts = line.split(separator: " ")
                acknowledged[String(parts[1])] = Int(parts[0])
            }
            let store = try box.open()
            let stats = store.stats()
            store.close()
            let records = try box.records()
            let seqs = records.compactMap { $0["seq"] as? Int }
            #expect(seqs == Array(1..<(records.count + 1)))
            #expect(stats.records == records.count)
            var seen: [String: Int] = [:]
            for r in records {
                if let id = r["id"] as? String, let seq = r["seq"] as? Int { seen[id, default: 0] += 1; _ = seq }
            }
            #expect(seen.values.allSatisfy { $0 == 1 }, "an id is archived twice")
            for (id, seq) in acknowledged {
                #expect(seen[id] == 1, "acknowledged \(id) (seq \(seq)) is missing after the crash")
            }
            #expect(records.count >= acknowledged.count)
        }
    }
}
