import ArchivePostgres
import Foundation
import Glibc
import Logging
import SystemPackage

/// `feedwatch mirror` (design §7.5): the cluster's log appended, with PostgreSQL's `seq`, to
/// this node's `archive.path`, so `tail -f articles.jsonl` and `feedwatch tail` keep working on a
/// node. One writer per file (an exclusive `flock`); each page is written and `fdatasync`ed
/// before the cursor moves, a torn last line (a kill mid-write) is cut at start, and a restart
/// resumes after the file's last seq: no line twice, none missing. The file is one segment (no
/// rotation) and carries no dedup index: PostgreSQL already holds each id once.
public enum ClusterMirror {
    public static func run(configPath: String?, environment: [String: String], follow: Bool) async -> Int32 {
        guard let (config, settings, logger) = ClusterCommands.clusterConfig(configPath, environment, for: "mirror") else {
            return ExitStatus.config
        }
        let path = config.archive.path.string
        do {
            try FileManager.default.createDirectory(atPath: config.archive.path.removingLastComponent().string,
                                                    withIntermediateDirectories: true)
            let fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw DaemonError("cannot open \(path): \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                throw DaemonError("\(path) is in use by another feedwatch (the mirror, or a single-machine daemon)")
            }
            let last = try lastSeq(fd, path: path)
            logger.info("mirroring the cluster's log", metadata: ["file": "\(path)", "after": "\(last)"])
            let endpoint = try ClusterNode.endpoint(settings, application: "feedwatch-mirror:\(settings.nodeID)")
            let failure = WriteFailure()
            _ = try await ClusterTail.run(endpoint, after: last, follow: follow, logger: logger) { page in
                var bytes: [UInt8] = []
                for (_, line) in page {
                    bytes += line.utf8
                    bytes.append(10)
                }
                // A failed write ends the process: the cursor must not move past lines not on disk.
                if let error = write(fd, bytes) {
                    failure.report("cannot append to \(path): \(error)")
                }
            }
            return ExitStatus.ok
        } catch {
            StandardError.writeLine("feedwatch: \(ClusterNode.message(error))")
            return ExitStatus.failure
        }
    }

    /// The last complete line's seq; a torn tail (no final newline) is cut first.
    static func lastSeq(_ fd: Int32, path: String) throws -> Int {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw DaemonError("cannot stat \(path)") }
        let size = Int(info.st_size)
        guard size > 0 else { return 0 }
        let window = min(size, 1 << 20)
        var tail = [UInt8](repeating: 0, count: window)
        let got = tail.withUnsafeMutableBytes { pread(fd, $0.baseAddress, window, off_t(size - window)) }
        guard got == window else { throw DaemonError("cannot read \(path)") }
        var end = window
        if tail.last != 10 {
            guard let newline = tail.lastIndex(of: 10) else {
                guard ftruncate(fd, 0) == 0 else { throw DaemonError("cannot cut the torn line of \(path)") }
                return 0
            }
            guard ftruncate(fd, off_t(size - window + newline + 1)) == 0, fdatasync(fd) == 0 else {
                throw DaemonError("cannot cut the torn line of \(path)")
            }
            end = newline + 1
        }
        let body = tail[..<(end - 1)]
        let start = (body.lastIndex(of: 10).map { $0 + 1 }) ?? 0
        let line = Data(tail[start..<(end - 1)])
        guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any], let seq = object["seq"] as? Int else {
            throw DaemonError("the last line of \(path) is not an archive record with a seq; is this the node's mirror file?")
        }
        return seq
    }

    /// Writes everything and syncs; the error's text, or nil.
    private static func write(_ fd: Int32, _ bytes: [UInt8]) -> String? {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return String(cString: strerror(errno))
            }
            offset += n
        }
        return fdatasync(fd) == 0 ? nil : String(cString: strerror(errno))
    }

    /// Ends the process on a failed write (the tail callback cannot throw).
    final class WriteFailure: Sendable {
        func report(_ message: String) -> Never {
            StandardError.writeLine("feedwatch: \(message)")
            exit(ExitStatus.failure)
        }
    }
}
