import FeedWatchTesting
import Foundation
import Testing

/// `feedwatch tail` with the real binary over archives written by the real daemon, rotated into
/// small segments.
@Suite struct TailCommandTests {
    /// A sandbox whose archive rotates every 4 KiB.
    static func smallSegments() throws -> Sandbox {
        let box = try Sandbox()
        let config = box.config().replacingOccurrences(
            of: "path = \"var/archive/articles.jsonl\"", with: "path = \"var/archive/articles.jsonl\"\nsegment_bytes = 4096")
        try config.write(to: box.configURL, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: box.inbox, withIntermediateDirectories: true)
        return box
    }

    static func body(_ i: Int) -> String {
        (1...6).map { "Paragraph \($0) of article \(i) says something worth keeping in the archive." }.joined(separator: "\n\n")
    }

    static func seqs(_ output: String) throws -> [Int] {
        try output.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return try #require(object?["seq"] as? Int, "no seq in \(line)")
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func readsEverySegmentInOrderWithFilters() async throws {
        let box = try Self.smallSegments()
        defer { box.remove() }
        for i in 1...24 {
            try textArticle("Tail \(i)", Self.body(i))
                .write(to: box.inbox.appendingPathComponent(String(format: "t%02d.txt", i)), atomically: false, encoding: .utf8)
        }
        let once = try await runFeedwatch(["once", "--config", box.configURL.path], in: box.dir)
        try #require(once.status == 0, "\(once.stderr)")
        let records = try box.records()
        try #require(records.count == 24)
        let segments = box.names(in: box.archive.deletingLastPathComponent()).filter { $0.hasPrefix("articles.0") }
        #expect(segments.count >= 3, "\(segments)")

        let all = try await runFeedwatch(["tail", "--config", box.configURL.path], in: box.dir)
        #expect(all.status == 0, "\(all.stderr)")
        #expect(try Self.seqs(all.stdout) == Array(1...24))
        let archived = try (FileManager.default.contentsOfDirectory(atPath: box.archive.deletingLastPathComponent().path))
            .filter { $0.hasSuffix(".jsonl") }.sorted().map {
                try String(contentsOf: box.archive.deletingLastPathComponent().appendingPathComponent($0), encoding: .utf8)
            }
        // Segments sort before the live file by name (`articles.0…` < `articles.jsonl`): the same bytes.
        #expect(all.stdout == archived.joined())

        let after = try await runFeedwatch(["tail", "--after", "17", "--config", box.configURL.path], in: box.dir)
        #expect(try Self.seqs(after.stdout) == Array(18...24))

        let future = try await runFeedwatch(["tail", "--since", "2999-01-01T00:00:00Z", "--config", box.configURL.path], in: box.dir)
        #expect(future.status == 0 && future.stdout.isEmpty, "\(future.stdout)\(future.stderr)")
        let recent = try await runFeedwatch(["tail", "--since", "1h", "--config", box.configURL.path], in: box.dir)
        #expect(try Self.seqs(recent.stdout).count == 24)

        let name = try #require((records[4]["source"] as? [String: Any])?["name"] as? String)
        let one = try await runFeedwatch(["tail", "--source", name, "--config", box.configURL.path], in: box.dir)
        #expect(try Self.seqs(one.stdout) == [5])

        let text = try await runFeedwatch(["tail", "--format", "text", "--after", "23", "--config", box.configURL.path], in: box.dir)
        #expect(text.status == 0)
        #expect(text.stdout.hasPrefix("#24 Tail "), "\(text.stdout)")
        #expect(text.stdout.contains("(file) · archived 20"), "\(text.stdout)")
        #expect(text.stdout.contains("\n  Paragraph 1 of article"), "\(text.stdout)")
        #expect(!text.stdout.contains("Paragraph 4 of"), "only the first lines: \(text.stdout)")

        let bad = try await runFeedwatch(["tail", "--format", "xml", "--config", box.configURL.path], in: box.dir)
        #expect(bad.status == 64)
        let badSince = try await runFeedwatch(["tail", "--since", "yesterday-ish", "--config", box.configURL.path], in: box.dir)
        #expect(badSince.status == 64)
    }

    @Test func noArchiveIsAnError() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let result = try await runFeedwatch(["tail", "--config", box.configURL.path], in: box.dir)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("feedwatch tail: no archive at "), "\(result.stderr)")
    }

    @Test(.timeLimit(.minutes(3)))
    func followsTheLiveFileAcrossRotations() async throws {
        let box = try Self.smallSegments()
        defer { box.remove() }
        let daemon = try await box.startReady()
        defer { daemon.stop() }
        // Started before the archive has a line: it waits for the file to appear.
        let tail = try DaemonProcess(["tail", "--follow", "--config", box.configURL.path], in: box.dir)
        defer { tail.stop() }
        var total = 0
        for round in 1...4 {
            for i in 1...6 {
                total += 1
                try box.drop("r\(round)-\(i).txt", textArticle("Followed \(total)", Self.body(total)))
            }
            let expected = total
            let archived = await eventually(timeout: .seconds(60)) { ((try? box.records().count) ?? 0) == expected }
            try #require(archived, "daemon stderr:\n\(daemon.stderr)")
        }
        let printed = await eventually(timeout: .seconds(30)) { ((try? Self.seqs(tail.stdout).count) ?? 0) >= 24 }
        #expect(printed, "tail printed:\n\(tail.stdout)\nstderr:\n\(tail.stderr)")
        #expect(try Self.seqs(tail.stdout) == Array(1...24))
        let segments = box.names(in: box.archive.deletingLastPathComponent()).filter { $0.hasPrefix("articles.0") }
        #expect(segments.count >= 3, "\(segments)")
        #expect(tail.process.isRunning)
    }
}
