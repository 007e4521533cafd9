import ArgumentParser

struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check-config", abstract: "Not implemented yet.")

    func run() async throws {
        throw ExitStatus.runtimeFailure
    }
}
