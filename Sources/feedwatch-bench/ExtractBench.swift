import ArgumentParser

struct ExtractBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "extract", abstract: "Article extraction speed and quality over HTML pages.")

    func run() async throws {
        print("not implemented yet")
    }
}
