import ArgumentParser

struct PollBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "poll", abstract: "Polling cycle over many feeds on a loopback server.")

    func run() async throws {
        print("not implemented yet")
    }
}
