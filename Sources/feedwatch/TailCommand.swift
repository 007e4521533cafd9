import ArgumentParser
import FeedModel
import FeedWatchCore
import Foundation

struct TailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Print archive records in seq order from a cursor; --follow keeps printing new ones.",
        discussion: "Reads the rotated segments and the live file without a lock, and follows the live file across rotation."
    )

    @Option(name: .long, help: "The config file (default: $FEEDWATCH_CONFIG, else ./config/feedwatch.toml).")
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Where to read: file (the archive's segments) or postgres (the cluster's log, [cluster] in the config).", valueName: "file|postgres"))
    var from: String = "file"

    @Option(name: .long, help: ArgumentHelp("Start after this seq (0: from the first record).", valueName: "seq"))
    var after: Int = 0

    @Flag(name: [.short, .long], help: "Keep printing records as they are archived, across rotations.")
    var follow = false

    @Option(name: .long, help: ArgumentHelp("Only records archived at or after TIME: RFC 3339 (2026-12-01T09:00:00Z), a date, or a duration back from now (2h, 1d).", valueName: "time"))
    var since: String?

    @Option(name: .long, help: ArgumentHelp("Only records whose source.name is NAME.", valueName: "name"))
    var source: String?

    @Option(name: .long, help: ArgumentHelp("json (the archive lines) or text (title, source, date, first lines).", valueName: "json|text"))
    var format: String = "json"

    func validate() throws {
        guard after >= 0 else { throw ValidationError("--after must be 0 or more, not \(after)") }
        guard ArchiveTail.Format(rawValue: format) != nil else {
            throw ValidationError("--format must be json or text, not \"\(format)\"")
        }
        guard from == "file" || from == "postgres" else {
            throw ValidationError("--from must be file or postgres, not \"\(from)\"")
        }
        if from == "postgres", since != nil || source != nil || format != "json" {
            throw ValidationError("--from postgres prints the json lines; --since, --source and --format text read the file archive")
        }
        if let since, ArchiveTail.parseSince(since, now: Self.now()) == nil {
            throw ValidationError("--since must be a time like 2026-12-01T09:00:00Z, a date or a duration like 2h, not \"\(since)\"")
        }
    }

    func run() async throws {
        if from == "postgres" {
            return try finish(await ClusterCommands.tail(configPath: config, environment: ProcessInfo.processInfo.environment,
                                                         after: after, follow: follow))
        }
        let options = ArchiveTail.Options(
            after: after, since: since.flatMap { ArchiveTail.parseSince($0, now: Self.now()) }, source: source,
            format: ArchiveTail.Format(rawValue: format) ?? .json, follow: follow)
        try finish(ArchiveTail.run(configPath: config, environment: ProcessInfo.processInfo.environment, options: options))
    }

    static func now() -> Timestamp { Timestamp(secondsSince1970: Int64(Date().timeIntervalSince1970)) }
}
