#if canImport(Glibc)
import Glibc
#endif
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

/// The one EINTR loop for the raw calls swift-system does not wrap (`fsync`, `fdatasync`,
/// `rename`, `flock`, inotify, sockets, `poll`): retries while the call fails with `EINTR` and
/// turns `-1` + `errno` into a thrown `Errno`. Calls swift-system has (`FileDescriptor.open`,
/// `read`, `write`, `stat`, `resize`…) use its own `retryOnInterrupt: true` instead.
@discardableResult
public func retryingSyscall<T: FixedWidthInteger>(_ body: () -> T) throws(Errno) -> T {
    while true {
        let result = body()
        if result != -1 { return result }
        let code = Errno(rawValue: Glibc.errno)
        if code != .interrupted { throw code }
    }
}

/// The same, with the call and its path kept in the error, for callers that log it as it is.
@discardableResult
public func retryingSyscall<T: FixedWidthInteger>(
    _ call: String, path: String? = nil, _ body: () -> T
) throws(SystemCallError) -> T {
    do {
        return try retryingSyscall(body)
    } catch {
        throw SystemCallError(call: call, path: path, errno: error)
    }
}

/// Makes the entries of `directory` (renames into it, new files) durable: open it, `fsync`, close.
public func syncDirectory(_ directory: FilePath) throws(SystemCallError) {
    let fd: FileDescriptor
    do {
        fd = try FileDescriptor.open(directory, .readOnly, options: [.directory, .closeOnExec])
    } catch {
        throw SystemCallError(call: "open", path: directory.string, errno: Errno(error))
    }
    defer { try? fd.close() }
    try retryingSyscall("fsync", path: directory.string) { fsync(fd.rawValue) }
}

/// What is at `path` itself, a symlink not followed (`lstat`); `nil` when nothing is there or it
/// cannot be looked at. Takes the path as a string: the inbox handles thousands of names, and
/// building a `FilePath` for each re-validates it (see DropFolder's `InboxPath`).
public func entryType(at path: String) -> FileType? {
    path.withCString { try? Stat($0, followTargetSymlink: false).type }
}
