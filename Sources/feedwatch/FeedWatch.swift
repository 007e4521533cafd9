import ArgumentParser
import FeedWatchCore

/// `feedwatch`: the daemon and its tools. Each subcommand lives in its own file, parses its
/// arguments and calls one function of `FeedWatchCore`, which returns the exit status.
@main
struct FeedWatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedwatch",
        abstract: "Watch news sources and keep an archive of every article, exactly once.",
        version: FeedWatchVersion.current,
        subcommands: [
            RunCommand.self, OnceCommand.self, ParseCommand.self, FetchCommand.self,
            CheckConfigCommand.self, StatsCommand.self, ArchiveCommand.self, TailCommand.self,
            DbCommand.self, SourcesCommand.self, MirrorCommand.self,
        ]
    )
}

/// Ends the command with `status` (SPEC §2: `ExitStatus`): returns for 0, throws the exit code otherwise.
func finish(_ status: Int32) throws {
    if status != ExitStatus.ok { throw ExitCode(status) }
}
