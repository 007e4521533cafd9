import FeedWatchTesting
import Foundation
import Testing

/// Exit statuses and messages of `check-config`, `run` with a bad config, `once` and `stats`.
@Suite struct CommandLineTests {
    @Test func checkConfigExitCodes() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let ok = try await runFeedwatch(["check-config", box.configURL.path], in: box.dir)
        #expect(ok.status == 0)
        let shipped = try await runFeedwatch(["check-config", TestPaths.packageRoot.appendingPathComponent("config/feedwatch.toml").path], in: box.dir)
        #expect(shipped.status == 0, "\(shipped.stderr)")
        try "log_level = \"info\"\n[[source]]\nname = \"x\"\nurl = \"https://example.org/\"\ninterval = \"5 minutes\"\n"
            .write(to: box.dir.appendingPathComponent("bad.toml"), atomically: true, encoding: .utf8)
        let bad = try await runFeedwatch(["check-config", "bad.toml"], in: box.dir)
        #expect(bad.status == 78)
        #expect(bad.stderr == #"bad.toml:5: interval: "5 minutes" is not a duration like "30s", "5m", "1h" or "1d""# + "\n")
        let missing = try await runFeedwatch(["check-config", "nope.toml"], in: box.dir)
        #expect(missing.status == 78)
        #expect(missing.stderr.hasPrefix("nope.toml: cannot read"))
        let viaEnv = try await runFeedwatch(["check-config"], in: box.dir, environment: ["FEEDWATCH_CONFIG": "bad.toml"])
        #expect(viaEnv.status == 78)
    }

    @Test(arguments: ["run", "once", "stats"])
    func badConfigIsExit78(command: String) async throws {
        let box = try Sandbox()
        defer { box.remove() }
        try "[inbox]\nmax_bytes = -1\n".write(to: box.configURL, atomically: true, encoding: .utf8)
        let result = try await runFeedwatch([command, "--config", box.configURL.path], in: box.dir)
        #expect(result.status == 78)
        #expect(result.stderr.contains("feedwatch.toml:2: inbox.max_bytes:"))
    }

    @Test func onceDrainsTheInboxAndStatsCountsIt() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        try FileManager.default.createDirectory(at: box.inbox, withIntermediateDirectories: true)
        for i in 1...5 {
            try textArticle("Once \(i)", "Body \(i) for the once command.")
                .write(to: box.inbox.appendingPathComponent("o\(i).txt"), atomically: false, encoding: .utf8)
        }
        try textArticle("Once 1", "Body 1 for the once command.")
            .write(to: box.inbox.appendingPathComponent("dup.txt"), atomically: false, encoding: .utf8)
        let once = try await runFeedwatch(["once", "--config", box.configURL.path], in: box.dir)
        #expect(once.status == 0, "\(once.stderr)")
        #expect(try box.titles().sorted() == (1...5).map { "Once \($0)" })
        #expect(box.names(in: box.processed).count == 6)
        let stats = try await runFeedwatch(["stats", "--config", box.configURL.path], in: box.dir)
        #expect(stats.status == 0, "\(stats.stderr)")
        #expect(stats.stdout.contains("records: 5\n"))
        #expect(stats.stdout.contains("inbox_processed: 6\n"))
        #expect(stats.stdout.contains("inbox_waiting: 0\n"))
    }
}
