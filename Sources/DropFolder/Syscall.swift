import Glibc
public import SystemPackage

/// A failed system call: which call, on what, and the errno, so a log line says what to fix.
public struct SystemCallError: Error, Sendable, Hashable, CustomStringConvertible {
    public var call: String
    public var path: String?
    public var errno: Errno
    /// What it means for the user, when the call site knows better than the errno (a lock held).
    public var note: String?

    public init(call: String, path: String? = nil, errno: Errno, note: String? = nil) {
        self.call = call
        self.path = path
        self.errno = errno
        self.note = note
    }

    public var description: String {
        note ?? "\(call)(\(path ?? "")) failed: \(errno.description) (errno \(errno.rawValue))"
    }
}

/// The one place raw syscalls go through: retries on `EINTR`, turns `-1` + `errno` into a
/// `SystemCallError`. Everything in the inbox and daemon code that calls libc uses it
/// (swift-system and NIO do the same), so no call site forgets the retry.
public func retryingSyscall<T: FixedWidthInteger>(
    _ call: String, path: String? = nil, _ body: () -> T
) throws(SystemCallError) -> T {
    while true {
        let result = body()
        if result != -1 { return result }
        let code = Glibc.errno
        if code == EINTR { continue }
        throw SystemCallError(call: call, path: path, errno: Errno(rawValue: code))
    }
}
