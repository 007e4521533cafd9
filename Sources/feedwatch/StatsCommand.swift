import ArgumentParser

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Not implemented yet.")

    func run() async throws {
        throw ExitStatus.runtimeFailure
    }
}
