import Foundation
import Glibc
public import SystemPackage
public import SystemSupport

/// Moves handled inbox files to `processed/` or `failed/` by `rename(2)` (same file system,
/// atomic, never a copy and never a delete). A name already taken there gets a suffix
/// (`name-2.txt`), so nothing in the destination is ever replaced.
public struct InboxMover: Sendable {
    public let processed: FilePath
    public let failed: FilePath

    public init(processed: FilePath, failed: FilePath) {
        self.processed = processed
        self.failed = failed
    }

    /// Returns where the file went.
    @discardableResult
    public func moveToProcessed(_ file: FilePath) throws(SystemCallError) -> FilePath {
        let target = Self.freeName(for: file, in: processed, reserving: [])
        try rename(file, to: target)
        return target
    }

    /// Writes `NAME.error.json` first, then moves the file beside it: a crash in between
    /// leaves the file in the inbox, where it is handled again and the note rewritten.
    @discardableResult
    public func moveToFailed(_ file: FilePath, reason: String, at time: String) throws(SystemCallError) -> FilePath {
        let target = Self.freeName(for: file, in: failed, reserving: [".error.json"])
        let note = target.string + ".error.json"
        let json = Self.errorJSON(file: file.string, error: reason, at: time)
        let tmp = note + ".tmp"
        guard FileManager.default.createFile(atPath: tmp, contents: Data(json.utf8)) else {
            throw SystemCallError(call: "create", path: tmp, errno: Errno(rawValue: errno))
        }
        try rename(FilePath(tmp), to: FilePath(note))
        try rename(file, to: target)
        return target
    }

    /// Makes sure the renames done so far survive a power cut, not only a crash.
    public func syncDirectories(_ paths: [FilePath]) {
        for path in paths { try? syncDirectory(path) }
    }

    public static func errorJSON(file: String, error: String, at time: String) -> String {
        let object: [String: String] = ["file": file, "error": error, "at": time]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private func rename(_ from: FilePath, to: FilePath) throws(SystemCallError) {
        _ = try retryingSyscall("rename", path: from.string) { Glibc.rename(from.string, to.string) }
    }

    /// `dir/name`, else `dir/stem-2.ext`, `dir/stem-3.ext`, … — the first name free (with
    /// every companion suffix free too). Only this daemon moves files here, under its lock.
    static func freeName(for file: FilePath, in dir: FilePath, reserving companions: [String]) -> FilePath {
        let base = InboxPath.name(of: file)
        let name = base.isEmpty ? "unnamed" : base
        let (stem, ext) = InboxPath.split(name)
        var n = 1
        while true {
            let candidate = InboxPath.join(dir, n == 1 ? name : "\(stem)-\(n)\(ext)")
            let path = candidate.string
            let taken = ([""] + companions).contains { suffix in entryType(at: path + suffix) != nil }
            if !taken { return candidate }
            n += 1
        }
    }
}
