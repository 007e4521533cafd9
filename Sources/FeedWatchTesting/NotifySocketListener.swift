public import Foundation
import Glibc
import SystemSupport

/// A stand-in for systemd's notify socket: an `AF_UNIX` datagram socket bound to a path in
/// a test directory. Whatever the daemon sends to `$NOTIFY_SOCKET` arrives here.
public final class NotifySocketListener: @unchecked Sendable {
    // `@unchecked`: `fd` is immutable after `init`; `messages` is only touched with `lock` held.
    public let path: String
    private let fd: Int32
    private let lock = NSLock()
    private var messages: [String] = []

    public init(directory: URL) throws {
        path = directory.appendingPathComponent("notify.sock").path
        guard let address = UnixSocketAddress(path) else { throw POSIXError(.ENAMETOOLONG) }
        let socketFD = try retryingSyscall("socket") { socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        do {
            try retryingSyscall("bind", path: path) { address.withSockaddr { bind(socketFD, $0, $1) } }
        } catch {
            close(socketFD)
            throw error
        }
        fd = socketFD
        var timeout = timeval(tv_sec: 0, tv_usec: 50_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    /// Every datagram received so far, in order (drains the socket first, without blocking long).
    public func received() -> [String] {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            guard n > 0 else { break }
            let text = String(decoding: buffer[0..<n], as: UTF8.self)
            lock.withLock { messages.append(text) }
        }
        return lock.withLock { messages }
    }

    /// Waits until a datagram containing `line` arrives after index `after`; returns its index.
    public func waitFor(_ line: String, after: Int = -1, timeout: Duration = .seconds(60)) async -> Int? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let all = received()
            if let i = all.indices.first(where: { $0 > after && all[$0].split(separator: "\n").contains(Substring(line)) }) {
                return i
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }
}
