import Glibc
import Logging
import SystemPackage
import SystemSupport

/// The reader thread's loop: turn inotify events into paths until told to
/// stop through `wake`. Owns both descriptors and closes them on the way out.
struct InotifyReader: Sendable {
    let directory: FilePath
    let inotify: Int32
    let wake: WakePipe
    let continuation: AsyncStream<FilePath>.Continuation
    let logger: Logger

    func run() {
        defer {
            close(inotify)
            wake.close()
            continuation.finish()
        }
        let bufferSize = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bufferSize, alignment: 8)
        defer { buffer.deallocate() }
        var fds = [pollfd(fd: inotify, events: Int16(POLLIN), revents: 0), pollfd(fd: wake.readEnd, events: Int16(POLLIN), revents: 0)]
        while true {
            do {
                _ = try retryingSyscall("poll") { poll(&fds, 2, -1) }
            } catch {
                logger.error("inbox watch stopped", metadata: ["error": "\(error)"])
                return
            }
            if fds[1].revents != 0 { return }
            guard fds[0].revents != 0 else { continue }
            let count: Int
            do {
                count = try retryingSyscall("read", path: "inotify") { read(inotify, buffer, bufferSize) }
            } catch where error.errno == .wouldBlock {
                continue
            } catch {
                logger.error("inbox watch stopped", metadata: ["error": "\(error)"])
                return
            }
            if !handle(events: UnsafeRawBufferPointer(start: buffer, count: count)) { return }
        }
    }

    /// Returns `false` when the watch is gone (the inbox was removed or moved away).
    private func handle(events: UnsafeRawBufferPointer) -> Bool {
        for event in InotifyEvents(events) {
            let mask = event.mask
            if mask & UInt32(IN_Q_OVERFLOW) != 0 {
                logger.warning("inbox event queue overflowed; rescanning", metadata: ["inbox": "\(directory)"])
                scan()
                continue
            }
            if mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED) != 0 {
                logger.error("inbox directory was removed or moved; no longer watching", metadata: ["inbox": "\(directory)"])
                return false
            }
            if mask & UInt32(IN_ISDIR) != 0 { continue }
            let rawName = Array(event.name)
            let name = String(decoding: rawName, as: UTF8.self)
            guard !InboxNameFilter.isIgnored(name) else { continue }
            if InboxNameRepair.repairedName(rawName) != nil {
                // Renamed to a UTF-8 name once complete; its IN_MOVED_TO brings it back here.
                if mask & UInt32(IN_CREATE) != 0 { continue }
                do {
                    if let renamed = try InboxNameRepair.rename(in: directory, bytes: rawName) {
                        logger.warning("inbox file name is not UTF-8; renamed", metadata: ["to": "\(renamed)"])
                    }
                } catch {
                    logger.error("inbox file name is not UTF-8 and it cannot be renamed; it stays in the inbox",
                                 metadata: ["name": "\(name)", "error": "\(error)"])
                }
                continue
            }
            // A created file is reported when closed; only a created symlink never will be,
            // and it must still be moved to failed/ rather than left lying in the inbox.
            if mask & UInt32(IN_CREATE) != 0, !isSymlink(name) { continue }
            continuation.yield(InboxPath.join(directory, name))
        }
        return true
    }

    private func isSymlink(_ name: String) -> Bool {
        entryType(at: InboxPath.join(directory, name).string) == .symbolicLink
    }

    private func scan() {
        do {
            for path in try DropFolder.readyFiles(in: directory) { continuation.yield(path) }
        } catch {
            logger.error("cannot scan the inbox", metadata: ["inbox": "\(directory)", "error": "\(error)"])
        }
    }
}
