import FeedWatchTesting
import Foundation
import Testing

/// Progress on stderr only when it is a terminal: `script` gives the binary a pseudo-terminal.
@Suite struct ProgressTests {
    static func files(in dir: URL, count: Int) throws -> [String] {
        try (1...count).map { i in
            let url = dir.appendingPathComponent("p\(i).txt")
            try textArticle("Progress \(i)", "Body \(i).").write(to: url, atomically: false, encoding: .utf8)
            return url.path
        }
    }

    @Test func parseShowsProgressOnATerminalOnly() async throws {
        let dir = try TestPaths.makeTemporaryDirectory("fw-progress")
        defer { try? FileManager.default.removeItem(at: dir) }
        let paths = try Self.files(in: dir, count: 3)

        let piped = try await runFeedwatch(["parse"] + paths, in: dir)
        #expect(piped.status == 0)
        #expect(piped.stderr.isEmpty, "\(piped.stderr)")
        #expect(piped.stdout.split(separator: "\n").count == 3)

        let command = ([TestPaths.feedwatchBinary.path, "parse"] + paths).joined(separator: " ")
        let stdoutFile = dir.appendingPathComponent("out.jsonl").path
        // stdout to a file, stderr to the terminal that `script` records.
        let (status, terminal) = try shell("script -qec '\(command) > \(stdoutFile)' /dev/null")
        #expect(status == 0, "\(terminal)")
        #expect(terminal.contains("\r\u{1B}[Kparse: 2/3 files (66%)"), "\(terminal.debugDescription)")
        #expect(terminal.hasSuffix("\r\u{1B}[K"), "the line is erased at the end: \(terminal.debugDescription)")
        let printed = try String(contentsOfFile: stdoutFile, encoding: .utf8)
        #expect(printed.split(separator: "\n").count == 3, "progress never reaches stdout")
        #expect(!printed.contains("\u{1B}"))
    }

    @Test(.timeLimit(.minutes(2)))
    func onceShowsSourceProgressOnATerminalOnly() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        var sources = ""
        for i in 1...4 {
            server.route("/f\(i).xml", .resource(Array("<rss version=\"2.0\"><channel><title>F</title><item><title>Item \(i)</title><description>Text \(i).</description></item></channel></rss>".utf8), etag: "\"\(i)\""))
            sources += "[[source]]\nname = \"f\(i)\"\nurl = \"\(server.url("/f\(i).xml"))\"\n\n"
        }
        let box = try Sandbox(extraConfig: sources)
        defer { box.remove() }
        let piped = try await runFeedwatch(["once", "--config", box.configURL.path], in: box.dir)
        #expect(piped.status == 0)
        #expect(!piped.stderr.contains("once: ") && !piped.stderr.contains("\u{1B}"), "\(piped.stderr)")

        let command = "\(TestPaths.feedwatchBinary.path) once --config \(box.configURL.path)"
        let (status, terminal) = try shell("cd \(box.dir.path) && script -qec '\(command)' /dev/null")
        #expect(status == 0, "\(terminal)")
        #expect(terminal.contains("\r\u{1B}[Konce: ") && terminal.contains("/4 sources ("), "\(terminal.debugDescription)")
    }
}
