import Archive
import Logging

/// `feedwatch archive verify` and `feedwatch archive repair --quarantine`: the way out when a
/// start is refused because a line in the middle of the archive is damaged. Both return the exit
/// status (0 sound / repaired, 1 damaged / failed, 78 config error).
public enum ArchiveMaintenance {
    /// Prints at most this many problems; the count says how many more there were.
    static let shownProblems = 50

    public static func verify(configPath: String?, environment: [String: String]) -> Int32 {
        guard let config = ConfigSource(explicitPath: configPath, environment: environment).loadOrReport() else {
            return ExitStatus.config
        }
        do {
            let report = try ArchiveCheck.verify(options(config))
            for problem in report.problems.prefix(shownProblems) { print(problem.description) }
            if report.problems.count > shownProblems { print("… and \(report.problems.count - shownProblems) more") }
            let damaged = report.problems.count { !$0.isTornTail }
            print("\(config.archive.path): \(report.records) sound records in \(report.files) files, "
                  + (damaged == 0 ? "no damage" : "\(damaged) damaged lines; run `feedwatch archive repair --quarantine`"))
            return report.isDamaged ? ExitStatus.failure : ExitStatus.ok
        } catch {
            StandardError.writeLine("feedwatch: cannot verify the archive: \(error.message)")
            return ExitStatus.failure
        }
    }

    public static func repair(configPath: String?, environment: [String: String]) -> Int32 {
        guard let config = ConfigSource(explicitPath: configPath, environment: environment).loadOrReport() else {
            return ExitStatus.config
        }
        let logger = StderrLogHandler.logger(level: config.logLevel, environment: environment)
        do {
            let report = try ArchiveRepair.quarantine(options(config), logger: logger)
            guard let file = report.quarantineFile else {
                print("\(config.archive.path): nothing to repair (\(report.records) sound records)")
                return ExitStatus.ok
            }
            for problem in report.quarantined.prefix(shownProblems) { print("quarantined: \(problem.description)") }
            if report.quarantined.count > shownProblems { print("… and \(report.quarantined.count - shownProblems) more") }
            print("\(config.archive.path): kept \(report.records) records (\(report.renumbered) renumbered), "
                  + "moved \(report.quarantined.count) lines to \(file) (where each came from: "
                  + "\(report.quarantineIndex.map { "\($0)" } ?? "-"))")
            return ExitStatus.ok
        } catch {
            StandardError.writeLine("feedwatch: cannot repair the archive: \(error.message)")
            return ExitStatus.failure
        }
    }

    private static func options(_ config: Configuration) -> ArchiveOptions {
        ArchiveOptions(archivePath: config.archive.path, stateDirectory: config.stateDirectory,
                       segmentBytes: config.archive.segmentBytes)
    }
}
