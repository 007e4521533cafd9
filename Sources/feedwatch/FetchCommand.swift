import ArgumentParser
import FeedFetch
import FeedWatchCore

struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Fetch a URL through the real HTTP client, parse it, print JSON lines; touches no archive."
    )

    @Argument(help: "The feed or page URL (http or https).")
    var url: String

    @Flag(name: .customLong("full-text"),
          help: "Fetch each entry's linked page and show the entry with the page's article, as full_text = \"always\" would archive it.")
    var fullText = false

    func validate() throws {
        do {
            try HTTPClient.validate(url: url)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        try finish(await FetchURL.run(url: url, fullText: fullText))
    }
}
