import Archive
import Foundation
import Testing

@Suite struct ArchiveLockTests {
    @Test func secondOpenInTheSameProcessIsRefused() throws {
        let box = try ArchiveSandbox()
        defer { box.remove() }
        let store = try box.open()
        #expect { try box.open() } throws: { error in
            let e = try #require(error as? ArchiveError)
            return e.isInUse && e.message.contains("is in use by another feedwatch (pid \(getpid())")
                && e.message.contains(box.lockPath.path) && e.message.contains(box.livePath.path)
        }
        store.close()
        try box.open().close()
    }

    private static let flockTool = "/usr/bin/flock"

    /// `flock(1)` takes the same `flock(2)` lock from another process, in both directions.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: flockTool)), .timeLimit(.minutes(1)))
    func lockIsSeenByAndRefusedToAnotherProcess() async throws {
        let box = try ArchiveSandbox()
        defer { box.remove() }
        let store = try box.open()
        #expect(try run(Self.flockTool, ["-n", box.lockPath.path, "true"]) == 1)
        store.close()
        #expect(try run(Self.flockTool, ["-n", box.lockPath.path, "true"]) == 0)

        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: Self.flockTool)
        // -F: flock execs the shell, so killing it drops the lock (no forked child keeps it).
        holder.arguments = ["-F", box.lockPath.path, "/bin/sh", "-c", "echo held; exec sleep 30"]
        let out = Pipe()
        holder.standardOutput = out
        try holder.run()
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL) } }
        let line = out.fileHandleForReading.availableData
        #expect(String(decoding: line, as: UTF8.self) == "held\n")
        #expect { try box.open() } throws: { error in (error as? ArchiveError)?.isInUse == true }
        // SIGKILL: the holder may inherit a blocked SIGTERM from the test runner.
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        try box.open().close()
    }

    private func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }
}
