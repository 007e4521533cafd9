import ArgumentParser
import FeedWatchCore
import Foundation

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the daemon until SIGTERM or SIGINT.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        try finish(await DaemonService.runUntilStopped(configPath: options.config, environment: ProcessInfo.processInfo.environment))
    }
}
