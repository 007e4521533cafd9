import ArgumentParser
import FeedWatchCore
import Foundation

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Archive, index and inbox figures, and each URL source's health.")

    @OptionGroup var options: ConfigOption

    func run() throws {
        try finish(StatsReport.run(configPath: options.config, environment: ProcessInfo.processInfo.environment))
    }
}
