#if canImport(Glibc)
import Glibc
#endif

/// A 127.0.0.1 port where a TCP connect never completes, for connect-timeout tests.
///
/// The socket listens with a backlog of 0 and is never accepted from; a few of our own
/// connects fill its accept queue, after which Linux drops further SYNs. So the client's
/// connect hangs until its own timeout, exactly like a firewalled host, without leaving
/// the loopback interface. (A closed port would refuse at once instead.)
public final class UnresponsiveListener: Sendable {
    public let port: UInt16
    private let listenFD: Int32
    private let fillers: [Int32]

    public init() throws {
        let (fd, port) = try LoopbackSocket.listen(backlog: 0)
        var fillers: [Int32] = []
        for _ in 0..<3 {
            let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard client >= 0 else { continue }
            _ = LoopbackSocket.withLoopback(port: port) { connect(client, $0, $1) }
            fillers.append(client)
        }
        self.listenFD = fd
        self.port = port
        self.fillers = fillers
    }

    deinit {
        for fd in fillers { close(fd) }
        close(listenFD)
    }

    public func url(_ path: String = "/") -> String { "http://127.0.0.1:\(port)\(path)" }
}

/// A 127.0.0.1 port that refuses connections (bound, never listening), reserved for the
/// object's lifetime so that no server started by a parallel test can take it.
public final class ClosedLoopbackPort: Sendable {
    public let port: UInt16
    private let fd: Int32

    public init() throws {
        (fd, port) = try LoopbackSocket.listen(backlog: nil)
    }

    deinit { close(fd) }

    public func url(_ path: String = "/") -> String { "http://127.0.0.1:\(port)\(path)" }
}
