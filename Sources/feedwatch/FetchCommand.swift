import ArgumentParser

struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fetch", abstract: "Not implemented yet.")

    func run() async throws {
        throw ExitStatus.runtimeFailure
    }
}
