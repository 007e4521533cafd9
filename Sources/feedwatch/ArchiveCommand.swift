import ArgumentParser

/// `feedwatch archive …`: maintenance of the archive files (the daemon need not run).
struct ArchiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Check or repair the archive files.",
        subcommands: [ArchiveVerifyCommand.self, ArchiveRepairCommand.self]
    )
}
