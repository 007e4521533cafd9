import FeedWatchTesting
import Foundation
import Testing

/// `feedwatch fetch` as a user runs it: the built binary against the loopback server.
@Suite(.timeLimit(.minutes(1)))
struct FetchCommandTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    private func feedwatch(_ arguments: String...) async throws -> Run {
        let run = try await runFeedwatch(arguments, in: FileManager.default.temporaryDirectory)
        return Run(status: run.status, stdout: run.stdout, stderr: run.stderr)
    }

    @Test func fetchPrintsOneRecordPerEntry() async throws {
        let server = try LoopbackHTTPServer()
        server.route("/feed.xml", .resource(try HTTPTestSupport.fixture("feed.xml.gz"), contentEncoding: "gzip"))
        let run = try await feedwatch("fetch", server.url("/feed.xml"))
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        let first = try #require(lines.first.flatMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
        #expect(first["title"] as? String == "First entry")
        #expect(first["seq"] == nil)
        let source = try #require(first["source"] as? [String: Any])
        #expect(source["type"] as? String == "feed")
        #expect(source["name"] as? String == "127.0.0.1")
        #expect(source["url"] as? String == server.url("/feed.xml"))
        #expect(source["title"] as? String == "Loopback Test Feed")
        let request = try #require(server.requests.first)
        #expect(request.header("User-Agent")?.hasPrefix("feedwatch/") == true)
    }

    @Test func anHTTPErrorIsOneLineOnStderrAndExitOne() async throws {
        let server = try LoopbackHTTPServer()
        let run = try await feedwatch("fetch", server.url("/missing"))
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.split(separator: "\n").count == 1)
        #expect(run.stderr.contains("HTTP 404"))
        #expect(server.requests.map(\.path) == ["/missing"])
    }

    @Test func aTransportErrorIsOneLineOnStderrAndExitOne() async throws {
        let closed = try ClosedLoopbackPort()
        let run = try await feedwatch("fetch", closed.url("/feed"))
        #expect(run.status == 1)
        #expect(run.stderr.split(separator: "\n").count == 1)
        #expect(run.stderr.contains("curl error 7"))
    }

    @Test func aNonHTTPURLIsAUsageError() async throws {
        let run = try await feedwatch("fetch", "file:///etc/passwd")
        #expect(run.status == 64)
        #expect(run.stderr.contains("only http and https"))
    }
}
