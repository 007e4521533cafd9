import ArgumentParser
import FeedWatchCore
import Foundation

struct OnceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "once", abstract: "One pass: poll every URL source once, drain the inbox, then exit.")

    @Option(name: .long, help: "The config file (default: $FEEDWATCH_CONFIG, else ./config/feedwatch.toml).")
    var config: String?

    func run() async throws {
        try finish(await OncePass.run(configPath: config, environment: ProcessInfo.processInfo.environment))
    }
}
