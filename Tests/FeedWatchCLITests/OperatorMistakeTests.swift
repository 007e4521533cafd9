import FeedWatchTesting
import Foundation
import Glibc
import Testing

/// Operator mistakes against the real binary (issue 14, items 3, 4, 5, 14).
@Suite(.timeLimit(.minutes(2)))
struct OperatorMistakeTests {
    /// Item 3: a damaged line mid-archive stops the start with its place; `archive verify`
    /// finds it; `archive repair --quarantine` keeps every sound record and the daemon starts.
    @Test func damagedArchiveLineRefusesTheStartUntilRepaired() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        try FileManager.default.createDirectory(at: box.inbox, withIntermediateDirectories: true)
        for i in 1...20 {
            try textArticle("Story \(i)", "Body of story \(i).")
                .write(to: box.inbox.appendingPathComponent("s\(i).txt"), atomically: false, encoding: .utf8)
        }
        let once = try await runFeedwatch(["once", "--config", box.configURL.path], in: box.dir)
        try #require(once.status == 0, "\(once.stderr)")
        try #require(try box.records().count == 20)
        // Damage line 5 and drop the index, so the next start must read the archive text.
        var lines = try String(contentsOf: box.archive, encoding: .utf8).split(separator: "\n").map(String.init)
        let offset = lines.prefix(4).reduce(0) { $0 + $1.utf8.count + 1 }
        lines[4] = String(lines[4].prefix(40)) + "\u{0}\u{0}\u{0}"
        let damaged = lines.joined(separator: "\n") + "\n"
        try damaged.write(to: box.archive, atomically: false, encoding: .utf8)
        try FileManager.default.removeItem(at: box.dir.appendingPathComponent("var/state/dedup-index.bin"))

        let run = try await runFeedwatch(["run", "--config", box.configURL.path], in: box.dir)
        #expect(run.status == 1)
        let failure = run.stderr.split(separator: "\n").first { $0.contains("feedwatch failed") } ?? ""
        #expect(failure.contains("articles.jsonl is damaged at byte \(offset) (line 5)"), "\(run.stderr)")
        #expect(try String(contentsOf: box.archive, encoding: .utf8) == damaged, "the refused start changed the archive")

        let verify = try await runFeedwatch(["archive", "verify", "--config", box.configURL.path], in: box.dir)
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("articles.jsonl byte \(offset) (line 5): not a complete record"), "\(verify.stdout)")
        let refused = try await runFeedwatch(["archive", "repair", "--config", box.configURL.path], in: box.dir)
        #expect(refused.status == 64)

        let repair = try await runFeedwatch(["archive", "repair", "--quarantine", "--config", box.configURL.path], in: box.dir)
        #expect(repair.status == 0, "\(repair.stderr)")
        #expect(repair.stdout.contains("kept 19 records (15 renumbered), moved 1 lines"), "\(repair.stdout)")
        let records = try box.records()
        #expect(records.compactMap { $0["seq"] as? Int } == Array(1...19))
        #expect(records.count { ($0["title"] as? String) == "Story 5" } == 0 || records.count == 19)
        let state = box.dir.appendingPathComponent("var/state")
        let quarantined = try FileManager.default.contentsOfDirectory(atPath: state.path).filter { $0.hasPrefix("quarantine-") }
        #expect(quarantined.count == 2)
        let ok = try await runFeedwatch(["archive", "verify", "--config", box.configURL.path], in: box.dir)
        #expect(ok.status == 0, "\(ok.stdout)")

        try textArticle("After the repair", "A new story.").write(to: box.inbox.appendingPathComponent("new.txt"), atomically: false, encoding: .utf8)
        let again = try await runFeedwatch(["once", "--config", box.configURL.path], in: box.dir)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try box.records().last?["seq"] as? Int == 20)
    }

    /// Item 4: two configs that differ only in `state_dir` (or share only the inbox) on one
    /// archive: the second refuses to start, saying who holds it.
    @Test(arguments: ["state_dir", "archive"])
    func aSecondDaemonOnTheSameArchiveOrInboxIsRefused(differing: String) async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let daemon = try await box.startReady()
        defer { daemon.stop() }
        var second = box.config().replacingOccurrences(of: "state_dir = \"var/state\"", with: "state_dir = \"var/state-2\"")
        if differing == "archive" {
            second = second.replacingOccurrences(of: "var/archive/articles.jsonl", with: "var/archive-2/articles.jsonl")
        }
        let other = box.dir.appendingPathComponent("second.toml")
        try second.write(to: other, atomically: true, encoding: .utf8)
        let run = try await runFeedwatch(["run", "--config", other.path], in: box.dir, timeout: .seconds(30))
        #expect(run.status == 1)
        let what = differing == "archive" ? "inbox" : "archive"
        #expect(run.stderr.contains("\(what) ") && run.stderr.contains("another feedwatch (pid \(daemon.pid)"), "\(run.stderr)")
        let once = try await runFeedwatch(["once", "--config", other.path], in: box.dir, timeout: .seconds(30))
        #expect(once.status == 1)
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }

    /// Item 5: an inbox that is also `processed/` is refused before anything moves.
    @Test func checkConfigRefusesAnInboxThatIsItsOwnProcessedFolder() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        try box.config().replacingOccurrences(of: "processed = \"var/processed\"", with: "processed = \"var/inbox\"")
            .write(to: box.configURL, atomically: true, encoding: .utf8)
        let check = try await runFeedwatch(["check-config", box.configURL.path], in: box.dir)
        #expect(check.status == 78)
        #expect(check.stderr.contains("feedwatch.toml:8: inbox.processed:") && check.stderr.contains("is the same folder as inbox.path"), "\(check.stderr)")
        let run = try await runFeedwatch(["run", "--config", box.configURL.path], in: box.dir, timeout: .seconds(30))
        #expect(run.status == 78)
    }

    /// Item 14: one line naming the file, the place and the cause; no Foundation error dumps.
    @Test func checkConfigMessagesAreOneLineWithoutFoundationDumps() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        try FileManager.default.createDirectory(at: box.dir.appendingPathComponent("dir.toml"), withIntermediateDirectories: true)
        try Data("log_level = \"info\"\nstate_dir = \"caf\u{e9}\"\n".utf8.map { $0 == 0xA9 ? 0xFF : $0 })
            .write(to: box.dir.appendingPathComponent("latin.toml"))
        try "opml = \"list.opml\"\n".write(to: box.dir.appendingPathComponent("opml.toml"), atomically: true, encoding: .utf8)
        try "<opml><body>\n<outline text=\"a\" xmlUrl=\"https://a.example/\">\n</body>".write(
            to: box.dir.appendingPathComponent("list.opml"), atomically: true, encoding: .utf8)
        try "opml = \"missing.opml\"\n".write(to: box.dir.appendingPathComponent("missing.toml"), atomically: true, encoding: .utf8)
        let cases: [(String, String)] = [
            ("dir.toml", "dir.toml: is a directory, not a file"),
            ("latin.toml", "latin.toml:2: not UTF-8 text: byte 0xC3 at offset"),
            ("opml.toml", "list.opml:"),
            ("missing.toml", "missing.opml: OPML file cannot read: no such file"),
        ]
        for (file, expected) in cases {
            let result = try await runFeedwatch(["check-config", file], in: box.dir)
            #expect(result.status == 78)
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(file): \(result.stderr)")
            #expect(result.stderr.contains(expected), "\(file): \(result.stderr)")
            #expect(!result.stderr.contains("Error Domain") && !result.stderr.contains("NSXMLParserErrorDomain"), "\(result.stderr)")
        }
    }
}
