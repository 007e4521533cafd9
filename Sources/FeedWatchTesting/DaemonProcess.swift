public import Foundation
import Glibc

/// The built `feedwatch` binary run as a child process in a test directory, with its
/// stderr collected to a file so that a test can wait for a log line or read it afterwards.
public final class DaemonProcess: @unchecked Sendable {
    // `@unchecked`: `process` is configured before `run()` and afterwards only read through
    // Foundation's thread-safe accessors; nothing here is mutated after `init`.
    public let process: Process
    public let stderrURL: URL
    public let stdoutURL: URL

    /// Starts `feedwatch ARGS…` in `directory` with `environment` added to a minimal one.
    public init(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws {
        process = feedwatchProcess(arguments, in: directory, environment: environment)
        stderrURL = directory.appendingPathComponent("stderr-\(UUID().uuidString.prefix(6)).log")
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        stdoutURL = directory.appendingPathComponent("stdout-\(UUID().uuidString.prefix(6)).log")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        let handle = try FileHandle(forWritingTo: stderrURL)
        let out = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = handle
        process.standardOutput = out
        try process.run()
        try handle.close()
        try out.close()
    }

    public var pid: Int32 { process.processIdentifier }

    public var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    public var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }

    public func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

    /// The exit status, or `nil` if it is still running after `timeout`.
    public func waitForExit(timeout: Duration = .seconds(60)) async -> Int32? {
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
///
/// Output goes to files, not pipes: a child that logs more than a pipe buffer to stderr
/// while the parent drains stdout would block both forever. A child still running after
/// `timeout` is killed (status 9, by signal) so that a hung command fails its test instead of CI.
public func runFeedwatch(_ arguments: [String], in directory: URL,
                         environment: [String: String] = [:], stdin: [UInt8] = [],
                         timeout: Duration = .seconds(120)) async throws -> (status: Int32, stdout: String, stderr: String) {
    let process = feedwatchProcess(arguments, in: directory, environment: environment)
    let tag = UUID().uuidString.prefix(8)
    let outURL = FileManager.default.temporaryDirectory.appendingPathComponent("feedwatch-run-\(tag).out")
    let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("feedwatch-run-\(tag).err")
    let inURL = FileManager.default.temporaryDirectory.appendingPathComponent("feedwatch-run-\(tag).in")
    _ = FileManager.default.createFile(atPath: inURL.path, contents: Data(stdin))
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    defer {
        try? FileManager.default.removeItem(at: outURL)
        try? FileManager.default.removeItem(at: errURL)
        try? FileManager.default.removeItem(at: inURL)
    }
    let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
    process.standardOutput = out
    process.standardError = err
    let input = try FileHandle(forReadingFrom: inURL)
    process.standardInput = input
    try process.run()
    try out.close()
    try err.close()
    try input.close()
    let deadline = ContinuousClock.now + timeout
    // Sleeping, not blocking: a test thread parked in a wait would starve the cooperative
    // pool (two threads here) that the other suites' timers and servers need.
    while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    let stdout = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
    let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
    return (process.terminationStatus, stdout, stderr)
}

/// `feedwatch ARGS…` in `directory`, with `environment` added to a minimal one (no inherited
/// `NOTIFY_SOCKET` or `FEEDWATCH_CONFIG` from the test runner).
private func feedwatchProcess(_ arguments: [String], in directory: URL, environment: [String: String]) -> Process {
    let process = Process()
    process.executableURL = TestPaths.feedwatchBinary
    process.arguments = arguments
    process.currentDirectoryURL = directory
    var env = ["PATH": "/usr/bin:/bin", "HOME": directory.path]
    env.merge(environment) { _, new in new }
    process.environment = env
    return process
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
public func eventually(timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
