import ArgumentParser

struct ParseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "parse", abstract: "Not implemented yet.")

    func run() async throws {
        throw ExitStatus.runtimeFailure
    }
}
