import Glibc
import Synchronization
import SystemSupport

/// A self-pipe that wakes the reader thread's `poll` when the consumer goes away.
///
/// Both ends are closed under the mutex, so a late `signal()` (the stream's termination
/// handler can run after the reader already stopped on its own) never writes to a closed,
/// possibly reused descriptor.
final class WakePipe: Sendable {
    private let fds: Mutex<(read: Int32, write: Int32)?>

    init() throws(SystemCallError) {
        var pair: [Int32] = [-1, -1]
        _ = try retryingSyscall("pipe") { pipe(&pair) }
        for fd in pair {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, O_NONBLOCK)
        }
        fds = Mutex((pair[0], pair[1]))
    }

    /// The end to poll; valid until `close()`.
    var readEnd: Int32 { fds.withLock { $0?.read ?? -1 } }

    func signal() {
        fds.withLock { fds in
            guard let w = fds?.write else { return }
            var byte: UInt8 = 1
            _ = write(w, &byte, 1)
        }
    }

    func close() {
        fds.withLock { fds in
            if let pair = fds {
                Glibc.close(pair.read)
                Glibc.close(pair.write)
            }
            fds = nil
        }
    }
}
