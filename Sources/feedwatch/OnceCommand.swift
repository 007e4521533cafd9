import ArgumentParser
import FeedWatchCore
import Foundation

struct OnceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "once", abstract: "One pass: poll every URL source once, drain the inbox, then exit.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        try finish(await OncePass.run(configPath: options.config, environment: ProcessInfo.processInfo.environment))
    }
}
