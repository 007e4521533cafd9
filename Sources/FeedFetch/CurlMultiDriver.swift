import CCurl
import Foundation
import Logging

/// One thread that owns a `CURLM` and runs every transfer of a client.
///
/// The loop is `curl_multi_perform` → `curl_multi_info_read` → `curl_multi_poll`. Async callers
/// never touch curl: they put a `Job` into `inbox` (behind `lock`) and call
/// `curl_multi_wakeup`, the one multi function libcurl allows from another thread. Completions
/// resume the callers' continuations from this thread. Requests wait in the driver's own
/// queue until a global slot and a per-host slot are free, so their timeouts start only when
/// they are handed to curl.
///
/// `@unchecked Sendable`: `inbox` (and `closed`) are only read or written with `lock` held;
/// `multi`, `waiting`, `active` and `perHost` are touched only by the driver thread, between
/// `start()` and the end of `run()`. The `CURLM` is freed by the driver thread after setting
/// `closed` under the lock, and `wakeUp` checks `closed` under the same lock, so no wakeup can
/// reach a freed handle.
final class CurlMultiDriver: @unchecked Sendable {
    typealias Continuation = CheckedContinuation<HTTPResponse, any Error>

    struct Job {
        var id: UInt64
        var request: HTTPRequest
        var continuation: Continuation
    }

    private struct Inbox {
        var jobs: [Job] = []
        var cancellations: [UInt64] = []
        /// Submitted and not yet resumed.
        var unfinished: Set<UInt64> = []
        /// Cancelled before `submit` ran: `submit` resumes them with `CancellationError` at once.
        var cancelledEarly: Set<UInt64> = []
        var nextID: UInt64 = 0
        var stopping = false
        var onStopped: CheckedContinuation<Void, Never>?
    }

    private struct Active {
        var transfer: CurlEasyTransfer
        var continuation: Continuation
    }

    private let configuration: HTTPClientConfiguration
    private let logger: Logger
    private let multi: UnsafeMutableRawPointer
    private let lock = NSLock()
    private var inbox = Inbox()
    private var closed = false
    private var thread: pthread_t?

    // Driver-thread state.
    private var waiting: [(job: Job, transfer: CurlEasyTransfer)] = []
    private var active: [UInt64: Active] = [:]
    private var idOfTransfer: [ObjectIdentifier: UInt64] = [:]
    private var perHost: [String: Int] = [:]

    /// `curl_global_init` is not thread-safe in older libcurls; a static let runs it exactly once.
    private static let globalInit: CURLcode = curl_global_init(fw_curl_global_all())

