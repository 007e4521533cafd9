import ArgumentParser
import ParserSupport
import Foundation

/// Date parsing throughput: every line of FILE is one date string, parsed `--rounds` times.
/// `scripts/bench-dates.sh` runs feedparser's `_parse_date` on the same file.
struct DateBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dates", abstract: "Date parsing throughput against Python's feedparser.")

    @Argument(help: "A file with one date string per line.")
    var file: String

    @Option(help: "How many times to parse the whole file.")
    var rounds = 20

    func run() async throws {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let dates = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard !dates.isEmpty, rounds > 0 else { throw ValidationError("\(file) holds no date lines") }
        var parsed = 0
        let clock = ContinuousClock()
        let cpuBefore = ProcessCPU.seconds()
        let elapsed = clock.measure {
            for _ in 0..<rounds {
                for d in dates where DateParser.parse(d) != nil { parsed += 1 }
            }
        }
        let cpu = ProcessCPU.seconds() - cpuBefore
        let total = dates.count * rounds
        let seconds = elapsed.seconds
        print("feedwatch: \(total) dates in \(String(format: "%.3f", seconds)) s, "
            + "\(String(format: "%.0f", Double(total) / seconds)) dates/s, \(parsed / rounds) of \(dates.count) parsed; "
            + "\(String(format: "%.0f", Double(total) / cpu)) dates per CPU second")
    }
}
