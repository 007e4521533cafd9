import FeedWatchTesting
import Foundation
import Glibc
import Testing

/// `kill -9` at random moments of a 2,000-file ingest, 20 times over: every acknowledged
/// file's article is in the archive exactly once, no line is torn, `seq` only grows.
@Suite(.timeLimit(.minutes(3)))
struct CrashSafetyTests {
    @Test func killNineDuringIngestLosesNothingAndDuplicatesNothing() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        try FileManager.default.createDirectory(at: box.inbox, withIntermediateDirectories: true)
        let count = 2000
        for i in 0..<count {
            try textArticle("Crash article \(i)", "Body of crash article number \(i), unique words \(i * 7919).")
                .write(to: box.inbox.appendingPathComponent(String(format: "c%05d.txt", i)), atomically: false, encoding: .utf8)
        }
        var generator = SystemRandomNumberGenerator()
        for round in 0..<20 {
            let daemon = try box.start()
            try await Task.sleep(for: .milliseconds(Int.random(in: 30...250, using: &generator)))
            daemon.signal(SIGKILL)
            _ = await daemon.waitForExit()
            try check(box, label: "after kill \(round)")
        }
        // What is left is drained by a clean pass.
        let once = try await runFeedwatch(["once", "--config", box.configURL.path], in: box.dir)
        #expect(once.status == 0, "\(once.stderr)")
        try check(box, label: "final")
        #expect(box.names(in: box.inbox).isEmpty)
        #expect(box.names(in: box.processed).count == count)
        #expect(try box.records().count == count)
    }

    private func check(_ box: Sandbox, label: String) throws {
        let records = try box.records()
        let seqs = records.compactMap { $0["seq"] as? Int }
        #expect(seqs.count == records.count, "\(label): a record without seq")
        #expect(zip(seqs, seqs.dropFirst()).allSatisfy { $0 < $1 }, "\(label): seq not strictly increasing")
        var seen: [String: Int] = [:]
        for title in records.compactMap({ $0["title"] as? String }) { seen[title, default: 0] += 1 }
        #expect(seen.values.allSatisfy { $0 == 1 }, "\(label): duplicated articles")
        for name in box.names(in: box.processed) {
            let number = Int(name.dropFirst().prefix(5)) ?? -1
            #expect(seen["Crash article \(number)"] == 1, "\(label): acknowledged \(name) missing from the archive")
        }
        #expect(box.names(in: box.failed).isEmpty, "\(label): files failed")
    }
}
