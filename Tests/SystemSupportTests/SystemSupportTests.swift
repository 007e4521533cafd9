import FeedWatchTesting
import Foundation
import Glibc
import SystemPackage
import SystemSupport
import Testing

@Suite struct SystemSupportTests {
    @Test func syscallHelperCarriesErrno() {
        do {
            _ = try retryingSyscall("open", path: "/nonexistent") { open("/nonexistent", O_RDONLY) }
            Issue.record("open of a missing file succeeded")
        } catch {
            #expect(error.errno == .noSuchFileOrDirectory)
            #expect(error.description.contains("/nonexistent"))
        }
    }

    @Test func boundedReadKeepsErrnoAndRefusesWhatTheOptionsSay() throws {
        let dir = try TestPaths.makeTemporaryDirectory("fw-system")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("file.txt")
        try "secret".write(to: file, atomically: false, encoding: .utf8)
        let link = dir.appendingPathComponent("link.txt")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: file)
        let fifo = dir.appendingPathComponent("fifo")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        let untrusted = FileContents.Options(followSymlinks: false, regularFilesOnly: true)
        func read(_ url: URL, _ max: Int, _ options: FileContents.Options = .init()) throws(FileReadError) -> [UInt8] {
            try FileContents.read(.path(FilePath(url.path)), maxBytes: max, options: options)
        }

        #expect(try read(file, 6) == Array("secret".utf8))
        #expect(try read(link, 6) == Array("secret".utf8))
        #expect(throws: FileReadError(.open(.tooManySymbolicLinkLevels))) { try read(link, 6, untrusted) }
        #expect(throws: FileReadError(.tooLarge(bytes: 6, limit: 5, whileReading: false))) { try read(file, 5) }
        #expect(throws: FileReadError(.directory)) { try read(dir, 5) }
        #expect(throws: FileReadError(.directory)) { try read(dir, 5, untrusted) }
        // Opened without blocking for a writer, then refused as not a regular file.
        #expect(throws: FileReadError(.notRegularFile)) { try read(fifo, 5, untrusted) }
        do {
            _ = try read(dir.appendingPathComponent("gone"), 5)
            Issue.record("read of a missing file succeeded")
        } catch {
            #expect(error.errno == .noSuchFileOrDirectory)
            #expect(error.description == "cannot open: No such file or directory")
        }
    }

    @Test func aStreamOverTheCapIsRefusedWhileReading() throws {
        let dir = try TestPaths.makeTemporaryDirectory("fw-system")
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("fifo")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        let writer = Thread {
            let fd = open(fifo.path, O_WRONLY)
            let chunk = [UInt8](repeating: 0x61, count: 1000)
            for _ in 0..<10 { _ = chunk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } }
            close(fd)
        }
        writer.start()
        #expect(throws: FileReadError(.tooLarge(bytes: 10_000, limit: 9_999, whileReading: true))) {
            _ = try FileContents.read(.path(FilePath(fifo.path)), maxBytes: 9_999)
        }
    }

    @Test func atomicReplaceWritesTheNewFileOrLeavesTheOldOne() throws {
        struct Refused: Error {}
        let dir = try TestPaths.makeTemporaryDirectory("fw-system")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = FilePath(dir.appendingPathComponent("state.json").path)
        try AtomicFile.replace(file) { fd in _ = try fd.writeAll(Array("old".utf8)) }
        #expect(try String(contentsOfFile: file.string, encoding: .utf8) == "old")

        // A writer that fails leaves the old file and no temporary file.
        #expect(throws: AtomicFileError<Refused>.self) {
            try AtomicFile.replace(file) { (fd) throws(Refused) in
                _ = try? fd.writeAll(Array("half".utf8))
                throw Refused()
            }
        }
        #expect(try String(contentsOfFile: file.string, encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["state.json"])

        try AtomicFile.replace(file, permissions: [.ownerReadWrite]) { fd in _ = try fd.writeAll(Array("new".utf8)) }
        #expect(try String(contentsOfFile: file.string, encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["state.json"])

        // A directory that is not there: the open's errno, with the temporary file's path.
        do {
            try AtomicFile.replace(FilePath(dir.appendingPathComponent("gone/x").path)) { _ in }
            Issue.record("a file in a missing directory was written")
        } catch {
            guard case let .system(e) = error else { Issue.record("\(error)"); return }
            #expect(e.errno == .noSuchFileOrDirectory && e.call == "open" && e.path?.hasSuffix("gone/.x.tmp") == true)
        }
    }
}
