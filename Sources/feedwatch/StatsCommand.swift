import ArgumentParser
import FeedWatchCore
import Foundation

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Archive, index and inbox figures, and each URL source's health.")

    @Option(name: .long, help: "The config file (default: $FEEDWATCH_CONFIG, else ./config/feedwatch.toml).")
    var config: String?

    func run() throws {
        try finish(StatsReport.run(configPath: config, environment: ProcessInfo.processInfo.environment))
    }
}
