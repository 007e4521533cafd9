import FeedWatchCore
import FeedWatchTesting
import SystemSupport
import Foundation
import SystemPackage
import Testing

@Suite struct SystemdNotifyTests {
    @Test func messageFormat() {
        #expect(NotifyMessage.datagram([.ready, .status("up\nand running")]) == "READY=1\nSTATUS=up and running")
        #expect(NotifyMessage.reloading(monotonicMicroseconds: 42).line == "RELOADING=1\nMONOTONIC_USEC=42")
        #expect(NotifyMessage.stopping.line == "STOPPING=1")
        #expect(NotifyMessage.watchdog.line == "WATCHDOG=1")
    }

    @Test func monotonicClockAdvances() {
        let a = NotifyMessage.monotonicNow()
        let b = NotifyMessage.monotonicNow()
        #expect(a > 0 && b >= a)
    }

    @Test func watchdogIntervalIsHalfTheTimeoutAndOnlyForThisProcess() {
        let env = ["NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "10000000"]
        #expect(SystemdNotifier(environment: env).watchdogInterval == .seconds(5))
        #expect(SystemdNotifier(environment: env.merging(["WATCHDOG_PID": "1"]) { $1 }, pid: 2).watchdogInterval == nil)
        #expect(SystemdNotifier(environment: env.merging(["WATCHDOG_PID": "2"]) { $1 }, pid: 2).watchdogInterval == .seconds(5))
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "1000"]).watchdogInterval == nil)
    }

    @Test func withoutNotifySocketNothingIsSent() {
        #expect(SystemdNotifier(environment: [:]).send(.ready) == nil)
    }

    @Test func sendsDatagramsToTheSocket() async throws {
        let dir = try TestPaths.makeTemporaryDirectory("fw-notify")
        defer { try? FileManager.default.removeItem(at: dir) }
        let listener = try NotifySocketListener(directory: dir)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.path])
        #expect(notifier.send(.ready, .status("hello")) == nil)
        #expect(await listener.waitFor("READY=1") == 0)
        #expect(listener.received() == ["READY=1\nSTATUS=hello"])
    }

    @Test func missingSocketIsReportedNotFatal() {
        let error = SystemdNotifier(environment: ["NOTIFY_SOCKET": "/nonexistent/notify.sock"]).send(.ready)
        #expect(error?.errno == .noSuchFileOrDirectory)
    }

    @Test func abstractSocketNames() {
        // No listener: the send must fail with ECONNREFUSED, proving the abstract name was used
        // (a path name would fail with ENOENT instead).
        let error = SystemdNotifier(environment: ["NOTIFY_SOCKET": "@feedwatch-test-\(UUID().uuidString)"]).send(.ready)
        #expect(error?.errno == .connectionRefused)
    }

    /// A receiver that stops reading must not block the sender (issue 14, item 13): STATUS is
    /// dropped silently once its queue is full, anything else comes back as EAGAIN, at once.
    @Test(.timeLimit(.minutes(1)))
    func aFullSocketNeverBlocksAndDropsStatus() async throws {
        let dir = try TestPaths.makeTemporaryDirectory("fw-notify-full")
        defer { try? FileManager.default.removeItem(at: dir) }
        let listener = try NotifySocketListener(directory: dir)   // never read until the end
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.path])
        let start = ContinuousClock.now
        var statusErrors = 0
        for k in 0..<5_000 where notifier.send(.status("status \(k)")) != nil { statusErrors += 1 }
        let watchdog = notifier.send(.watchdog)
        #expect(ContinuousClock.now - start < .seconds(5), "a send blocked")
        #expect(statusErrors == 0)
        #expect(watchdog?.errno == .resourceTemporarilyUnavailable)
        let received = listener.received()
        #expect(!received.isEmpty && received.count < 5_000)
    }
}
