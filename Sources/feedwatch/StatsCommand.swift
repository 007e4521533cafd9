import ArgumentParser
import FeedWatchCore
import Foundation

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Archive, index and inbox figures, and each URL source's health.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        if let status = await ClusterCommands.stats(configPath: options.config, environment: environment) {
            return try finish(status)
        }
        try finish(StatsReport.run(configPath: options.config, environment: environment))
    }
}
