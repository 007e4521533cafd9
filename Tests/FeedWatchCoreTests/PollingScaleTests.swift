import FeedFetch
@testable import FeedWatchCore
import FeedWatchTesting
import Foundation
import Logging
import SystemPackage
import Testing

/// Many sources (issue 14, item 7): one poll's state update costs that source's entry, not the
/// whole file, and poll starts hold the documented 10 a second.
@Suite(.timeLimit(.minutes(2)))
struct PollingScaleTests {
    private static func stored(_ k: Int) -> StoredSource {
        var state = SourceState(url: "http://127.0.0.1/feed-\(k).xml", nextDue: Date(timeIntervalSince1970: 1_893_456_000))
        state.validators = HTTPValidators(etag: "\"etag-\(k)\"", lastModified: nil)
        state.lastStatus = 200
        return StoredSource(name: "source-\(k)", configuredURL: "http://127.0.0.1/feed-\(k).xml", state: state)
    }

    @Test func oneUpdateAppendsOneEntryAndLeavesTheFileAlone() throws {
        let dir = try TestPaths.makeTemporaryDirectory("fw-state-scale")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = SourceStateFile(stateDirectory: FilePath(dir.path))
        let all = (0..<100_000).map(Self.stored)
        try file.save(all)
        let before = try FileManager.default.attributesOfItem(atPath: file.path.string)
        var changed = Self.stored(42)
        changed.state.validators = HTTPValidators(etag: "\"new\"", lastModified: nil)
        let entry = try SourceStateFile.encode(changed)
        let size = try file.append(encoded: [entry])
        #expect(size == entry.count + 1, "the journal holds one entry")
        let after = try FileManager.default.attributesOfItem(atPath: file.path.string)
        #expect(after[.systemFileNumber] as? Int == before[.systemFileNumber] as? Int, "sources.json was replaced")
        #expect(after[.size] as? Int == before[.size] as? Int)
        // A torn last journal line (a crash mid-append) is skipped; the rest is replayed.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file.journalPath.string))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"name\":\"source-7\",\"sta".utf8))
        try handle.close()
        let loaded = try file.load()
        #expect(loaded.count == 100_000)
        #expect(loaded["source-42"] == changed)
        #expect(loaded["source-7"] == Self.stored(7))
        // Folding the journal in empties it.
        try file.save(Array(loaded.values))
        #expect((try FileManager.default.attributesOfItem(atPath: file.journalPath.string)[.size] as? Int) == 0)
        #expect(try file.load()["source-42"] == changed)
    }

    @Test func pollStartsHoldTenASecondWhateverTheSchedule() async throws {
        let harness = try PollHarness()
        defer { harness.remove() }
        let server = try LoopbackHTTPServer()
        let times = RequestTimes()
        let clock = harness.clock
        server.route("/feed.xml", Route { _ in
            times.record(clock.now())
            return ScriptedResponse(status: 304, body: .bytes([]))
        })
        // 60 sources due every 2 s: their schedule alone would start 30 a second.
        let sources = (0..<60).map { k in
            SourceConfig(name: "s\(k)", url: server.url("/feed.xml?k=\(k)"), kind: .feed, interval: .seconds(2),
                         headers: [], basicAuth: nil)
        }
        let held = try await harness.session(sources) { poller in
            try await harness.runUntil(poller) { times.all.count >= 120 }
        }
        #expect(held)
        let starts = times.all.sorted()
        let gaps = zip(starts.dropFirst(), starts).map { $0.timeIntervalSince($1) }
        #expect((gaps.min() ?? 1) >= 0.099, "two polls started \(gaps.min() ?? 0) s apart")
        let span = (starts.last ?? VirtualClock.start).timeIntervalSince(starts.first ?? VirtualClock.start)
        #expect(Double(starts.count - 1) / span <= 10.01)
        // And the state went to the journal, not 120 rewrites of sources.json.
        let journal = harness.config.stateDirectory.appending("sources.journal")
        #expect(FileManager.default.fileExists(atPath: journal.string))
    }
}
