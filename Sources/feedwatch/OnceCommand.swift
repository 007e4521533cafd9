import ArgumentParser

struct OnceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "once", abstract: "Not implemented yet.")

    func run() async throws {
        throw ExitStatus.runtimeFailure
    }
}
