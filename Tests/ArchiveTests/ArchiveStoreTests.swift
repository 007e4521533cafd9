import Archive
import FeedModel
import Foundation
import Testing

@Suite struct ArchiveStoreTests {
    @Test func appendNumbersRecordsAndContinuesAfterRestart() throws {
        let box = try ArchiveSandbox()
        defer { box.remove() }
        var store = try box.open()
        let first = try store.append(Articles.items(0..<3))
        #expect(first.map(\.seq) == [1, 2, 3])
        store.close()
        store = try box.open()
        let second = try store.append(Articles.items(3..<5))
        #expect(second.map(\.seq) == [4, 5])
        #expect(store.stats().records == 5)
        store.close()
        let lines = try box.records()
        #expect(lines.map { $0["seq"] as? Int } == [1, 2, 3, 4, 5])
        #expect(lines.allSatisfy { $0["kind"] as? String == "new" && $0["schema"] as? Int == 1 })
        // The line is exactly the record format's line, seq included.
        let expected = ArticleRecord(seq: 1, article: Articles.items(0..<1)[0].article,
                                     source: Articles.items(0..<1)[0].source, fetchedAt: Articles.fetchedAt).jsonLine()
        let text = try String(contentsOf: box.livePath, encoding: .utf8)
        #expect(text.hasPrefix(expected))
    }

    @Test func emptyArticlesAreNotArchived() throws {
        let box = try ArchiveSandbox()
        defer { box.remove() }
        let store = try box.open()
        let empty = IngestItem(article: Article(guid: "x"), source: ArticleSource(kind: .file, name: "f.txt"),
                               fetchedAt: Articles.fetchedAt)
        let out = try store.append([empty, Articles.item(1)])
        #expect(out[0] == .empty)
        #expect(out[1].seq == 1)
        #expect(store.stats().records == 1)
    }

    @Test func duplicatesAreSuppressedAcrossSegmentsSourcesAndRestarts() throws {
        var box = try ArchiveSandbox()
        box.segmentBytes = 600
        defer { box.remove() }
        var store = try box.open()
        _ = try store.append(Articles.items(0..<10))
        #expect(try box.files().count > 2)
        store.close()
        store = try box.open()
        // Same content from another source and kind, no guid: still the same id.
        var again = Articles.item(0, label: "a")
        again.source = ArticleSource(kind: .file, name: "dropped.txt", path: "/inbox/dropped.txt")
        again.article.guid = nil
        let out = try store.append([again, Articles.items(9..<10)[0], Articles.item(10)])
        #expect(out[0] == .duplicate(id: again.article.id))
        #expect(out[1] == .duplicate(id: Articles.items(9..<10)[0].article.id))
        #expect(out[2].seq == 11)
        #expect(store.stats().duplicatesSuppressed == 2)
        store.close()
        #expect(try ArchiveStore.inspect(box.options).duplicatesSuppressed == 2)
        let ids = try box.records().compactMap { $0["id"] as? String }
        #expect(ids.count == 11 && Set(ids).count == 11)
    }

    @Test func duplicateWithinOneBatchIsWrittenOnce() throws {
        let box = try ArchiveSandbox()
        defer { box.remove() }
        let store = try box.open()
        let a = Articles.item(1)
        let out = try store.append([a, Articles.item(2), a])
        #expect(out[0].seq == 1 && out[1].seq == 2)
        #expect(out[2] == .duplicate(id: a.article.id))
        #expect(try box.records().count == 2)
    }

    @Test func changedContentUnderSameIdentityIsAnUpdateNamingThePreviousID() throws {
        let box = try ArchiveSandbox()
        defer { box.remove() }
        var store = try box.open()
        let v1 = Articles.item(1, guid: "entry-1", text: "First version.")
        let v2 = Articles.item(1, guid: "entry-1", text: "Second version.")
        let otherSource = Articles.item(1, source: "feed-2", guid: "entry-1", text: "Third version.")
        let byURL1 = Articles.item(2, url: "https://example.org/a", text: "URL one.")
        _ = try store.append([v1, byURL1])
        store.close()
        store = try box.open()
        let byURL2 = Articles.item(2, url: "https://example.org/a", text: "URL two.")
        let v3 = Articles.item(1, guid: "entry-1", text: "Third version, really.")
        let out = try store.append([v2, otherSource, byURL2, v3])
        #expect(out.map(\.kind) == [.updated, .new, .updated, .updated])
        store.close()
        let lines = try box.records()
        #expect(lines[2]["previous_id"] as? String == v1.article.id)
        #expect(lines[3]["previous_id"] == nil)
        #expect(lines[4]["previous_id"] as? String == byURL1.article.id)
        // Within one batch the latest id wins.
        #expect(lines[5]["previous_id"] as? String == v2.article.id)
        #expect(try ArchiveStore.inspect(box.options).identities == 3)
    }

