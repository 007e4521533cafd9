import ArgumentParser
import FeedWatchCore
import Foundation

struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a config file; exit 0 only when it is valid (78 otherwise)."
    )

    @Argument(help: "The config file (default: $FEEDWATCH_CONFIG, else ./config/feedwatch.toml).")
    var path: String?

    func run() throws {
        try finish(ConfigCheck.run(path: path, environment: ProcessInfo.processInfo.environment))
    }
}
