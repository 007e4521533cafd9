import Foundation
import SystemPackage
import SystemSupport
#if canImport(Glibc)
import Glibc
#endif

/// The single-writer lock: `flock(LOCK_EX | LOCK_NB)` on `archive.lock` in the state directory
/// and on a hidden `.NAME.lock` beside the live archive file, both held for the store's lifetime
/// and released by the kernel when the process dies (so a `kill -9` never leaves a stale lock).
/// The holder writes its pid into each file for the refusal message.
///
/// The lock beside the archive is what makes the archive itself single-writer: two configs that
/// differ only in `state_dir` would each get their own `archive.lock`, but they meet at the
/// archive's directory. The state-directory lock keeps the state files (sources, index) single-
/// writer when two configs share `state_dir` with different archives.
///
/// `flock` locks belong to the open file description, so a second `open` in the same process is
/// refused as well, and `flock(1)` from a shell sees the same lock.
///
/// A refusal is only final after `patience`: a child process being spawned by this process (or
/// by the previous holder, just before it exited) holds a copy of the descriptor until its `exec`
/// closes it, which keeps the lock for a few milliseconds after the holder let go.
struct ArchiveLock {
    static let fileName = "archive.lock"
    static let patience: Duration = .seconds(1)

    let files: [ArchiveFile]

    /// The lock file beside `archive` (hidden, so it is never taken for a segment).
    static func archiveSidePath(_ archive: FilePath) -> FilePath {
        let name = archive.lastComponent?.string ?? "archive"
        let dir = archive.removingLastComponent()
        return (dir.isEmpty ? FilePath(".") : dir).appending(".\(name).lock")
    }

    static func acquire(stateDirectory: FilePath, archive: FilePath) throws(ArchiveError) -> ArchiveLock {
        var held: [ArchiveFile] = []
        do throws(ArchiveError) {
            for path in [stateDirectory.appending(fileName), archiveSidePath(archive)] {
                held.append(try lock(path, archive: archive))
            }
        } catch {
            for f in held { f.close() }
            throw error
        }
        return ArchiveLock(files: held)
    }

    private static func lock(_ path: FilePath, archive: FilePath) throws(ArchiveError) -> ArchiveFile {
        let file = try ArchiveFile.open(path, .readWrite, options: .create)
        do throws(ArchiveError) {
            let deadline = ContinuousClock.now + patience
            var locked = false
            while true {
                locked = try archiveCall("flock", path) { () throws -> Bool in
                    do {
                        try retryingSyscall { flock(file.fd.rawValue, LOCK_EX | LOCK_NB) }
                        return true
                    } catch let e as Errno where e == .wouldBlock {
                        return false
                    }
                }
                if locked || ContinuousClock.now >= deadline { break }
                usleep(20_000)
            }
            guard locked else {
                let holder = String(decoding: try file.readBytes(at: 0, count: 32), as: UTF8.self)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                let pid = holder.isEmpty ? "unknown" : holder
                throw ArchiveError.inUse(
                    "archive \(archive) is in use by another feedwatch (pid \(pid), lock \(path)); stop it first")
            }
            try file.truncate(to: 0)
            let pid = "\(getpid())\n"
            try file.writeAll(Array(pid.utf8))
            return file
        } catch {
            file.close()
            throw error
        }
    }

    /// Closing the descriptors drops the locks; the files stay (removing one would race a new holder).
    func release() {
        for f in files { f.close() }
    }
}
