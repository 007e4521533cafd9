import FeedWatchTesting
import Foundation
import Testing

/// gofeed's test suite (Tests/Fixtures/feeds-gofeed) as a second dev set: its checker maps
/// gofeed's expected parse onto the records `feedwatch parse` prints and counts what a record can
/// show. The built binary must pass 99 % of the checks; the README there lists the three that fail
/// and why.
@Suite struct PeerFeedSuiteTests {
    @Test func gofeedSuiteAtLeast99Percent() throws {
        let folder = TestPaths.fixtures.appendingPathComponent("feeds-gofeed")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", folder.appendingPathComponent("check_peer_feeds.py").path,
            TestPaths.feedwatchBinary.path, "0.99", "--data", folder.path, "--jobs", "2", "--show", "20",
        ]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let report = String(decoding: data, as: UTF8.self)
        print(report)
        #expect(process.terminationStatus == 0, "below 99 % of gofeed's checks:\n\(report)")
        let summary = report.split(separator: "\n").last { $0.contains("checks pass") }
        #expect(summary != nil, "the checker printed no tally:\n\(report)")
        // 485 checks today; fewer would mean cases silently stopped being counted.
        if let summary, let total = summary.split(separator: " ").first?.split(separator: "/").last {
            #expect(Int(total) ?? 0 >= 485, "\(summary)")
        }
    }
}
