import Archive
import DropFolder
import Foundation
import SystemPackage

/// `feedwatch stats`: figures from the archive and index (read without the writer lock), the
/// inbox folders and the sources' saved state, as `key: value` lines on stdout.
public enum StatsReport {
    /// The exit status: 1 when the archive cannot be read (the other lines are still printed).
    public static func run(configPath: String?, environment: [String: String]) -> Int32 {
        guard let config = ConfigSource(explicitPath: configPath, environment: environment).loadOrReport() else {
            return ExitStatus.config
        }
        let (lines, status) = lines(config)
        print(lines.map { "\($0.0): \($0.1)" }.joined(separator: "\n"))
        return status
    }

    static func lines(_ config: Configuration) -> ([(String, String)], Int32) {
        var lines: [(String, String)] = [("config", config.origin), ("archive", config.archive.path.string)]
        var status = ExitStatus.ok
        if FileManager.default.fileExists(atPath: config.archive.path.string) {
            let options = ArchiveOptions(archivePath: config.archive.path, stateDirectory: config.stateDirectory,
                                         segmentBytes: config.archive.segmentBytes)
            do {
                let stats = try ArchiveStore.inspect(options)
                lines += [
                    ("records", "\(stats.records)"), ("last_seq", "\(stats.lastSeq)"), ("segments", "\(stats.segments)"),
                    ("bytes", "\(stats.bytes)"), ("distinct_ids", "\(stats.distinctIDs)"),
                    ("identities", "\(stats.identities)"), ("duplicates_suppressed", "\(stats.duplicatesSuppressed)"),
                ]
            } catch {
                StandardError.writeLine("feedwatch: cannot read the archive: \(error.message)")
                status = ExitStatus.failure
            }
        } else {
            lines.append(("records", "0"))
        }
        lines += [
            ("inbox_waiting", count(config.inbox.path)), ("inbox_processed", count(config.inbox.processed)),
            ("inbox_failed", count(config.inbox.failed, excludingSuffix: ".error.json")),
        ]
        let stored: [String: StoredSource]
        do {
            stored = try SourceStateFile(stateDirectory: config.stateDirectory).load()
        } catch {
            StandardError.writeLine("feedwatch: \(error)")
            stored = [:]
        }
        lines += SourceHealthReport.lines(sources: config.sources, stored: stored)
        lines += FullTextReport.lines(config)
        return (lines, status)
    }

    /// Entries of `dir` that are inbox files (not hidden, not partial), `0` when it cannot be listed.
    private static func count(_ dir: FilePath, excludingSuffix suffix: String? = nil) -> String {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.string) else { return "0" }
        return "\(names.filter { !InboxNameFilter.isIgnored($0) && !(suffix.map($0.hasSuffix) ?? false) }.count)"
    }
}
