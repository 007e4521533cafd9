import FeedModel
import FeedWatchTesting
import Foundation
import Testing

/// `feedwatch parse` as a user runs it: the real binary, real files, stdin, exit codes, stderr.
@Suite(.timeLimit(.minutes(1)))
struct FeedParseCommandTests {
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
        var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    static func feedwatch(_ arguments: [String], stdin: [UInt8]? = nil) async throws -> Run {
        let run = try await runFeedwatch(arguments, in: FileManager.default.temporaryDirectory, stdin: stdin ?? [])
        return Run(status: run.status, stdout: run.stdout, stderr: run.stderr)
    }

    static func object(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func parsesAFeedFileIntoOneRecordPerEntry() async throws {
        let path = FeedFixtures.realworld.appendingPathComponent("rsparser-DaringFireball.atom").path
        let run = try await Self.feedwatch(["parse", path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.lines.count == 48)
        let first = try Self.object(try #require(run.lines.first))
        #expect(first["schema"] as? Int == 1)
        #expect(first["seq"] == nil)
        #expect((first["id"] as? String)?.hasPrefix("sha256:") == true)
        let source = try #require(first["source"] as? [String: Any])
        #expect(source["type"] as? String == "file")
        #expect(source["name"] as? String == "rsparser-DaringFireball.atom")
        #expect(source["path"] as? String == path)
        #expect(source["title"] as? String == "Daring Fireball")
    }

    @Test func readsStandardInputAndHonoursFormatAndBaseURL() async throws {
        let feed = "<rss><channel><item><title>From stdin</title><link>/a</link></item><item/></channel></rss>"
        let run = try await Self.feedwatch(["parse", "--format", "rss", "--base-url", "https://example.org/x/", "-"],
                                     stdin: Array(feed.utf8))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.lines.count == 2, "the empty item is printed too")
        let first = try Self.object(run.lines[0])
        #expect(first["title"] as? String == "From stdin")
        #expect((first["source"] as? [String: Any])?["name"] as? String == "stdin")
    }

    @Test func badFilesAreReportedOnStderrAndTheOthersStillPrinted() async throws {
        let dir = try TestPaths.makeTemporaryDirectory("feedwatch-parse")
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = dir.appendingPathComponent("empty.xml")
        let binary = dir.appendingPathComponent("image.png")
        let good = dir.appendingPathComponent("good.xml")
        try Data().write(to: empty)
        try Data([0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52]).write(to: binary)
        try Data("<rss><channel><item><title>ok</title></item></channel></rss>".utf8).write(to: good)
        let missing = dir.appendingPathComponent("missing.xml").path

        let run = try await Self.feedwatch(["parse", empty.path, binary.path, missing, good.path])
        #expect(run.status == 1)
        #expect(run.lines.count == 1)
        let errors = run.stderr.split(separator: "\n")
        #expect(errors.count == 3, "\(run.stderr)")
        #expect(errors.contains { $0.contains(empty.path) && $0.contains("empty") })
        #expect(errors.contains { $0.contains(binary.path) && $0.contains("binary") })
        #expect(errors.contains { $0.contains(missing) && $0.contains("No such file") })
    }

    @Test func explainListsEveryRemovedParagraphWithItsRule() async throws {
        let page = """
            Council expands bike lanes

            The city council voted on Tuesday to expand the bicycle network by forty kilometres, the largest \
            extension since the network opened, after two years of consultation with residents and shop owners.

            Shop owners on the avenue worried about deliveries and parking during the long construction, and \
            the council promised loading zones on every block before work begins next spring.

            3 Comments

            Leave a Reply

            Terms of use

            """
        let run = try await Self.feedwatch(["parse", "--explain", "-"], stdin: Array(page.utf8))
        #expect(run.status == 0, "\(run.stderr)")
        let record = try Self.object(try #require(run.lines.first))
        #expect((record["text"] as? String)?.hasSuffix("before work begins next spring.") == true)
        let removed = run.stderr.split(separator: "\n").filter { $0.contains("removed paragraph") }
        #expect(removed.count == 3, "\(run.stderr)")
        #expect(removed.first?.contains("removed paragraph 3, after the article: comment section or footer") == true, "\(run.stderr)")
    }

    @Test func invalidFlagsAreAUsageError() async throws {
        #expect(try await Self.feedwatch(["parse", "--format", "yaml", "x"]).status == 64)
        #expect(try await Self.feedwatch(["parse", "--base-url", "not a url", "x"]).status == 64)
        #expect(try await Self.feedwatch(["parse"]).status == 64)
    }
}