    @Test func rotatedSegmentsCarryTheirSeqRangeInTheName() throws {
        var box = try ArchiveSandbox()
        box.segmentBytes = 1000
        defer { box.remove() }
        let store = try box.open()
        for k in 0..<30 { _ = try store.append([Articles.item(k)]) }
        let stats = store.stats()
        store.close()
        let files = try box.files()
        #expect(files.last == "articles.jsonl")
        #expect(stats.segments == files.count)
        var next = 1
        for name in files.dropLast() {
            let digits = name.dropFirst("articles.".count).prefix(25)
            let bounds = digits.split(separator: "-").compactMap { Int($0) }
            let seqs = try box.records(in: name).compactMap { $0["seq"] as? Int }
            #expect(bounds == [next, seqs.last ?? -1])
            #expect(seqs == Array(next...(bounds.last ?? 0)))
            let size = try FileManager.default.attributesOfItem(atPath: box.archiveDirectory.appendingPathComponent(name).path)[.size] as? Int
            #expect((size ?? .max) <= 1000)
            next = (bounds.last ?? 0) + 1
        }
        #expect(try box.records().map { $0["seq"] as? Int } == Array(1...30))
    }

    @Test(arguments: ["{\"schema\":1,\"seq\":4,\"id\":\"sha2", "garbage without newline", "not json at all\n",
                      "{\"schema\":1,\"seq\":4}\n\u{0}\u{0}\u{0}"])
    func tornTailIsCutOffAndSavedAtOpen(tail: String) throws {
        let box = try ArchiveSandbox()
        defer { box.remove() }
        var store = try box.open()
        _ = try store.append(Articles.items(0..<3))
        store.close()
        let good = try Data(contentsOf: box.livePath)
        let handle = try FileHandle(forWritingTo: box.livePath)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(tail.utf8))
        try handle.close()
        let logs = CapturedLogs()
        store = try box.open(logs.logger)
        #expect(try Data(contentsOf: box.livePath) == good)
        #expect(logs.all.contains { $0.hasPrefix("warning") && $0.contains("cut \(tail.utf8.count) bytes") })
        let saved = try FileManager.default.contentsOfDirectory(atPath: box.stateDirectory.path).filter { $0.hasPrefix("torn-tail-") }
        #expect(saved.count == 1)
        #expect(try store.append(Articles.items(3..<4)).map(\.seq) == [4])
        store.close()
        #expect(try box.records().map { $0["seq"] as? Int } == [1, 2, 3, 4])
    }

    @Test func editedArchiveIsRefusedWithTheFileAndByte() throws {
        let box = try ArchiveSandbox()
        defer { box.remove() }
        let store = try box.open()
        _ = try store.append(Articles.items(0..<2))
        store.close()
        try FileManager.default.removeItem(at: box.snapshotPath)
        var text = try String(contentsOf: box.livePath, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"seq\":2,", with: "\"seq\":7,")
        try text.write(to: box.livePath, atomically: false, encoding: .utf8)
        #expect { try box.open() } throws: { error in
            let e = try #require(error as? ArchiveError)
            return e.isDamaged && e.message.contains("seq 7 where 2 was expected") && e.message.contains("articles.jsonl")
        }
    }

    @Test func inspectReadsFiguresWhileTheWriterHoldsTheLock() throws {
        var box = try ArchiveSandbox()
        box.segmentBytes = 2000
        defer { box.remove() }
        let store = try box.open()
        _ = try store.append(Articles.items(0..<20))
        _ = try store.append(Articles.items(0..<2))
        let figures = try ArchiveStore.inspect(box.options)
        let live = store.stats()
        #expect(figures.records == 20 && figures.lastSeq == 20 && figures.distinctIDs == 20 && figures.identities == 20)
        #expect(figures.segments == live.segments && figures.bytes == live.bytes)
        let onDisk = try box.files().reduce(0) { total, name in
            total + ((try FileManager.default.attributesOfItem(atPath: box.archiveDirectory.appendingPathComponent(name).path)[.size] as? Int) ?? 0)
        }
        #expect(live.bytes == Int64(onDisk))
        store.close()
    }
}

extension AppendOutcome {
    var seq: Int? {
        if case .archived(let seq, _, _) = self { return seq }
        return nil
    }

    var kind: ArticleRecord.Kind? {
        if case .archived(_, _, let kind) = self { return kind }
        return nil
    }
}
