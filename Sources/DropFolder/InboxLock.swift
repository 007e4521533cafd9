import Glibc
public import SystemPackage

/// One daemon per inbox: `flock(LOCK_EX | LOCK_NB)` on a hidden `.feedwatch.lock` inside the inbox
/// (hidden names are never taken for articles), held until `release()` or the process's death.
///
/// The archive has a lock of its own; this one covers two configs that share an inbox but not an
/// archive, which would otherwise race for every file (each moving it under the other). The pid
/// of the holder is written into the file for the refusal message. As with the archive lock, a
/// refusal is final only after a short patience, for a descriptor copy held by a child in `fork`.
public struct InboxLock: ~Copyable {
    public static let fileName = ".feedwatch.lock"
    private let fd: Int32

    public static func acquire(inbox: FilePath) throws(SystemCallError) -> InboxLock {
        let path = InboxPath.join(inbox, fileName).string
        let fd = try retryingSyscall("open", path: path) { open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644) }
        let deadline = ContinuousClock.now + .seconds(1)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            guard code == EWOULDBLOCK || code == EINTR else {
                close(fd)
                throw SystemCallError(call: "flock", path: path, errno: Errno(rawValue: code))
            }
            if ContinuousClock.now >= deadline {
                var buffer = [UInt8](repeating: 0, count: 32)
                let n = pread(fd, &buffer, buffer.count, 0)
                close(fd)
                let pid = String(decoding: buffer.prefix(max(0, n)), as: UTF8.self).filter(\.isNumber)
                throw SystemCallError(call: "flock", path: path, errno: .wouldBlock,
                                      note: "inbox \(inbox) is watched by another feedwatch (pid \(pid.isEmpty ? "unknown" : pid), lock \(path)); stop it first or give this config its own inbox")
            }
            usleep(20_000)
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, pid, pid.count, 0)
        return InboxLock(fd: fd)
    }

    private init(fd: Int32) { self.fd = fd }

    public consuming func release() {
        close(fd)
        discard self
    }

    deinit { close(fd) }
}
