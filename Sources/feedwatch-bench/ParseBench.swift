import ArgumentParser

struct ParseBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "parse", abstract: "Parser throughput (feeds) against Python's feedparser.")

    func run() async throws {
        print("not implemented yet")
    }
}
