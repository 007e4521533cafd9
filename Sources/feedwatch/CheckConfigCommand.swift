import ArgumentParser
import Foundation
import FeedWatchCore

struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a config file; exit 0 only when it is valid (78 otherwise)."
    )

    @Argument(help: "The config file (default: $FEEDWATCH_CONFIG, else ./config/feedwatch.toml).")
    var path: String?

    func run() async throws {
        let status = DaemonCommands.checkConfig(path: path, environment: ProcessInfo.processInfo.environment)
        if status != 0 { throw ExitCode(status) }
    }
}
