import Foundation
import SystemPackage
import SystemSupport
#if canImport(Glibc)
import Glibc
#endif

/// The one place where a system call's failure becomes an `ArchiveError` naming the operation and
/// the file. `EINTR` is retried below it: by swift-system (`retryOnInterrupt`, its default) for
/// the calls it wraps, by `retryingSyscall` for the raw ones (`fsync`, `fdatasync`, `rename`,
/// `flock`), so every call in the archive behaves the same way under signals (the daemon takes
/// SIGHUP/SIGTERM while writing).
@discardableResult
func archiveCall<T>(_ operation: String, _ path: FilePath, _ body: () throws -> T) throws(ArchiveError) -> T {
    do {
        return try body()
    } catch let e as Errno {
        throw ArchiveError.system(operation, path, e)
    } catch {
        throw ArchiveError("\(operation) \(path): \(error)")
    }
}

/// An open file of the archive or the state directory, with the few operations the store needs.
/// Every call goes through `archiveCall`.
struct ArchiveFile {
    let fd: FileDescriptor
    let path: FilePath

    static func open(_ path: FilePath, _ mode: FileDescriptor.AccessMode,
                     options: FileDescriptor.OpenOptions = []) throws(ArchiveError) -> ArchiveFile {
        let fd = try archiveCall("open", path) {
            try FileDescriptor.open(path, mode, options: options.union(.closeOnExec),
                                    permissions: [.ownerReadWrite, .groupRead, .otherRead])
        }
        return ArchiveFile(fd: fd, path: path)
    }

    /// Writes all of `bytes`: normally one `write`, continued only after a partial write, so a record
    /// is never interleaved with anything else.
    func writeAll(_ bytes: UnsafeRawBufferPointer) throws(ArchiveError) {
        var rest = bytes
        while !rest.isEmpty {
            let n = try archiveCall("write", path) { try fd.write(rest) }
            rest = UnsafeRawBufferPointer(rebasing: rest[n...])
        }
    }

    /// Reads up to `buffer.count` bytes at `offset`; fewer only at end of file.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(ArchiveError) -> Int {
        var done = 0
        while done < buffer.count {
            let part = UnsafeMutableRawBufferPointer(rebasing: buffer[done...])
            let n = try archiveCall("read", path) {
                try fd.read(fromAbsoluteOffset: offset + Int64(done), into: part)
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
            let n = try archiveCall("pwrite", path) {
                try bytes[done...].withUnsafeBytes {
                    try fd.write(toAbsoluteOffset: offset + Int64(done), $0)
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
        try archiveCall("fstat", path) { try fd.stat().size }
    }

    /// Durability of the data written so far (metadata only as far as needed to read it back).
    func syncData() throws(ArchiveError) {
        try archiveCall("fdatasync", path) { try retryingSyscall { fdatasync(fd.rawValue) } }
    }

    func sync() throws(ArchiveError) {
        try archiveCall("fsync", path) { try retryingSyscall { fsync(fd.rawValue) } }
    }

    func truncate(to size: Int64) throws(ArchiveError) {
        try archiveCall("ftruncate", path) { try fd.resize(to: size) }
    }

    func close() {
        try? fd.close()
    }
}

/// Directory operations: a rename or a new file is durable only once its directory is synced.
enum Directory {
    static func sync(_ dir: FilePath) throws(ArchiveError) {
        do {
            try syncDirectory(dir)
        } catch {
            throw .system(error.call, dir, error.errno)
        }
    }

    static func rename(_ from: FilePath, to: FilePath) throws(ArchiveError) {
        try archiveCall("rename to \(to)", from) {
            try retryingSyscall { from.withPlatformString { a in to.withPlatformString { b in Glibc.rename(a, b) } } }
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
        entryType(at: path.string) != nil
    }

    static func remove(_ path: FilePath) {
        _ = path.withPlatformString { unlink($0) }
    }
}
