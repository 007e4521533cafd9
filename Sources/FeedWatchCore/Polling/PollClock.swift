public import Foundation
import Synchronization

/// Where the poller's time comes from.
///
/// The daemon uses the wall clock; tests inject a virtual clock that jumps ahead when the
/// poller sleeps, so hours of backoff run in milliseconds without a single wall-clock assert.
public protocol PollClock: Sendable {
    func now() -> Date
    /// Returns at `deadline` at the earliest; throws `CancellationError` when cancelled.
    func sleep(until deadline: Date) async throws
}

/// `Date()` and `Task.sleep`: what the daemon runs on.
public struct WallClock: PollClock {
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(until deadline: Date) async throws {
        let seconds = deadline.timeIntervalSinceNow
        if seconds > 0 { try await Task.sleep(for: .seconds(seconds)) }
    }
}

/// A wake-up call between tasks: `fire` before `wait` is remembered, so no wake-up is lost;
/// several fires before one wait count once (waiters re-check their state anyway).
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    func fire() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            guard let waiter = s.waiter else {
                s.pending = true
                return nil
            }
            s.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns on the next `fire` (or at once if one is pending) or on cancellation.
    func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.pending || Task.isCancelled {
                        s.pending = false
                        return true
                    }
                    s.waiter = c
                    return false
                }
                if resumeNow { c.resume() }
            }
        } onCancel: {
            fire()
        }
    }

    /// Returns on `fire`, on cancellation, or once `clock` reaches `deadline` (when given).
    func wait(until deadline: Date?, clock: any PollClock) async {
        guard let deadline else { return await wait() }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await clock.sleep(until: deadline) }
            group.addTask { await self.wait() }
            await group.next()
            group.cancelAll()
        }
    }
}
