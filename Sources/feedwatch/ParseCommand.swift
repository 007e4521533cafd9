import ArgumentParser
import FeedModel
import FeedWatchCore
import Foundation

struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Print the normalized articles of feeds, HTML pages or text files as JSON lines.",
        discussion: "Touches no archive. A file that cannot be read or parsed is reported on stderr; the others are still printed, and the exit status is then 1."
    )

    @Option(help: "Input format: auto, text, html, rss, atom, rdf or jsonfeed.")
    var format: String = "auto"

    @Option(name: .customLong("base-url"), help: "URL the files came from, for resolving relative links.")
    var baseURL: String?

    @Flag(help: "For plain-text files, list on stderr each paragraph removed and the rule that removed it.")
    var explain = false

    @Argument(help: "Files to parse; - reads standard input.")
    var files: [String] = []

    func validate() throws {
        guard InputFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be one of \(InputFormat.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(format)\"")
        }
        if let baseURL {
            guard let url = URL(string: baseURL), let scheme = url.scheme?.lowercased(),
                  scheme == "http" || scheme == "https", url.host != nil
            else {
                throw ValidationError("--base-url must be an absolute http or https URL, not \"\(baseURL)\"")
            }
        }
        guard !files.isEmpty else { throw ValidationError("name at least one FILE (or - for standard input)") }
        guard files.filter({ $0 == "-" }).count <= 1 else { throw ValidationError("standard input (-) can be read only once") }
    }

    func run() throws {
        try finish(ParseFiles.run(files: files, format: InputFormat(rawValue: format) ?? .auto, baseURL: baseURL,
                                  explain: explain))
    }
}
