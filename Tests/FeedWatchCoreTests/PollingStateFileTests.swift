import FeedFetch
@testable import FeedWatchCore
import FeedWatchTesting
import Foundation
import Logging
import SystemPackage
import Testing

@Suite struct PollingStateFileTests {
    @Test func savedStateComesBackByteForByte() throws {
        let dir = try TestPaths.makeTemporaryDirectory("fw-state")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = SourceStateFile(stateDirectory: FilePath(dir.path))
        #expect(try file.load().isEmpty)
        var state = SourceState(url: "http://127.0.0.1/feed.xml", nextDue: Date(timeIntervalSince1970: 1_893_456_123.25))
        // A validator with Latin-1 bytes and quotes must be echoed exactly as the server sent it.
        state.validators = HTTPValidators(etag: "W/\"caf\u{E9}\\\"x\"", lastModified: "Sunday, 06-Nov-94 08:49:37 GMT")
        state.lastStatus = 503
        state.consecutiveFailures = 4
        state.health = .failing
        state.lastError = "HTTP 503"
        state.pendingRedirect = .init(target: "http://127.0.0.1/new.xml", count: 2)
        let saved = StoredSource(name: "n\u{E4}me", configuredURL: "http://127.0.0.1/feed.xml", state: state)
        try file.save([saved])
        #expect(try file.load() == ["n\u{E4}me": saved])
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(names == ["sources.json"], "no temporary file left behind")
    }

    @Test func aDamagedFileIsReportedAndTheSourcesStartAfresh() throws {
        let dir = try TestPaths.makeTemporaryDirectory("fw-state")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("{\"schema\":1,\"sources\":[{\"na".utf8).write(to: dir.appendingPathComponent("sources.json"))
        let file = SourceStateFile(stateDirectory: FilePath(dir.path))
        #expect(throws: SourceStateError.self) { try file.load() }
        #expect(Poller.loadState(file, logger: .init(label: "test") { _ in SwiftLogNoOpLogHandler() }).isEmpty)
    }
}
