import FeedWatchTesting
import Foundation
import Testing

/// A password in a source URL stays in the config (issue 14, item 12): not in the log, not in
/// `stats`, not in `sources.json`, not in the archive; and the request still carries it.
@Suite(.timeLimit(.minutes(2)))
struct RedactionTests {
    @Test func aPasswordInASourceURLNeverLeavesTheConfig() async throws {
        let server = try LoopbackHTTPServer()
        server.route("/private.xml", .resource(PollingCommandTests.feed(["Members only"]), etag: "\"p-1\""))
        server.route("/broken.xml", .status(500))
        let secret = "s3cr3t-pw"
        let good = server.url("/private.xml").replacingOccurrences(of: "http://", with: "http://reader:\(secret)@")
        let bad = server.url("/broken.xml").replacingOccurrences(of: "http://", with: "http://reader:\(secret)@")
        let box = try Sandbox(extraConfig: PollingCommandTests.sources([("private", good), ("broken", bad)]))
        defer { box.remove() }
        let once = try await runFeedwatch(["once", "--config", box.configURL.path], in: box.dir)
        #expect(once.status == 0, "\(once.stderr)")
        // The request had the credentials (curl sends them as Basic auth).
        let auth = server.requests(to: "/private.xml").first?.header("Authorization")
        #expect(auth == "Basic " + Data("reader:\(secret)".utf8).base64EncodedString())
        let stats = try await runFeedwatch(["stats", "--config", box.configURL.path], in: box.dir)
        let state = try String(contentsOf: box.dir.appendingPathComponent("var/state/sources.json"), encoding: .utf8)
        let journal = (try? String(contentsOf: box.dir.appendingPathComponent("var/state/sources.journal"), encoding: .utf8)) ?? ""
        let archive = try String(contentsOf: box.archive, encoding: .utf8)
        for (what, text) in [("log", once.stderr), ("stats", stats.stdout + stats.stderr), ("sources.json", state),
                             ("sources.journal", journal), ("archive", archive)] {
            #expect(!text.contains(secret), "\(what) shows the password:\n\(text)")
        }
        #expect(stats.stdout.contains("url http://***@127.0.0.1:"), "\(stats.stdout)")
        // A second run still sends the saved validator with the credentials restored.
        let again = try await runFeedwatch(["once", "--config", box.configURL.path], in: box.dir)
        #expect(again.status == 0)
        let second = server.requests(to: "/private.xml").last
        #expect(second?.header("If-None-Match") == "\"p-1\"" && second?.header("Authorization") == auth)
    }
}
