import ArgumentParser

struct IngestBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ingest", abstract: "End-to-end inbox ingest")

    func run() async throws {
        print("not implemented yet")
    }
}
