import FeedWatchTesting
import Foundation
import Glibc
import Testing

/// File names a careless (or hostile) producer gives (issue 14, items 6 and 12).
@Suite(.timeLimit(.minutes(2)))
struct InboxNameTests {
    /// Creates `inbox/<bytes>` with `content`, by bytes (Foundation cannot spell such a name).
    static func create(_ dir: URL, nameBytes: [UInt8], _ content: String) throws {
        var path = Array(dir.path.utf8) + [UInt8(ascii: "/")] + nameBytes + [0]
        let fd = path.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_EXCL, 0o644) }
        }
        try #require(fd >= 0)
        _ = content.withCString { write(fd, $0, strlen($0)) }
        close(fd)
    }

    /// Item 6: a Latin-1 name is processed (under a UTF-8 name), never silently skipped,
    /// whether it was there at start or arrives while the daemon runs.
    @Test func aFileNameThatIsNotUTF8IsProcessed() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        try FileManager.default.createDirectory(at: box.inbox, withIntermediateDirectories: true)
        try Self.create(box.inbox, nameBytes: Array("caf".utf8) + [0xE9] + Array(".txt".utf8),
                        textArticle("Cafe at start", "Present before the daemon started."))
        let daemon = try await box.startReady()
        defer { daemon.stop() }
        #expect(await eventually { box.names(in: box.processed) == ["caf%E9.txt"] }, "stderr:\n\(daemon.stderr)")
        let staging = box.dir.appendingPathComponent("staging")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        try Self.create(staging, nameBytes: Array("na".utf8) + [0xEF, 0xBF] + Array("ve.txt".utf8),
                        textArticle("Dropped while running", "Renamed into the inbox."))
        let from = Array(staging.path.utf8) + Array("/na".utf8) + [0xEF, 0xBF] + Array("ve.txt".utf8) + [0]
        let to = Array(box.inbox.path.utf8) + Array("/na".utf8) + [0xEF, 0xBF] + Array("ve.txt".utf8) + [0]
        let moved = from.withUnsafeBufferPointer { f in to.withUnsafeBufferPointer { t in
            f.withMemoryRebound(to: CChar.self) { fc in t.withMemoryRebound(to: CChar.self) { rename(fc.baseAddress!, $0.baseAddress!) } }
        } }
        try #require(moved == 0)
        #expect(await eventually { box.names(in: box.processed) == ["caf%E9.txt", "na%EF%BFve.txt"] }, "stderr:\n\(daemon.stderr)")
        #expect(box.names(in: box.inbox).filter { !$0.hasPrefix(".") }.isEmpty)
        #expect(try box.titles().sorted() == ["Cafe at start", "Dropped while running"])
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }

    /// Item 12: ESC, DEL and \x01 from a file name reach the log escaped, never raw.
    @Test func controlBytesInFileNamesAreEscapedInTheLog() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let daemon = try await box.startReady()
        defer { daemon.stop() }
        let name = "evil\u{1B}[31m\u{7F}\u{01}.txt"
        try box.drop(name, textArticle("Evil name", "A file whose name carries terminal escapes."))
        #expect(await eventually { box.names(in: box.processed) == [name] })
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
        let log = daemon.stderr
        #expect(log.contains("evil\\x1B[31m\\x7F\\x01.txt"), "\(log)")
        #expect(!log.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) })
    }
}
