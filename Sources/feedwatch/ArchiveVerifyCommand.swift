import ArgumentParser
import Foundation
import FeedWatchCore

struct ArchiveVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Read every archive line; list damaged ones (file, byte, line); exit 1 if any, changing nothing."
    )

    @Option(name: .long, help: "The config file (default: $FEEDWATCH_CONFIG, else ./config/feedwatch.toml).")
    var config: String?

    func run() async throws {
        let status = ArchiveMaintenance.verify(configPath: config, environment: ProcessInfo.processInfo.environment)
        if status != 0 { throw ExitCode(status) }
    }
}
