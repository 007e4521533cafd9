import Foundation
import Glibc
public import Logging
public import SystemPackage
public import SystemSupport

/// Watches the inbox directory (files directly inside it only) and reports the files that
/// are ready: closed after writing, renamed into place, or present when watching starts.
///
/// The blocking `poll`/`read` on the inotify descriptor runs on a thread of its own, never
/// on the cooperative pool; the stream is the bridge. A path may be reported more than once
/// (start-up scan racing an event, overflow rescans): consumers treat a vanished file as done.
public struct DropFolder: Sendable {
    public let directory: FilePath
    private let logger: Logger

    public init(directory: FilePath, logger: Logger) {
        self.directory = directory
        self.logger = logger
    }

    /// Starts watching and returns the stream of ready files. Throws when the directory
    /// cannot be watched (missing, not a directory, inotify limits). Ending the consumer's
    /// iteration (or cancelling its task) stops the reader thread and closes its descriptors.
    public func watch() throws(SystemCallError) -> AsyncStream<FilePath> {
        let path = directory.string
        let inotify = try retryingSyscall("inotify_init1") { inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK)) }
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_ONLYDIR | IN_DELETE_SELF | IN_MOVE_SELF)
        let wake: WakePipe
        do {
            _ = try retryingSyscall("inotify_add_watch", path: path) { inotify_add_watch(inotify, path, mask) }
            wake = try WakePipe()
        } catch {
            close(inotify)
            throw error
        }
        let (stream, continuation) = AsyncStream.makeStream(of: FilePath.self, bufferingPolicy: .unbounded)
        continuation.onTermination = { _ in wake.signal() }
        // The start-up scan runs here, after the watch is in place (so nothing falls between
        // the two) and before returning, so what exists at start is known when `watch` returns.
        do {
            for file in try Self.readyFiles(in: directory) { continuation.yield(file) }
        } catch {
            logger.error("cannot scan the inbox", metadata: ["inbox": "\(directory)", "error": "\(error)"])
        }
        let reader = InotifyReader(directory: directory, inotify: inotify, wake: wake,
                                   continuation: continuation, logger: logger)
        let thread = Thread { reader.run() }
        thread.name = "feedwatch-inbox"
        thread.start()
        return stream
    }

    /// Everything in `directory` that is a regular file or a symlink and not ignored, in name
    /// order (timestamped drop names sort oldest first). Symlinks are listed so that they are
    /// moved to `failed/`, not read. Used for the start-up scan, overflow rescans and `once`.
    public static func readyFiles(in directory: FilePath) throws(SystemCallError) -> [FilePath] {
        guard let dir = opendir(directory.string) else {
            throw SystemCallError(call: "opendir", path: directory.string, errno: Errno(rawValue: errno))
        }
        defer { closedir(dir) }
        var names: [String] = []
        var misnamed: [[UInt8]] = []
        while let entry = readdir(dir) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            let name = String(decoding: bytes, as: UTF8.self)
            guard !InboxNameFilter.isIgnored(name) else { continue }
            if InboxNameRepair.repairedName(bytes) != nil {
                misnamed.append(bytes)
                continue
            }
            let type = entryType(at: InboxPath.join(directory, name).string)
            if type == .regular || type == .symbolicLink { names.append(name) }
        }
        // Renamed after the listing, so the directory stream never sees its own changes.
        for bytes in misnamed {
            if let renamed = try? InboxNameRepair.rename(in: directory, bytes: bytes) {
                names.append(InboxPath.name(of: renamed))
            }
        }
        return names.sorted().map { InboxPath.join(directory, $0) }
    }
}
