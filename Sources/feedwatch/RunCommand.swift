import ArgumentParser
import FeedWatchCore
import Foundation

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the daemon until SIGTERM or SIGINT.")

    @Option(name: .long, help: "The config file (default: $FEEDWATCH_CONFIG, else ./config/feedwatch.toml).")
    var config: String?

    func run() async throws {
        try finish(await DaemonService.runUntilStopped(configPath: config, environment: ProcessInfo.processInfo.environment))
    }
}
