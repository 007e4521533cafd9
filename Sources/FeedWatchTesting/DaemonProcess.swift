public import Foundation
import Glibc

/// The built `feedwatch` binary run as a child process in a test directory, with its
/// stderr collected to a file so that a test can wait for a log line or read it afterwards.
public final class DaemonProcess: @unchecked Sendable {
    // `@unchecked`: `process` is configured before `run()` and afterwards only read through
    // Foundation's thread-safe accessors; nothing here is mutated after `init`.
    public let process: Process
    public let stderrURL: URL

    /// Starts `feedwatch ARGS…` in `directory` with `environment` added to a minimal one.
    public init(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws {
        process = Process()
        process.executableURL = TestPaths.feedwatchBinary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ["PATH": "/usr/bin:/bin", "HOME": directory.path]
        env.merge(environment) { _, new in new }
        process.environment = env
        stderrURL = directory.appendingPathComponent("stderr-\(UUID().uuidString.prefix(6)).log")
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let handle = try FileHandle(forWritingTo: stderrURL)
        process.standardError = handle
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        try handle.close()
    }

    public var pid: Int32 { process.processIdentifier }

    public var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    public func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

    /// The exit status, or `nil` if it is still running after `timeout`.
    public func waitForExit(timeout: Duration = .seconds(20)) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline { return nil }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return process.terminationStatus
    }

    /// Kills it if still running (tests call this in `defer`).
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// Runs `feedwatch ARGS…` to completion; returns status, stdout and stderr.
public func runFeedwatch(_ arguments: [String], in directory: URL,
                         environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = TestPaths.feedwatchBinary
    process.arguments = arguments
    process.currentDirectoryURL = directory
    var env = ["PATH": "/usr/bin:/bin", "HOME": directory.path]
    env.merge(environment) { _, new in new }
    process.environment = env
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
public func eventually(timeout: Duration = .seconds(15), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
