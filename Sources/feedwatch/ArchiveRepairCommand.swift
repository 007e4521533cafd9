import ArgumentParser
import FeedWatchCore
import Foundation

struct ArchiveRepairCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repair",
        abstract: "Keep every sound record, move damaged lines to a quarantine file in state_dir, renumber seq without gaps."
    )

    @OptionGroup var options: ConfigOption

    @Flag(name: .long, help: "Required: move damaged lines to state_dir/quarantine-TIME.lines (the only repair there is).")
    var quarantine = false

    func validate() throws {
        guard quarantine else {
            throw ValidationError("say --quarantine: damaged lines are moved to a quarantine file in state_dir, never deleted")
        }
    }

    func run() throws {
        try finish(ArchiveMaintenance.repair(configPath: options.config, environment: ProcessInfo.processInfo.environment))
    }
}
