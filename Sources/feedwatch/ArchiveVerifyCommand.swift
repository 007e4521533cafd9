import ArgumentParser
import FeedWatchCore
import Foundation

struct ArchiveVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Read every archive line; list damaged ones (file, byte, line); exit 1 if any, changing nothing."
    )

    @OptionGroup var options: ConfigOption

    func run() throws {
        try finish(ArchiveMaintenance.verify(configPath: options.config, environment: ProcessInfo.processInfo.environment))
    }
}
