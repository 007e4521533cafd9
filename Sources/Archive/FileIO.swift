import Foundation
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// The one place where a system call's failure becomes an `ArchiveError`: EINTR is retried here and
/// nowhere else, so every read, write, sync, rename and lock in the archive behaves the same way
/// under signals (the daemon takes SIGHUP/SIGTERM while writing).
@discardableResult
func retrying<T>(_ operation: String, _ path: FilePath, _ body: () throws -> T) throws(ArchiveError) -> T {
    while true {
        do {
            return try body()
        } catch let e as Errno where e == .interrupted {
            continue
        } catch let e as Errno {
            throw ArchiveError.system(operation, path, e)
        } catch {
            throw ArchiveError("\(operation) \(path): \(error)")
        }
    }
}

/// Lifts a C call's `-1 + errno` convention into a thrown `Errno` for `retrying`.
@discardableResult
func orErrno(_ result: Int32) throws(Errno) -> Int32 {
    if result == -1 { throw Errno(rawValue: errno) }
    return result
}

/// An open file of the archive or the state directory, with the few operations the store needs.
/// Every call goes through `retrying`.
struct ArchiveFile {
    let fd: FileDescriptor
    let path: FilePath

    static func open(_ path: FilePath, _ mode: FileDescriptor.AccessMode,
                     options: FileDescriptor.OpenOptions = []) throws(ArchiveError) -> ArchiveFile {
        let fd = try retrying("open", path) {
            try FileDescriptor.open(path, mode, options: options.union(.closeOnExec),
                                    permissions: [.ownerReadWrite, .groupRead, .otherRead],
                                    retryOnInterrupt: false)
        }
        return ArchiveFile(fd: fd, path: path)
    }

    /// Writes all of `bytes`: normally one `write`, continued only after a partial write, so a record
    /// is never interleaved with anything else.
    func writeAll(_ bytes: UnsafeRawBufferPointer) throws(ArchiveError) {
        var rest = bytes
        while !rest.isEmpty {
            let n = try retrying("write", path) { try fd.write(rest, retryOnInterrupt: false) }
            rest = UnsafeRawBufferPointer(rebasing: rest[n...])
        }
    }

    /// Reads up to `buffer.count` bytes at `offset`; fewer only at end of file.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(ArchiveError) -> Int {
        var done = 0
        while done < buffer.count {
            let part = UnsafeMutableRawBufferPointer(rebasing: buffer[done...])
            let n = try retrying("read", path) {
                try fd.read(fromAbsoluteOffset: offset + Int64(done), into: part, retryOnInterrupt: false)
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Overwrites bytes in place (`pwrite`), whatever the file's offset.
    func write(_ bytes: [UInt8], at offset: Int64) throws(ArchiveError) {
        var done = 0
        while done < bytes.count {
            let n = try retrying("pwrite", path) {
                try bytes[done...].withUnsafeBytes {
                    try fd.write(toAbsoluteOffset: offset + Int64(done), $0, retryOnInterrupt: false)
                }
            }
            done += n
        }
    }

    func readBytes(at offset: Int64, count: Int) throws(ArchiveError) -> [UInt8] {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 8)
        defer { buffer.deallocate() }
        let n = try read(into: buffer, at: offset)
        return Array(buffer.prefix(n))
    }

    func writeAll(_ bytes: [UInt8]) throws(ArchiveError) {
        var failure: ArchiveError?
        bytes.withUnsafeBytes { b in
            do throws(ArchiveError) { try writeAll(b) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// One record line: a single `write` of the string's UTF-8 bytes.
    func writeAll(_ line: inout String) throws(ArchiveError) {
        var failure: ArchiveError?
        line.withUTF8 { b in
            do throws(ArchiveError) { try writeAll(UnsafeRawBufferPointer(b)) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    func size() throws(ArchiveError) -> Int64 {
        try retrying("fstat", path) { () throws -> Int64 in
            var st = stat()
            try orErrno(fstat(fd.rawValue, &st))
            return Int64(st.st_size)
        }
    }

    /// Durability of the data written so far (metadata only as far as needed to read it back).
    func syncData() throws(ArchiveError) {
        try retrying("fdatasync", path) { try orErrno(fdatasync(fd.rawValue)) }
    }

    func sync() throws(ArchiveError) {
        try retrying("fsync", path) { try orErrno(fsync(fd.rawValue)) }
    }

    func truncate(to size: Int64) throws(ArchiveError) {
        try retrying("ftruncate", path) { try fd.resize(to: size, retryOnInterrupt: false) }
    }

    func close() {
        try? fd.close()
    }
}

/// Directory operations: a rename or a new file is durable only once its directory is synced.
enum Directory {
    static func sync(_ dir: FilePath) throws(ArchiveError) {
        let f = try ArchiveFile.open(dir, .readOnly, options: .directory)
        defer { f.close() }
        try f.sync()
    }

    static func rename(_ from: FilePath, to: FilePath) throws(ArchiveError) {
        try retrying("rename to \(to)", from) {
            try orErrno(from.withPlatformString { a in to.withPlatformString { b in Glibc.rename(a, b) } })
        }
    }

    static func create(_ dir: FilePath) throws(ArchiveError) {
        do {
            try FileManager.default.createDirectory(atPath: dir.string, withIntermediateDirectories: true)
        } catch {
            throw ArchiveError("cannot create directory \(dir): \(error.localizedDescription)")
        }
    }

    static func entries(_ dir: FilePath) throws(ArchiveError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: dir.string)
        } catch {
            throw ArchiveError("cannot list directory \(dir): \(error.localizedDescription)")
        }
    }

    static func exists(_ path: FilePath) -> Bool {
        var st = stat()
        return path.withPlatformString { lstat($0, &st) } == 0
    }

    static func remove(_ path: FilePath) {
        _ = path.withPlatformString { unlink($0) }
    }
}
