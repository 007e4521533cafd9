import Foundation
import Glibc
import Logging
import Synchronization
import SystemPackage
import SystemSupport

/// The two ways out for the metrics: a node_exporter textfile replaced atomically (the only way
/// for `once` under cron), and `GET /metrics` on a loopback address while the daemon runs.
enum MetricsExport {
    /// Replaces `path` with the current exposition: node_exporter never reads half a file.
    static func writeTextfile(_ metrics: FeedWatchMetrics, to path: FilePath, logger: Logger) {
        let bytes = metrics.exposition()
        do {
            try FileManager.default.createDirectory(atPath: path.removingLastComponent().string, withIntermediateDirectories: true)
            try AtomicFile.replace(path, permissions: [.ownerReadWrite, .groupRead, .otherRead]) { (fd) throws(Errno) in
                do { _ = try fd.writeAll(bytes) } catch { throw (error as? Errno) ?? .ioError }
            }
        } catch {
            logger.warning("cannot write the metrics textfile", metadata: ["path": "\(path)", "error": "\(error)"])
        }
    }

    /// Runs `body` with the textfile rewritten every `interval` (and once more at the end) and
    /// `/metrics` served, as `config` asks; neither when `config` sets nothing.
    static func serving<Result>(
        _ metrics: FeedWatchMetrics, config: Configuration.Metrics, logger: Logger,
        _ body: () async throws -> Result
    ) async throws -> Result {
        let server: MetricsHTTPServer?
        if let address = config.listen {
            do {
                server = try MetricsHTTPServer(address: address, metrics: metrics, logger: logger)
            } catch {
                throw DaemonError("cannot serve metrics on \(address): \(error)")
            }
            logger.info("metrics served", metadata: ["url": "http://\(server?.boundAddress ?? address.description)/metrics"])
        } else {
            server = nil
        }
        defer { server?.stop() }
        guard let path = config.textfile else { return try await body() }
        defer { writeTextfile(metrics, to: path, logger: logger) }
        let interval = config.textfileInterval
        // The body runs in this task, the rewrites in a child that ends with it (a throwing body
        // cancels the child as the group unwinds).
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    writeTextfile(metrics, to: path, logger: logger)
                    do { try await Task.sleep(for: interval) } catch { return }
                }
            }
            let result = try await body()
            group.cancelAll()
            return result
        }
    }
}

/// A minimal HTTP/1.1 responder for `GET /metrics` on one loopback socket, on a thread of its
/// own (blocking `accept`/`read` never touch the cooperative pool). One request per connection,
/// answered and closed: a Prometheus scrape needs nothing more.
final class MetricsHTTPServer: Sendable {
    private let fd: Int32
    private let stopping = Atomic<Bool>(false)
    private let done = Mutex<Bool>(false)
    let boundAddress: String

    init(address: MetricsListenAddress, metrics: FeedWatchMetrics, logger: Logger) throws(SystemCallError) {
        let v6 = address.host.contains(":")
        let fd = try retryingSyscall("socket") { socket(v6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var port = UInt16(address.port)
        do {
            if v6 {
                var sa = sockaddr_in6()
                sa.sin6_family = sa_family_t(AF_INET6)
                sa.sin6_port = port.bigEndian
                inet_pton(AF_INET6, address.host, &sa.sin6_addr)
                try Self.bind(fd, to: sa)
            } else {
                var sa = sockaddr_in()
                sa.sin_family = sa_family_t(AF_INET)
                sa.sin_port = port.bigEndian
                inet_pton(AF_INET, address.host, &sa.sin_addr)
                try Self.bind(fd, to: sa)
            }
            try retryingSyscall("listen") { listen(fd, 16) }
        } catch {
            close(fd)
            throw error
        }
        if port == 0 {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            withUnsafeMutablePointer(to: &storage) { p in
                p.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
            }
            let raw = withUnsafeBytes(of: storage) { bytes in bytes.load(fromByteOffset: 2, as: UInt16.self) }
            port = UInt16(bigEndian: raw)
        }
        self.fd = fd
        boundAddress = v6 ? "[\(address.host)]:\(port)" : "\(address.host):\(port)"
        let thread = Thread { [self] in
            self.serve(metrics: metrics, logger: logger)
            self.done.withLock { $0 = true }
        }
        thread.name = "feedwatch-metrics"
        thread.start()
    }

    /// `bind(2)` to an IPv4 or IPv6 socket address, whichever `T` is.
    private static func bind<T>(_ fd: Int32, to address: T) throws(SystemCallError) {
        var address = address
        _ = try withUnsafePointer(to: &address) { p throws(SystemCallError) in
            try p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sp throws(SystemCallError) in
                try retryingSyscall("bind") { Glibc.bind(fd, sp, socklen_t(MemoryLayout<T>.size)) }
            }
        }
    }

    /// Ends the accept loop (it checks twice a second) and closes the socket.
    func stop() {
        stopping.store(true, ordering: .releasing)
        for _ in 0..<100 where !done.withLock({ $0 }) { usleep(10_000) }
    }

    private func serve(metrics: FeedWatchMetrics, logger: Logger) {
        defer { close(fd) }
        while !stopping.load(ordering: .acquiring) {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 500) > 0 else { continue }
            let client = accept(fd, nil, nil)
            guard client >= 0 else { continue }
            Self.answer(client, metrics: metrics, logger: logger)
            close(client)
        }
    }

    private static func answer(_ client: Int32, metrics: FeedWatchMetrics, logger: Logger) {
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        // The request head only; a scrape sends no body.
        while request.count < 16_384, request.firstRange(of: Array("\r\n\r\n".utf8)) == nil {
            let n = buffer.withUnsafeMutableBytes { read(client, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            request += buffer[..<n]
        }
        let line = String(decoding: request.prefix { $0 != UInt8(ascii: "\r") }, as: UTF8.self).split(separator: " ")
        let response: [UInt8]
        if line.count >= 2, line[0] == "GET" || line[0] == "HEAD", line[1] == "/metrics" || line[1].hasPrefix("/metrics?") {
            let body = metrics.exposition()
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
                + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
            response = Array(head.utf8) + (line[0] == "HEAD" ? [] : body)
        } else if line.count >= 2, line[0] != "GET" && line[0] != "HEAD" {
            response = Array("HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)
        } else {
            let body = "feedwatch serves /metrics only\n"
            response = Array("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)".utf8)
        }
        var offset = 0
        while offset < response.count {
            let n = response[offset...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                logger.debug("metrics scrape ended early", metadata: ["error": "\(Errno(rawValue: errno))"])
                return
            }
            offset += n
        }
    }
}
