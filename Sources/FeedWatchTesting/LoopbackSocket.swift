import Foundation
import SystemSupport
#if canImport(Glibc)
import Glibc
#endif

/// The few socket calls the loopback test servers make, through the daemon's `retryingSyscall`
/// (EINTR retried, errno kept).
enum LoopbackSocket {
    /// A TCP socket listening on 127.0.0.1 (never any other address) on an ephemeral port;
    /// with `backlog` nil, bound but not listening.
    static func listen(backlog: Int32?) throws -> (fd: Int32, port: UInt16) {
        let fd = try retryingSyscall("socket") { socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        do {
            var yes: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
            try retryingSyscall("bind", path: "127.0.0.1") { withLoopback(port: 0) { bind(fd, $0, $1) } }
            if let backlog {
                try retryingSyscall("listen") { Glibc.listen(fd, backlog) }
            }
            var address = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            try retryingSyscall("getsockname") {
                withUnsafeMutablePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
                }
            }
            return (fd, UInt16(bigEndian: address.sin_port))
        } catch {
            close(fd)
            throw error
        }
    }

    /// 127.0.0.1:`port` as the socket calls take it (`bind`, `connect`).
    static func withLoopback<R>(port: UInt16, _ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }

    /// Waits up to `timeoutMilliseconds` for `fd` to become readable.
    static func waitReadable(_ fd: Int32, timeoutMilliseconds: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return ((try? retryingSyscall { poll(&entry, 1, timeoutMilliseconds) }) ?? 0) > 0
    }

    /// Reads what is available; `nil` at end of stream or on error.
    static func receive(_ fd: Int32, into buffer: inout [UInt8]) -> Int? {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        guard let n = try? retryingSyscall({ chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) } }),
              n > 0 else { return nil }
        buffer.append(contentsOf: chunk[..<n])
        return n
    }

    /// Sends everything or reports that the peer is gone. MSG_NOSIGNAL: a hung-up client must
    /// not kill the test process with SIGPIPE.
    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = try? retryingSyscall {
                bytes.withUnsafeBytes { raw -> Int in
                    guard let base = raw.baseAddress else { return 0 }
                    return send(fd, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                }
            }
            guard let n = sent, n > 0 else { return false }
            offset += n
        }
        return true
    }

    /// Closes so that the peer sees a TCP RST instead of a clean end of stream.
    static func reset(_ fd: Int32) {
        var option = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
    }
}
