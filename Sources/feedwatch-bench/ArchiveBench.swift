import ArgumentParser

struct ArchiveBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "archive", abstract: "Archive append throughput and restart cost.")

    func run() async throws {
        print("not implemented yet")
    }
}
