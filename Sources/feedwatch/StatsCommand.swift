import ArgumentParser
import Foundation
import FeedWatchCore

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Archive, index and inbox figures, and each URL source's health.")

    @Option(name: .long, help: "The config file (default: $FEEDWATCH_CONFIG, else ./config/feedwatch.toml).")
    var config: String?

    func run() async throws {
        let status = DaemonCommands.stats(configPath: config, environment: ProcessInfo.processInfo.environment)
        if status != 0 { throw ExitCode(status) }
    }
}
