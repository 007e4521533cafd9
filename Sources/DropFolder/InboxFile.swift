import Glibc
public import SystemPackage

/// Why an inbox file was not read: it goes to `failed/` with this as its reason.
public struct InboxRejection: Error, Sendable, CustomStringConvertible {
    public var reason: String
    /// `true` when the file disappeared before it could be opened (already handled).
    public var vanished: Bool

    public init(_ reason: String, vanished: Bool = false) {
        self.reason = reason
        self.vanished = vanished
    }

    public var description: String { reason }
}

/// Reads one inbox file safely: never through a symlink (`O_NOFOLLOW`, checked on the
/// descriptor, so no swap between check and open helps), regular files only, bounded size.
public enum InboxFile {
    public static func read(_ path: FilePath, maxBytes: Int) throws(InboxRejection) -> [UInt8] {
        let fd: Int32
        do {
            fd = try retryingSyscall("open", path: path.string) {
                open(path.string, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
            }
        } catch {
            switch error.errno {
            case .noSuchFileOrDirectory: throw InboxRejection("vanished", vanished: true)
            case .tooManySymbolicLinkLevels: throw InboxRejection("is a symbolic link; links are never followed")
            default: throw InboxRejection("cannot open: \(error.errno.description)")
            }
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw InboxRejection("cannot stat: \(Errno(rawValue: errno).description)") }
        guard st.st_mode & S_IFMT == S_IFREG else { throw InboxRejection("is not a regular file") }
        guard st.st_size <= maxBytes else {
            throw InboxRejection("is \(st.st_size) bytes, over inbox.max_bytes (\(maxBytes))")
        }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size) + 1)
        var filled = 0
        while true {
            let room = bytes.count - filled
            let result = bytes.withUnsafeMutableBytes { raw in
                // `raw` is never empty here: the buffer always has room for one more byte.
                Result { () throws(SystemCallError) -> Int in
                    try retryingSyscall("read", path: path.string) { Glibc.read(fd, raw.baseAddress! + filled, room) }
                }
            }
            let n: Int
            switch result {
            case let .success(count): n = count
            case let .failure(error): throw InboxRejection("cannot read: \(error.errno.description)")
            }
            if n == 0 { break }
            filled += n
            if filled > maxBytes { throw InboxRejection("grew past inbox.max_bytes (\(maxBytes)) while being read") }
            if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(4096, bytes.count))) }
        }
        bytes.removeSubrange(filled...)
        return bytes
    }
}
