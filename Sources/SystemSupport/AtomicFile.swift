#if canImport(Glibc)
import Glibc
#endif
public import SystemPackage

/// The one atomic, durable replacement of a whole file (the dedup index snapshot, `sources.json`):
/// the new contents go to a temporary file beside it, which is fsynced, renamed over the file, and
/// then the directory is fsynced. A crash at any point leaves the old file or the new one, never a
/// mix, and once `replace` returns the new one survives a power cut.
public enum AtomicFile {
    /// Replaces `path` with what `write` writes to the descriptor it is given (the temporary file,
    /// open for writing, empty). When `write` throws, or a system call fails, the temporary file is
    /// removed and `path` is left as it was.
    ///
    /// `temporaryName`: the temporary file's name in `path`'s directory; `.NAME.tmp` by default
    /// (hidden, so no directory listing takes it for a file of its own).
    public static func replace<Failure: Error>(
        _ path: FilePath, temporaryName: String? = nil,
        permissions: FilePermissions = [.ownerReadWrite, .groupRead],
        write: (FileDescriptor) throws(Failure) -> Void
    ) throws(AtomicFileError<Failure>) {
        let name = path.lastComponent?.string ?? "file"
        let parent = path.removingLastComponent()
        let directory = parent.isEmpty ? FilePath(".") : parent
        let temp = directory.appending(temporaryName ?? ".\(name).tmp")
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(temp, .writeOnly, options: [.create, .truncate, .closeOnExec],
                                         permissions: permissions)
        } catch {
            throw .system(SystemCallError(call: "open", path: temp.string, errno: Errno(error)))
        }
        do throws(AtomicFileError<Failure>) {
            do {
                try write(fd)
            } catch {
                throw .write(error)
            }
            do {
                try retryingSyscall("fsync", path: temp.string) { fsync(fd.rawValue) }
            } catch {
                throw .system(error)
            }
        } catch {
            try? fd.close()
            _ = unlink(temp.string)
            throw error
        }
        do {
            try fd.close()
        } catch {
            _ = unlink(temp.string)
            throw .system(SystemCallError(call: "close", path: temp.string, errno: Errno(error)))
        }
        do {
            try retryingSyscall("rename", path: temp.string) { rename(temp.string, path.string) }
        } catch {
            _ = unlink(temp.string)
            throw .system(error)
        }
        do {
            try syncDirectory(directory)
        } catch {
            throw .system(error)
        }
    }
}

/// Why `AtomicFile.replace` did not replace the file: the caller's own writing failed, or a
/// system call did (with its errno).
public enum AtomicFileError<Failure: Error>: Error, CustomStringConvertible {
    case write(Failure)
    case system(SystemCallError)

    public var description: String {
        switch self {
        case let .write(error): return "\(error)"
        case let .system(error): return error.description
        }
    }
}
