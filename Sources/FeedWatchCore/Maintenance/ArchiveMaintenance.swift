import Archive
import Foundation
import Logging

/// `feedwatch archive verify` and `feedwatch archive repair --quarantine`: the way out when a
/// start is refused because a line in the middle of the archive is damaged. Both return the exit
/// status (0 sound / repaired, 1 damaged / failed, 78 config error).
public enum ArchiveMaintenance {
    /// Prints at most this many problems; the count says how many more there were.
    static let shownProblems = 50

    public static func verify(configPath: String?, environment: [String: String]) -> Int32 {
        guard let config = loadConfig(configPath, environment) else { return 78 }
        do {
            let report = try ArchiveCheck.verify(options(config))
            for problem in report.problems.prefix(shownProblems) { print(problem.description) }
            if report.problems.count > shownProblems { print("… and \(report.problems.count - shownProblems) more") }
            let damaged = report.problems.count { !$0.isTornTail }
            print("\(config.archive.path): \(report.records) sound records in \(report.files) files, "
                  + (damaged == 0 ? "no damage" : "\(damaged) damaged lines; run `feedwatch archive repair --quarantine`"))
            return report.isDamaged ? 1 : 0
        } catch {
            standardError("feedwatch: cannot verify the archive: \(error.message)")
            return 1
        }
    }

    public static func repair(configPath: String?, environment: [String: String]) -> Int32 {
        guard let config = loadConfig(configPath, environment) else { return 78 }
        let logger = StderrLogHandler.logger(level: config.logLevel, environment: environment)
        do {
            let report = try ArchiveRepair.quarantine(options(config), logger: logger)
            guard let file = report.quarantineFile else {
                print("\(config.archive.path): nothing to repair (\(report.records) sound records)")
                return 0
            }
            for problem in report.quarantined.prefix(shownProblems) { print("quarantined: \(problem.description)") }
            if report.quarantined.count > shownProblems { print("… and \(report.quarantined.count - shownProblems) more") }
            print("\(config.archive.path): kept \(report.records) records (\(report.renumbered) renumbered), "
                  + "moved \(report.quarantined.count) lines to \(file) (where each came from: "
                  + "\(report.quarantineIndex.map { "\($0)" } ?? "-"))")
            return 0
        } catch {
            standardError("feedwatch: cannot repair the archive: \(error.message)")
            return 1
        }
    }

    private static func options(_ config: Configuration) -> ArchiveOptions {
        ArchiveOptions(archivePath: config.archive.path, stateDirectory: config.stateDirectory,
                       segmentBytes: config.archive.segmentBytes)
    }

    private static func loadConfig(_ path: String?, _ environment: [String: String]) -> Configuration? {
        do {
            return try ConfigSource(explicitPath: path, environment: environment).load()
        } catch {
            standardError(error.description)
            return nil
        }
    }

    private static func standardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
