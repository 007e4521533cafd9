import FeedWatchTesting
import Foundation
import Glibc
import Testing

/// The built binary as a process: inbox → archive, restarts, signals, systemd protocol.
@Suite(.timeLimit(.minutes(2)))
struct DaemonEndToEndTests {
    @Test func droppedFilesAreArchivedExactlyOnce() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let daemon = try await box.startReady()
        defer { daemon.stop() }
        // Renamed into place, written in place, written slowly through one descriptor,
        // and a partial download that only counts once renamed.
        try box.drop("renamed.txt", textArticle("Renamed into place", "A file moved into the inbox in one step."))
        try textArticle("Written in place", "A file written directly in the inbox.")
            .write(to: box.inbox.appendingPathComponent("direct.txt"), atomically: false, encoding: .utf8)
        try textArticle("Partial download", "Ignored until renamed.")
            .write(to: box.inbox.appendingPathComponent("page.part"), atomically: false, encoding: .utf8)
        let fd = open(box.inbox.appendingPathComponent("slow.txt").path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        try #require(fd >= 0)
        for chunk in ["Written slowly\n", "\n", "This body arrives ", "in several writes ", "over time.\n"] {
            _ = write(fd, chunk, chunk.utf8.count)
            try await Task.sleep(for: .milliseconds(40))
        }
        close(fd)
        #expect(await eventually { box.names(in: box.processed).count == 3 }, "stderr:\n\(daemon.stderr)")
        try await Task.sleep(for: .milliseconds(200))
        #expect(box.names(in: box.inbox) == ["page.part"])
        try FileManager.default.moveItem(at: box.inbox.appendingPathComponent("page.part"),
                                         to: box.inbox.appendingPathComponent("page.txt"))
        #expect(await eventually { box.names(in: box.processed).count == 4 })
        let titles = try box.titles()
        #expect(titles.sorted() == ["Partial download", "Renamed into place", "Written in place", "Written slowly"])
        let slow = try box.records().first { $0["title"] as? String == "Written slowly" }
        #expect(slow?["text"] as? String == "This body arrives in several writes over time.")
        let source = try #require(slow?["source"] as? [String: Any])
        #expect(source["type"] as? String == "file")
        #expect(source["name"] as? String == "slow.txt")
        #expect(source["path"] as? String == box.inbox.appendingPathComponent("slow.txt").path)
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }

