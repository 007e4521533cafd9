import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An HTTP/1.1 server on 127.0.0.1 for tests, scripted per path.
///
/// Plain blocking sockets, one thread to accept and one per connection, so that scripted
/// misbehaviour (dripping bytes, endless bodies, resets, delays) is straight-line code. It
/// keeps connections alive the way curl expects, records every request for exact assertions,
/// and counts simultaneous connections and requests so tests can check concurrency bounds.
/// Unknown paths get 404. `stop()`, or dropping the last reference, unblocks and joins every
/// thread (the threads hold the inner `LoopbackHTTPServerCore`, never this object).
public final class LoopbackHTTPServer: Sendable {
    private let core: LoopbackHTTPServerCore

    /// Binds 127.0.0.1 on an ephemeral port and starts accepting. The backlog is large so a
    /// burst of connects is queued instead of refused.
    public init(backlog: Int32 = 1024) throws {
        core = try LoopbackHTTPServerCore(backlog: backlog)
    }

    deinit { core.stop() }

    public var port: UInt16 { core.port }

    /// `http://127.0.0.1:PORT` + `path`.
    public func url(_ path: String) -> String { "http://127.0.0.1:\(core.port)\(path)" }

    /// Scripts `path` (the request target without its query). Replaces an earlier script.
    public func route(_ path: String, _ route: Route) { core.route(path, route) }

    /// Every request received so far, in arrival order.
    public var requests: [RecordedRequest] { core.snapshot { $0.requests } }

    public func requests(to path: String) -> [RecordedRequest] { requests.filter { $0.path == path } }

    public var connectionsAccepted: Int { core.snapshot { $0.connectionsAccepted } }
    /// The most connections that were open at the same time.
    public var maxSimultaneousConnections: Int { core.snapshot { $0.maxOpenConnections } }
    /// The most requests that were being answered at the same time.
    public var maxSimultaneousRequests: Int { core.snapshot { $0.maxInFlight } }
    /// Body bytes written for `path`, all requests together (an endless body stops growing
    /// once the client gives up).
    public func bodyBytesSent(to path: String) -> Int { core.snapshot { $0.bodyBytesSent[path, default: 0] } }

    /// Stops accepting, unblocks every connection thread and waits for them. Idempotent.
    public func stop() { core.stop() }
}

/// The server's threads and state.
///
/// `@unchecked Sendable`: all mutable state is in `state`, read and written only with `lock`
/// held; `listenFD` and `port` are immutable after `init`.
final class LoopbackHTTPServerCore: @unchecked Sendable {
    let port: UInt16
    private let listenFD: Int32
    private let lock = NSLock()
    private var state = State()
    private let threads = DispatchGroup()

    struct State {
        var routes: [String: Route] = [:]
        var requests: [RecordedRequest] = []
        var openConnections: Set<Int32> = []
        var connectionsAccepted = 0
        var maxOpenConnections = 0
        var inFlight = 0
        var maxInFlight = 0
        var bodyBytesSent: [String: Int] = [:]
        var stopping = false
    }

    init(backlog: Int32) throws {
        (listenFD, port) = try LoopbackSocket.listen(backlog: backlog)
        threads.enter()
        let thread = Thread { [self] in
            acceptLoop()
            threads.leave()
        }
        thread.name = "loopback-http-accept"
        thread.start()
    }

    func route(_ path: String, _ route: Route) {
        lock.withLock { state.routes[path] = route }
    }

    func snapshot<T>(_ read: (State) -> T) -> T { lock.withLock { read(state) } }

    func stop() {
        let wasStopping = lock.withLock {
            defer { state.stopping = true }
            for fd in state.openConnections { shutdown(fd, Int32(SHUT_RDWR)) }
            return state.stopping
        }
        guard !wasStopping else { return }
        threads.wait()
        close(listenFD)
    }

    var isStopping: Bool { lock.withLock { state.stopping } }

    // MARK: - Threads

    private func acceptLoop() {
        while !isStopping {
            guard LoopbackSocket.waitReadable(listenFD, timeoutMilliseconds: 50) else { continue }
            let fd = accept(listenFD, nil, nil)
            guard fd >= 0 else { continue }
            let connection: Int? = lock.withLock {
                guard !state.stopping else { return nil }
                state.connectionsAccepted += 1
                state.openConnections.insert(fd)
                state.maxOpenConnections = max(state.maxOpenConnections, state.openConnections.count)
                return state.connectionsAccepted
            }
            guard let connection else { close(fd); break }
            threads.enter()
            let thread = Thread { [self] in
                LoopbackHTTPConnection(fd: fd, number: connection, server: self).serve()
                lock.withLock { _ = state.openConnections.remove(fd) }
                close(fd)
                threads.leave()
            }
            thread.name = "loopback-http-\(connection)"
            thread.start()
        }
    }

    // MARK: - Called by connections

    func received(_ request: RecordedRequest) -> ScriptedResponse {
        let route: Route? = lock.withLock {
            state.requests.append(request)
            state.inFlight += 1
            state.maxInFlight = max(state.maxInFlight, state.inFlight)
            return state.routes[request.path]
        }
        return route?.respond(request) ?? .text("no route for \(request.path)\n", status: 404)
    }

    func answered() {
        lock.withLock { state.inFlight -= 1 }
    }

    func sent(bodyBytes: Int, for path: String) {
        lock.withLock { state.bodyBytesSent[path, default: 0] += bodyBytes }
    }

    /// Sleeps in short slices so `stop()` is never held up by a scripted delay.
    /// - Returns: `false` when the server is stopping.
    func pause(_ duration: Duration) -> Bool {
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline {
            if isStopping { return false }
            let left = deadline - ContinuousClock.now
            Thread.sleep(forTimeInterval: min(0.02, Double(left.components.seconds) + Double(left.components.attoseconds) / 1e18))
        }
        return !isStopping
    }
}
