import Synchronization
import SystemPackage

/// The daemon's main loop mailbox: inbox files, reload requests and timer ticks from
/// several producer tasks, taken by the loop in batches.
///
/// Taking everything that accumulated at once is the group commit: while one batch is being
/// appended (one fsync), the next fills up, so throughput grows with load.
final class DaemonEvents: Sendable {
    struct Batch: Sendable {
        var files: [FilePath] = []
        var reload = false
        var tick = false
    }

    private struct State {
        var files: [FilePath] = []
        var queued: Set<FilePath> = []
        var reload = false
        var tick = false
        var finished = false
        var waiter: CheckedContinuation<Void, Never>?

        var hasWork: Bool { !files.isEmpty || reload || tick }

        mutating func wake() {
            waiter?.resume()
            waiter = nil
        }
    }

    private let state = Mutex(State())

    /// Files already waiting (for `STATUS=`).
    var pendingFiles: Int { state.withLock { $0.files.count } }

    /// Ignores a path already waiting: the start-up scan and an event may both report it.
    func add(_ file: FilePath) {
        state.withLock { s in
            guard s.queued.insert(file).inserted else { return }
            s.files.append(file)
            s.wake()
        }
    }

    func requestReload() { state.withLock { s in s.reload = true; s.wake() } }

    func tick() { state.withLock { s in s.tick = true; s.wake() } }

    /// Graceful shutdown: `next` returns `nil` from now on; what is waiting is left for the next start.
    func finish() { state.withLock { s in s.finished = true; s.wake() } }

    /// Waits for work; `nil` once finished or cancelled.
    func next(maxFiles: Int) async -> Batch? {
        while true {
            let taken: Batch? = state.withLock { s in
                guard !s.finished, s.hasWork else { return nil }
                var batch = Batch(reload: s.reload, tick: s.tick)
                let count = min(maxFiles, s.files.count)
                batch.files = Array(s.files.prefix(count))
                s.files.removeFirst(count)
                for file in batch.files { s.queued.remove(file) }
                s.reload = false
                s.tick = false
                return batch
            }
            if let taken { return taken }
            if state.withLock({ $0.finished }) || Task.isCancelled { return nil }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                    state.withLock { s in
                        if s.finished || s.hasWork || Task.isCancelled { c.resume() } else { s.waiter = c }
                    }
                }
            } onCancel: {
                state.withLock { $0.wake() }
            }
        }
    }
}
