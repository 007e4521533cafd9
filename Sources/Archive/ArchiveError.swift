public import SystemPackage

/// Why the archive could not be opened, read or written. A struct over a private reason so new
/// failure kinds never break callers; the message names the file and what to do, and the
/// underlying `errno` is kept for callers that branch on it (ENOSPC, EACCES…).
public struct ArchiveError: Error, Sendable, CustomStringConvertible {
    private enum Reason: Sendable {
        case system(Errno)
        case inUse
        case damaged
        case other
    }

    private var reason: Reason
    public var message: String

    public init(_ message: String) {
        self.reason = .other
        self.message = message
    }

    private init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    /// A failed system call on `path`; `operation` is the call ("write", "fdatasync"…).
    static func system(_ operation: String, _ path: FilePath, _ errno: Errno) -> ArchiveError {
        ArchiveError(.system(errno), "\(operation) \(path): \(errno) (errno \(errno.rawValue))")
    }

    /// Another process holds a lock this one needs (the archive's, or the inbox's next to it).
    public static func inUse(_ message: String) -> ArchiveError { ArchiveError(.inUse, message) }
    static func damaged(_ message: String) -> ArchiveError { ArchiveError(.damaged, message) }

    /// The C error behind a failed system call, when there was one.
    public var errno: Errno? {
        if case .system(let e) = reason { return e }
        return nil
    }

    /// True when another process holds the archive's writer lock.
    public var isInUse: Bool {
        if case .inUse = reason { return true }
        return false
    }

    /// True when the archive text itself is inconsistent (not a torn tail, which is repaired).
    public var isDamaged: Bool {
        if case .damaged = reason { return true }
        return false
    }

    public var description: String { message }
}