    init(configuration: HTTPClientConfiguration, logger: Logger) throws(HTTPClientError) {
        guard Self.globalInit == CURLE_OK else {
            throw .curl(code: Self.globalInit, detail: "curl_global_init failed", url: nil)
        }
        guard let multi = curl_multi_init() else {
            throw .invalidRequest("curl_multi_init failed (out of memory)")
        }
        self.multi = multi
        self.configuration = configuration
        self.logger = logger
        _ = fw_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, max(1, configuration.maxConcurrentRequests))
        _ = fw_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, max(1, configuration.maxConnectionsPerHost))
        // Keep enough idle connections for every host slot in use to be reused.
        _ = fw_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(4, configuration.maxConcurrentRequests * 2))
    }

    /// Starts the driver thread. Paired with `stop()`, both called by `withHTTPClient` only.
    func start() throws(HTTPClientError) {
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { context in
            guard let context else { return nil }
            Unmanaged<CurlMultiDriver>.fromOpaque(context).takeRetainedValue().run()
            return nil
        }, context)
        guard rc == 0 else {
            Unmanaged<CurlMultiDriver>.fromOpaque(context).release()
            curl_multi_cleanup(multi)
            throw .invalidRequest("cannot start the HTTP thread: \(String(cString: strerror(rc)))")
        }
        self.thread = thread
    }

    /// Fails what is still queued, lets the thread free the `CURLM`, and joins it. The wait
    /// is a continuation, not a blocking join, so no cooperative thread is held.
    func stop() async {
        await withCheckedContinuation { (stopped: CheckedContinuation<Void, Never>) in
            lock.withLock {
                inbox.stopping = true
                inbox.onStopped = stopped
                wakeUpLocked()
            }
        }
        if let thread { pthread_join(thread, nil) }
    }

    // MARK: - Called from any task

    func nextID() -> UInt64 {
        lock.withLock {
            inbox.nextID += 1
            return inbox.nextID
        }
    }

    func submit(_ job: Job) {
        let early: (any Error)? = lock.withLock {
            if inbox.cancelledEarly.remove(job.id) != nil { return CancellationError() }
            if inbox.stopping { return HTTPClientError.shutdown.with(url: job.request.url) }
            inbox.jobs.append(job)
            inbox.unfinished.insert(job.id)
            wakeUpLocked()
            return nil
        }
        if let early { job.continuation.resume(throwing: early) }
    }

    func cancel(_ id: UInt64) {
        lock.withLock {
            if inbox.unfinished.contains(id) {
                inbox.cancellations.append(id)
                wakeUpLocked()
            } else {
                inbox.cancelledEarly.insert(id)
            }
        }
    }

    /// Called once the caller's cancellation handler can no longer run: drops a stale
    /// early-cancel mark left by a cancellation that raced with completion.
    func forget(_ id: UInt64) {
        lock.withLock { _ = inbox.cancelledEarly.remove(id) }
    }

    private func wakeUpLocked() {
        guard !closed else { return }
        _ = curl_multi_wakeup(multi)
    }

    // MARK: - Driver thread

    private func run() {
        logger.debug("HTTP driver started")
        while true {
            let (jobs, cancellations, stopping) = lock.withLock {
                defer { inbox.jobs = []; inbox.cancellations = [] }
                return (inbox.jobs, inbox.cancellations, inbox.stopping)
            }
            for job in jobs { accept(job) }
            for id in cancellations { cancelTransfer(id) }
            if stopping { break }
            startWaiting()
            var running: Int32 = 0
            let performed = curl_multi_perform(multi, &running)
            if performed != CURLM_OK {
                logger.error("curl_multi_perform failed: \(String(cString: curl_multi_strerror(performed)))")
            }
            collectFinished()
            startWaiting()
            _ = curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        for id in Array(active.keys) { finish(id, with: .failure(HTTPClientError.shutdown)) }
        for entry in waiting { resume(entry.job.id, entry.job.continuation, with: .failure(HTTPClientError.shutdown)) }
        waiting = []
        let stopped: CheckedContinuation<Void, Never>? = lock.withLock {
            closed = true
            defer { inbox.onStopped = nil }
            return inbox.onStopped
        }
        curl_multi_cleanup(multi)
        logger.debug("HTTP driver stopped")
        stopped?.resume()
    }

    private func accept(_ job: Job) {
        do {
            let transfer = try CurlEasyTransfer.make(job.request, configuration: configuration)
            waiting.append((job, transfer))
        } catch {
            resume(job.id, job.continuation, with: .failure(error))
        }
    }

    /// Hands queued transfers to curl in FIFO order, skipping hosts that are at their bound.
    private func startWaiting() {
        var index = 0
        while active.count < max(1, configuration.maxConcurrentRequests), index < waiting.count {
            let (job, transfer) = waiting[index]
            guard perHost[transfer.hostKey, default: 0] < max(1, configuration.maxConnectionsPerHost) else {
                index += 1
                continue
            }
            waiting.remove(at: index)
            let added = curl_multi_add_handle(multi, transfer.handle)
            guard added == CURLM_OK else {
                let message = String(cString: curl_multi_strerror(added))
                resume(job.id, job.continuation,
                       with: .failure(HTTPClientError.invalidRequest("curl_multi_add_handle failed: \(message)", url: job.request.url)))
                continue
            }
            active[job.id] = Active(transfer: transfer, continuation: job.continuation)
            idOfTransfer[ObjectIdentifier(transfer)] = job.id
            perHost[transfer.hostKey, default: 0] += 1
        }
    }

    private func collectFinished() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                  let transfer = CurlEasyTransfer.from(handle: easy),
                  let id = idOfTransfer[ObjectIdentifier(transfer)]
            else { continue }
            let result = transfer.result(fw_multi_msg_result(message))
            finish(id, with: result.mapError { $0 as any Error })
        }
    }

    private func cancelTransfer(_ id: UInt64) {
        if let index = waiting.firstIndex(where: { $0.job.id == id }) {
            let entry = waiting.remove(at: index)
            resume(id, entry.job.continuation, with: .failure(CancellationError()))
        } else if active[id] != nil {
            finish(id, with: .failure(CancellationError()))
        }
    }

    /// Detaches an active transfer from the multi handle (which frees it with the last
    /// reference) and resumes its caller.
    private func finish(_ id: UInt64, with result: Result<HTTPResponse, any Error>) {
        guard let entry = active.removeValue(forKey: id) else { return }
        idOfTransfer[ObjectIdentifier(entry.transfer)] = nil
        curl_multi_remove_handle(multi, entry.transfer.handle)
        let host = entry.transfer.hostKey
        perHost[host, default: 1] -= 1
        if perHost[host] == 0 { perHost[host] = nil }
        if case let .failure(error) = result {
            logger.debug("GET \(entry.transfer.url) failed: \(error)")
        }
        resume(id, entry.continuation, with: result)
    }

    private func resume(_ id: UInt64, _ continuation: Continuation, with result: Result<HTTPResponse, any Error>) {
        lock.withLock { _ = inbox.unfinished.remove(id) }
        continuation.resume(with: result)
    }
}
