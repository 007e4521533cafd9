import ArgumentParser
import FeedWatchCore
import Foundation

struct ArchiveVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Read every archive line; list damaged ones (file, byte, line); exit 1 if any, changing nothing."
    )

    @Option(name: .long, help: "The config file (default: $FEEDWATCH_CONFIG, else ./config/feedwatch.toml).")
    var config: String?

    func run() throws {
        try finish(ArchiveMaintenance.verify(configPath: config, environment: ProcessInfo.processInfo.environment))
    }
}
