import Glibc
public import SystemSupport
import SystemPackage

/// One `sd_notify` assignment (see `sd_notify(3)`).
public enum NotifyMessage: Sendable, Hashable {
    case ready
    case reloading(monotonicMicroseconds: UInt64)
    case stopping
    case watchdog
    case status(String)

    public var line: String {
        switch self {
        case .ready: return "READY=1"
        case let .reloading(usec): return "RELOADING=1\nMONOTONIC_USEC=\(usec)"
        case .stopping: return "STOPPING=1"
        case .watchdog: return "WATCHDOG=1"
        case let .status(text): return "STATUS=" + text.split(whereSeparator: \.isNewline).joined(separator: " ")
        }
    }

    /// The datagram for several messages sent together.
    public static func datagram(_ messages: [NotifyMessage]) -> String {
        messages.map(\.line).joined(separator: "\n")
    }

    /// `CLOCK_MONOTONIC` in µs, what systemd compares `MONOTONIC_USEC` against.
    public static func monotonicNow() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1000
    }
}

/// Native `sd_notify` over `$NOTIFY_SOCKET` (an `AF_UNIX` datagram socket; a leading `@`
/// names an abstract socket). No libsystemd: the protocol is one `sendto`.
/// Without `$NOTIFY_SOCKET` every send is a no-op, so the daemon runs the same outside systemd.
public struct SystemdNotifier: Sendable {
    public let socketPath: String?
    /// Half of `$WATCHDOG_USEC` (when it is meant for this process): how often to ping.
    public let watchdogInterval: Duration?

    public init(environment: [String: String], pid: Int32? = nil) {
        let path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        socketPath = path
        let pidMatches = environment["WATCHDOG_PID"].map { Int32($0) == (pid ?? getpid()) } ?? true
        if path != nil, pidMatches, let usec = environment["WATCHDOG_USEC"].flatMap(UInt64.init), usec > 0 {
            watchdogInterval = .microseconds(Int64(usec / 2))
        } else {
            watchdogInterval = nil
        }
    }

    /// Best effort: systemd going away must never take the daemon down; failures are returned
    /// for the caller to log.
    @discardableResult
    public func send(_ messages: NotifyMessage...) -> SystemCallError? {
        send(messages)
    }

    /// All `messages` in one datagram, so systemd sees them together (READY=1 with its STATUS=).
    ///
    /// Never blocks: the socket is non-blocking and the send uses `MSG_DONTWAIT`, so a receiver
    /// that stops reading cannot hold up ingest or polling. When its queue is full, a datagram of
    /// STATUS lines only is dropped without a word (STATUS is advisory and the next one replaces
    /// it); anything else (READY, WATCHDOG, STOPPING, RELOADING) comes back as `EAGAIN` for the
    /// caller to log, and WATCHDOG is sent again on the next tick.
    @discardableResult
    public func send(_ messages: [NotifyMessage]) -> SystemCallError? {
        guard let socketPath else { return nil }
        let payload = Array(NotifyMessage.datagram(messages).utf8)
        guard let address = UnixSocketAddress(socketPath) else {
            return SystemCallError(call: "sendto", path: socketPath, errno: .fileNameTooLong)
        }
        do {
            let fd = try retryingSyscall("socket") {
                socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            }
            defer { close(fd) }
            _ = try retryingSyscall("sendto", path: socketPath) {
                address.withSockaddr { sa, length in
                    sendto(fd, payload, payload.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT), sa, length)
                }
            }
        } catch {
            let full = error.errno == .resourceTemporarilyUnavailable || error.errno == .noBufferSpace
            let advisoryOnly = messages.allSatisfy { if case .status = $0 { true } else { false } }
            return full && advisoryOnly ? nil : error
        }
        return nil
    }
}
