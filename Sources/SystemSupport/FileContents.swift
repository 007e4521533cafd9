#if canImport(Glibc)
import Glibc
#endif
public import SystemPackage

/// Reads a whole file (or standard input) with a size cap, so an oversized file is refused
/// before it is read into memory. Built on swift-system's `FileDescriptor`, whose `open`,
/// `stat` and `read` retry `EINTR` themselves. Used for inbox files (untrusted: never through
/// a symlink, regular files only), for config and OPML files (regular files only) and for
/// `feedwatch parse` (any readable file, or stdin).
public enum FileContents {
    /// Where to read from.
    public enum Source: Sendable, Hashable {
        case path(FilePath)
        case standardInput
    }

    public struct Options: Sendable, Hashable {
        /// `false`: a symlink is refused at `open` (`O_NOFOLLOW`, checked by the kernel on the
        /// descriptor, so no swap between a check and the open helps); the error is `ELOOP`.
        public var followSymlinks: Bool
        /// `true`: anything but a regular file is refused, and the open itself cannot block
        /// (`O_NONBLOCK`, so a FIFO is refused instead of waiting for a writer) nor take a
        /// controlling terminal (`O_NOCTTY`). `false`: only directories are refused. A directory
        /// is `.directory` either way.
        public var regularFilesOnly: Bool

        public init(followSymlinks: Bool = true, regularFilesOnly: Bool = false) {
            self.followSymlinks = followSymlinks
            self.regularFilesOnly = regularFilesOnly
        }
    }

    /// The reads are at most this long, so a stream over the cap is noticed within one chunk.
    static let chunk = 1 << 16

    public static func read(_ source: Source, maxBytes: Int, options: Options = Options()) throws(FileReadError) -> [UInt8] {
        let fd: FileDescriptor
        switch source {
        case .standardInput:
            fd = .standardInput
        case let .path(path):
            var flags: FileDescriptor.OpenOptions = [.closeOnExec]
            if !options.followSymlinks { flags.insert(.noFollow) }
            if options.regularFilesOnly { flags.formUnion([.nonBlocking, FileDescriptor.OpenOptions(rawValue: O_NOCTTY)]) }
            do {
                fd = try FileDescriptor.open(path, .readOnly, options: flags)
            } catch {
                throw FileReadError(.open(Errno(error)))
            }
        }
        defer { if source != .standardInput { try? fd.close() } }
        let info: Stat
        do {
            info = try fd.stat()
        } catch {
            throw FileReadError(.stat(error))
        }
        if info.type == .directory { throw FileReadError(.directory) }
        if options.regularFilesOnly, info.type != .regular { throw FileReadError(.notRegularFile) }
        let regular = info.type == .regular
        if regular, info.size > maxBytes { throw FileReadError(.tooLarge(bytes: Int(info.size), limit: maxBytes, whileReading: false)) }
        // A regular file is read into a buffer of its size plus one byte (that one read finds
        // the end); a stream, or a file that grows meanwhile, grows the buffer as it comes.
        var bytes = [UInt8](repeating: 0, count: regular ? Int(info.size) + 1 : chunk)
        var filled = 0
        while true {
            if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(chunk, bytes.count))) }
            let room = min(bytes.count - filled, chunk)
            let result = bytes.withUnsafeMutableBytes { raw in
                Result { () throws(Errno) -> Int in
                    do {
                        return try fd.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[filled..<(filled + room)]))
                    } catch {
                        throw Errno(error)
                    }
                }
            }
            let n: Int
            switch result {
            case let .success(count): n = count
            case let .failure(error): throw FileReadError(.read(error))
            }
            if n == 0 { break }
            filled += n
            if filled > maxBytes { throw FileReadError(.tooLarge(bytes: filled, limit: maxBytes, whileReading: true)) }
        }
        bytes.removeSubrange(filled...)
        return bytes
    }
}

/// Why `FileContents.read` read nothing; system failures keep their errno.
public struct FileReadError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        case open(Errno)
        case stat(Errno)
        case read(Errno)
        case directory
        case notRegularFile
        /// `bytes`: the size `fstat` gave, or (`whileReading`) what had been read when the cap was passed.
        case tooLarge(bytes: Int, limit: Int, whileReading: Bool)
    }

    public var reason: Reason

    public init(_ reason: Reason) {
        self.reason = reason
    }

    public var errno: Errno? {
        switch reason {
        case let .open(e), let .stat(e), let .read(e): return e
        case .directory, .notRegularFile, .tooLarge: return nil
        }
    }

    public var description: String {
        switch reason {
        case let .open(e): return "cannot open: \(e.description)"
        case let .stat(e): return "cannot stat: \(e.description)"
        case let .read(e): return "cannot read: \(e.description)"
        case .directory: return "is a directory, not a file"
        case .notRegularFile: return "is not a regular file"
        case let .tooLarge(bytes, limit, _): return "is \(bytes) bytes, over the limit of \(limit)"
        }
    }
}

extension Errno {
    /// swift-system's calls are declared `throws` but throw only `Errno`.
    init(_ error: any Error) {
        self = error as? Errno ?? .ioError
    }
}
