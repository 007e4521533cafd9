import DropFolder
import FeedWatchTesting
import Foundation
import Glibc
import Logging
import SystemPackage
import SystemSupport
import Testing

/// Collects what a watcher reports, so a test can wait for an expected set of names.
private actor Seen {
    var names: [String] = []
    func add(_ n: String) { names.append(n) }
}

@Suite struct DropFolderTests {
    let logger = Logger(label: "test")

    @Test(arguments: [
        (".hidden", true), ("a.tmp", true), ("a.PART", true), ("a.partial", true), ("a.crdownload", true),
        ("a.swp", true), ("", true), ("article.txt", false), ("feed.xml", false), ("tmp", false), ("a.tmp.txt", false),
    ])
    func ignoreRules(name: String, ignored: Bool) {
        #expect(InboxNameFilter.isIgnored(name) == ignored)
    }

    @Test(.timeLimit(.minutes(1)))
    func reportsScanWritesRenamesAndSymlinksButNotPartials() async throws {
        let dir = try TestPaths.makeTemporaryDirectory("fw-drop")
        defer { try? FileManager.default.removeItem(at: dir) }
        try "old".write(to: dir.appendingPathComponent("existing.txt"), atomically: false, encoding: .utf8)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("subdir"), withIntermediateDirectories: true)
        let stream = try DropFolder(directory: FilePath(dir.path), logger: logger).watch()
        let seen = Seen()
        let consumer = Task {
            for await path in stream { await seen.add(path.lastComponent?.string ?? "") }
        }
        // A plain write, a partial that is renamed into place, a hidden file, a symlink, a file in a subdirectory.
        try "new".write(to: dir.appendingPathComponent("written.txt"), atomically: false, encoding: .utf8)
        try "x".write(to: dir.appendingPathComponent("download.part"), atomically: false, encoding: .utf8)
        try "x".write(to: dir.appendingPathComponent(".hidden"), atomically: false, encoding: .utf8)
        try FileManager.default.moveItem(at: dir.appendingPathComponent("download.part"), to: dir.appendingPathComponent("renamed.xml"))
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("link").path, withDestinationPath: "/etc/hostname")
        try "x".write(to: dir.appendingPathComponent("subdir/deep.txt"), atomically: false, encoding: .utf8)
        let expected: Set = ["existing.txt", "written.txt", "renamed.xml", "link"]
        let complete = await eventually { Set(await seen.names).isSuperset(of: expected) }
        #expect(complete)
        try? await Task.sleep(for: .milliseconds(100))
        let names = await seen.names
        #expect(Set(names) == expected, "reported: \(names)")
        consumer.cancel()
    }

    @Test(.timeLimit(.minutes(1)))
    func slowWriterIsReportedOnceWhenClosed() async throws {
        let dir = try TestPaths.makeTemporaryDirectory("fw-drop")
        defer { try? FileManager.default.removeItem(at: dir) }
        let stream = try DropFolder(directory: FilePath(dir.path), logger: logger).watch()
        let seen = Seen()
        let consumer = Task { for await path in stream { await seen.add(path.lastComponent?.string ?? "") } }
        // One descriptor from creation to close, as a slow downloader or `cat > file` has.
        let fd = open(dir.appendingPathComponent("slow.txt").path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        try #require(fd >= 0)
        for i in 0..<5 {
            let line = Array("line \(i)\n".utf8)
            #expect(write(fd, line, line.count) == line.count)
            try await Task.sleep(for: .milliseconds(30))
        }
        #expect(await seen.names.isEmpty, "reported before the writer closed the file")
        close(fd)
        #expect(await eventually { await seen.names == ["slow.txt"] })
        consumer.cancel()
    }

    @Test func watchingAMissingDirectoryFails() {
        #expect(throws: SystemCallError.self) {
            _ = try DropFolder(directory: FilePath("/nonexistent/inbox"), logger: logger).watch()
        }
    }

    @Test func readRefusesSymlinksAndOversizedFiles() throws {
        let dir = try TestPaths.makeTemporaryDirectory("fw-drop")
        defer { try? FileManager.default.removeItem(at: dir) }
        let outside = dir.appendingPathComponent("outside.txt")
        try "secret".write(to: outside, atomically: false, encoding: .utf8)
        let link = dir.appendingPathComponent("link.txt")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: outside)
        #expect(throws: InboxRejection.self) { _ = try InboxFile.read(FilePath(link.path), maxBytes: 100) }
        #expect(throws: InboxRejection.self) { _ = try InboxFile.read(FilePath(outside.path), maxBytes: 3) }
        #expect(try InboxFile.read(FilePath(outside.path), maxBytes: 6) == Array("secret".utf8))
        do {
            _ = try InboxFile.read(FilePath(dir.appendingPathComponent("gone").path), maxBytes: 10)
        } catch {
            #expect(error.vanished)
        }
    }

    @Test func moverNeverReplacesAndWritesErrorNotes() throws {
        let dir = try TestPaths.makeTemporaryDirectory("fw-drop")
        defer { try? FileManager.default.removeItem(at: dir) }
        let fm = FileManager.default
        for sub in ["in", "processed", "failed"] { try fm.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true) }
        let mover = InboxMover(processed: FilePath(dir.appendingPathComponent("processed").path),
                               failed: FilePath(dir.appendingPathComponent("failed").path))
        func drop(_ content: String) throws -> FilePath {
            let url = dir.appendingPathComponent("in/a.txt")
            try content.write(to: url, atomically: false, encoding: .utf8)
            return FilePath(url.path)
        }
        #expect(try mover.moveToProcessed(drop("1")).lastComponent?.string == "a.txt")
        #expect(try mover.moveToProcessed(drop("2")).lastComponent?.string == "a-2.txt")
        #expect(try mover.moveToProcessed(drop("3")).lastComponent?.string == "a-3.txt")
        #expect(try String(contentsOf: dir.appendingPathComponent("processed/a-2.txt"), encoding: .utf8) == "2")
        let failed = try mover.moveToFailed(drop("4"), reason: "cannot parse: \"x\"", at: "2026-01-01T00:00:00Z")
        let note = try Data(contentsOf: URL(fileURLWithPath: failed.string + ".error.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: note) as? [String: String])
        #expect(object == ["file": dir.appendingPathComponent("in/a.txt").path, "error": "cannot parse: \"x\"", "at": "2026-01-01T00:00:00Z"])
        #expect(try mover.moveToFailed(drop("5"), reason: "r", at: "t").lastComponent?.string == "a-2.txt")
        #expect(try fm.contentsOfDirectory(atPath: dir.appendingPathComponent("in").path).isEmpty)
    }

    @Test(arguments: [
        ("/srv/in/a.txt", "/srv/in", "a.txt"), ("in/.hidden", "in", ".hidden"), ("a.b.c", "", "a.b.c"),
        ("/x/name.", "/x", "name."), ("/a", "/", "a"),
    ])
    func inboxPathsSplitAndJoinLikeFilePath(path: String, directory: String, name: String) {
        let file = FilePath(path)
        #expect(InboxPath.name(of: file) == name)
        #expect(InboxPath.name(of: file) == file.lastComponent?.string)
        #expect(InboxPath.join(FilePath(directory), name) == file)
    }

    @Test func moverKeepsTheExtensionAfterTheSuffixAndNoneForDotFiles() throws {
        let dir = try TestPaths.makeTemporaryDirectory("fw-drop")
        defer { try? FileManager.default.removeItem(at: dir) }
        let inbox = dir.appendingPathComponent("in"), processed = dir.appendingPathComponent("processed")
        for sub in [inbox, processed] { try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true) }
        let mover = InboxMover(processed: FilePath(processed.path), failed: FilePath(dir.appendingPathComponent("failed").path))
        func move(_ name: String) throws -> String? {
            try "x".write(to: inbox.appendingPathComponent(name), atomically: false, encoding: .utf8)
            return try mover.moveToProcessed(FilePath(inbox.appendingPathComponent(name).path)).lastComponent?.string
        }
        for name in ["a.b.txt", ".notes", "plain"] { _ = try move(name) }
        #expect(try move("a.b.txt") == "a.b-2.txt")
        #expect(try move(".notes") == ".notes-2")
        #expect(try move("plain") == "plain-2")
    }
}
