import ArgumentParser
import FeedWatchCore

/// `feedwatch`: the daemon and its tools. Each subcommand lives in its own file.
@main
struct FeedWatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedwatch",
        abstract: "Watch news sources and keep an archive of every article, exactly once.",
        version: FeedWatchVersion.current,
        subcommands: [
            RunCommand.self, OnceCommand.self, ParseCommand.self, FetchCommand.self,
            CheckConfigCommand.self, StatsCommand.self, ArchiveCommand.self,
        ]
    )
}

/// Exit statuses systemd and scripts read (SPEC §2).
enum ExitStatus {
    static let runtimeFailure = ExitCode(1)
    static let usage = ExitCode(64)
    static let config = ExitCode(78)
}
