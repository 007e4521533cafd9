import Glibc
public import SystemPackage
public import SystemSupport

/// One daemon per inbox: `flock(LOCK_EX | LOCK_NB)` on the inbox directory itself (an open
/// `O_DIRECTORY` descriptor), held until `release()` or the process's death. No file is added to
/// the inbox.
///
/// The archive has a lock of its own; this one covers two configs that share an inbox but not an
/// archive, which would otherwise race for every file (each moving it under the other). The
/// holder's pid for the refusal message comes from `/proc/locks`. As with the archive lock, a
/// refusal is final only after a short patience, for a descriptor copy held by a child in `fork`.
public struct InboxLock: ~Copyable {
    private let fd: Int32

    public static func acquire(inbox: FilePath) throws(SystemCallError) -> InboxLock {
        let path = inbox.string
        let fd = try retryingSyscall("open", path: path) { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        let deadline = ContinuousClock.now + .seconds(1)
        while true {
            do {
                try retryingSyscall("flock", path: path) { flock(fd, LOCK_EX | LOCK_NB) }
                break
            } catch where error.errno == .wouldBlock {
                if ContinuousClock.now >= deadline {
                    let pid = holder(of: fd).map(String.init) ?? "unknown"
                    close(fd)
                    throw SystemCallError(call: "flock", path: path, errno: .wouldBlock,
                                          note: "inbox \(inbox) is watched by another feedwatch (pid \(pid)); stop it first or give this config its own inbox")
                }
                usleep(20_000)
            } catch {
                close(fd)
                throw error
            }
        }
        return InboxLock(fd: fd)
    }

    /// The pid holding a `flock` on the file behind `fd`, from `/proc/locks`
    /// (`1: FLOCK  ADVISORY  WRITE 4242 08:01:1234 0 EOF`).
    private static func holder(of fd: Int32) -> Int32? {
        var st = stat()
        guard fstat(fd, &st) == 0, let file = fopen("/proc/locks", "r") else { return nil }
        defer { fclose(file) }
        let inode = ":\(st.st_ino) "
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0 {
            guard let line else { break }
            let text = String(cString: line)
            guard text.contains("FLOCK"), text.contains(inode) else { continue }
            let fields = text.split(separator: " ")
            if fields.count > 4, let pid = Int32(fields[4]) { return pid }
        }
        return nil
    }

    private init(fd: Int32) { self.fd = fd }

    public consuming func release() {
        close(fd)
        discard self
    }

    deinit { close(fd) }
}