    @Test func sameArticleAsTextAndAsFeedIsArchivedOnce() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let daemon = try await box.startReady()
        defer { daemon.stop() }
        try box.drop("story.txt", textArticle("Harbour reopens", "The harbour reopened on Monday after repairs."))
        #expect(await eventually { box.names(in: box.processed) == ["story.txt"] })
        try box.drop("feed.xml", """
            <?xml version="1.0" encoding="utf-8"?>
            <rss version="2.0"><channel><title>Port news</title><link>https://port.example/</link>
            <item><title>Harbour reopens</title><link>https://port.example/harbour</link>
            <description>&lt;p&gt;The harbour reopened on Monday after repairs.&lt;/p&gt;</description></item>
            </channel></rss>
            """)
        #expect(await eventually { box.names(in: box.processed) == ["feed.xml", "story.txt"] }, "stderr:\n\(daemon.stderr)")
        #expect(try box.titles() == ["Harbour reopens"])
        #expect(daemon.stderr.contains("already archived"))
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }

    @Test func restartDoesNotReingest() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        var daemon = try await box.startReady()
        for i in 1...3 { try box.drop("a\(i).txt", textArticle("Restart article \(i)", "Body \(i) of the restart test.")) }
        #expect(await eventually { box.names(in: box.processed).count == 3 })
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
        let before = try String(contentsOf: box.archive, encoding: .utf8)

        daemon = try await box.startReady()
        defer { daemon.stop() }
        // The same content again, under a name already taken in processed/.
        try box.drop("a1.txt", textArticle("Restart article 1", "Body 1 of the restart test."))
        try box.drop("b.txt", textArticle("After restart", "A new article after the restart."))
        #expect(await eventually { box.names(in: box.processed).count == 5 })
        #expect(box.names(in: box.processed).contains("a1-2.txt"))
        let records = try box.records()
        #expect(records.count == 4)
        #expect(try String(contentsOf: box.archive, encoding: .utf8).hasPrefix(before))
        #expect(records.compactMap { $0["seq"] as? Int } == [1, 2, 3, 4])
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }

    @Test func systemdProtocol() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let daemon = try await box.startReady(watchdogUsec: 200_000)
        defer { daemon.stop() }
        let l = box.listener
        let ready = try #require(await l.waitFor("READY=1"))
        #expect(l.received()[ready].contains("STATUS="))
        let ping = try #require(await l.waitFor("WATCHDOG=1", after: ready, timeout: .seconds(30)))
        daemon.signal(SIGHUP)
        let reloading = try #require(await l.waitFor("RELOADING=1", after: ping))
        #expect(l.received()[reloading].contains("MONOTONIC_USEC="))
        let readyAgain = try #require(await l.waitFor("READY=1", after: reloading))
        #expect(await l.waitFor("WATCHDOG=1", after: readyAgain, timeout: .seconds(30)) != nil)
        daemon.signal(SIGTERM)
        #expect(await l.waitFor("STOPPING=1", after: readyAgain) != nil)
        #expect(await daemon.waitForExit() == 0)
        #expect(daemon.stderr.contains("config reloaded"))
    }

    @Test func invalidConfigOnReloadIsRefused() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let daemon = try await box.startReady()
        defer { daemon.stop() }
        try (box.config() + "\nbogus_key = 1\n").write(to: box.configURL, atomically: true, encoding: .utf8)
        let mark = box.listener.received().count - 1
        daemon.signal(SIGHUP)
        #expect(await box.listener.waitFor("READY=1", after: mark) != nil)
        #expect(await eventually { daemon.stderr.contains("reload refused") })
        #expect(daemon.stderr.contains("bogus_key: unknown key"))
        #expect(daemon.process.isRunning)
        try box.drop("still.txt", textArticle("Still running", "The daemon kept its old config."))
        #expect(await eventually { box.names(in: box.processed) == ["still.txt"] })
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }

    @Test func secondDaemonOnTheSameArchiveIsRefused() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let first = try await box.startReady()
        defer { first.stop() }
        let second = try box.start()
        defer { second.stop() }
        #expect(await second.waitForExit() == 1)
        #expect(second.stderr.contains("in use by another feedwatch"), "stderr:\n\(second.stderr)")
        #expect(first.process.isRunning)
        first.signal(SIGTERM)
        #expect(await first.waitForExit() == 0)
    }

    @Test func symlinkToAnOutsideFileIsNeverRead() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let secret = box.dir.appendingPathComponent("secret.txt")
        try textArticle("Secret title", "Secret body that must never be archived.").write(to: secret, atomically: false, encoding: .utf8)
        let daemon = try await box.startReady()
        defer { daemon.stop() }
        try FileManager.default.createSymbolicLink(at: box.inbox.appendingPathComponent("link.txt"), withDestinationURL: secret)
        #expect(await eventually { box.names(in: box.failed) == ["link.txt", "link.txt.error.json"] })
        let note = try String(contentsOf: box.failed.appendingPathComponent("link.txt.error.json"), encoding: .utf8)
        #expect(note.contains("symbolic link"))
        #expect(try box.records().isEmpty)
        #expect(FileManager.default.fileExists(atPath: secret.path))
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }

    @Test func unparseableAndOversizedFilesGoToFailed() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        try FileManager.default.createDirectory(at: box.inbox, withIntermediateDirectories: true)
        try Data([0, 1, 2, 0, 255, 0, 7]).write(to: box.inbox.appendingPathComponent("binary.bin"))
        try String(repeating: "x", count: 100_001).write(to: box.inbox.appendingPathComponent("big.txt"), atomically: false, encoding: .utf8)
        let result = try await runFeedwatch(["once", "--config", box.configURL.path], in: box.dir)
        #expect(result.status == 0, "stderr:\n\(result.stderr)")
        #expect(box.names(in: box.failed) == ["big.txt", "big.txt.error.json", "binary.bin", "binary.bin.error.json"])
        let note = try JSONSerialization.jsonObject(with: Data(contentsOf: box.failed.appendingPathComponent("big.txt.error.json")))
        let object = try #require(note as? [String: String])
        #expect(object["error"]?.contains("inbox.max_bytes") == true)
        #expect(object["file"] == box.inbox.appendingPathComponent("big.txt").path)
        #expect(object["at"]?.hasSuffix("Z") == true)
        #expect(box.names(in: box.inbox).isEmpty)
    }
}
