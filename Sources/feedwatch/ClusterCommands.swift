import ArgumentParser
import FeedWatchCore
import Foundation

/// `feedwatch db …`: the cluster database's schema (`[cluster]` in the config).
struct DbCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "The cluster database (PostgreSQL, [cluster] in the config).",
        subcommands: [DbMigrateCommand.self]
    )
}

struct DbMigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Create or upgrade the feedwatch schema; idempotent, safe on several nodes at once.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        try finish(await ClusterCommands.migrate(configPath: options.config, environment: ProcessInfo.processInfo.environment))
    }
}

/// `feedwatch sources …`: the cluster's shared source table.
struct SourcesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources",
        abstract: "The cluster's shared sources ([cluster] in the config).",
        subcommands: [SourcesSyncCommand.self]
    )
}

struct SourcesSyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Write the config's and the OPML's sources into the cluster's table; removed ones are disabled, never deleted.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        try finish(await ClusterCommands.syncSources(configPath: options.config, environment: ProcessInfo.processInfo.environment))
    }
}

/// `feedwatch mirror`: the cluster's log into this node's `archive.path`, with PostgreSQL's seq.
struct MirrorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mirror",
        abstract: "Append the cluster's log, with PostgreSQL's seq, to this node's archive file ([cluster] in the config).")

    @OptionGroup var options: ConfigOption

    @Flag(name: [.short, .long], help: "Keep appending records as they are committed, across dropped connections.")
    var follow = false

    func run() async throws {
        try finish(await ClusterMirror.run(configPath: options.config, environment: ProcessInfo.processInfo.environment,
                                           follow: follow))
    }
}
