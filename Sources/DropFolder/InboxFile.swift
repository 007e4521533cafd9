public import SystemPackage
import SystemSupport

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
        do {
            return try FileContents.read(.path(path), maxBytes: maxBytes,
                                         options: FileContents.Options(followSymlinks: false, regularFilesOnly: true))
        } catch {
            switch error.reason {
            case .open(.noSuchFileOrDirectory): throw InboxRejection("vanished", vanished: true)
            case .open(.tooManySymbolicLinkLevels): throw InboxRejection("is a symbolic link; links are never followed")
            case let .tooLarge(bytes, _, false): throw InboxRejection("is \(bytes) bytes, over inbox.max_bytes (\(maxBytes))")
            case .tooLarge(_, _, true): throw InboxRejection("grew past inbox.max_bytes (\(maxBytes)) while being read")
            case .open, .stat, .read, .directory, .notRegularFile: throw InboxRejection(error.description)
            }
        }
    }
}
