import Archive
import FeedModel
import Foundation
import Logging
import SystemPackage
import Testing

/// A damaged line in the middle of the archive is not a torn tail (issue 14, item 3): the open is
/// refused with the place and nothing is cut; `verify` lists it; `repair` keeps every sound record.
@Suite struct ArchiveDamageTests {
    /// 30 records in the live file with line `damagedLine` (1-based) overwritten with junk; no snapshot.
    func damagedArchive(_ box: ArchiveSandbox, damagedLine: Int, junk: String = "{\"schema\":1,\"seq\":X garbage") throws -> (Data, Int64) {
        let store = try box.open()
        _ = try store.append(Articles.items(0..<30))
        store.close()
        try FileManager.default.removeItem(at: box.snapshotPath)
        var lines = try String(contentsOf: box.livePath, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let offset = lines.prefix(damagedLine - 1).reduce(0) { $0 + $1.utf8.count + 1 }
        lines[damagedLine - 1] = junk
        let data = Data(lines.joined(separator: "\n").utf8)
        try data.write(to: box.livePath)
        return (data, Int64(offset))
    }

    @Test func damagedLineMidArchiveRefusesTheStartAndChangesNothing() throws {
        let box = try ArchiveSandbox()
        defer { box.remove() }
        let (data, offset) = try damagedArchive(box, damagedLine: 10)
        #expect { try box.open() } throws: { error in
            let e = try #require(error as? ArchiveError)
            return e.isDamaged && e.message.contains("articles.jsonl") && e.message.contains("byte \(offset)")
                && e.message.contains("line 10") && !e.message.contains("\n")
        }
        #expect(try Data(contentsOf: box.livePath) == data)
        let saved = try FileManager.default.contentsOfDirectory(atPath: box.stateDirectory.path).filter { $0.hasPrefix("torn-tail-") }
        #expect(saved.isEmpty)
        // `stats` (inspect) refuses it the same way instead of reporting a short archive.
        #expect(throws: ArchiveError.self) { try ArchiveStore.inspect(box.options) }
    }

    @Test func damagedLastLinesWithNoRecordAfterThemAreStillATornTail() throws {
        let box = try ArchiveSandbox()
        defer { box.remove() }
        let store = try box.open()
        _ = try store.append(Articles.items(0..<5))
        store.close()
        let handle = try FileHandle(forWritingTo: box.livePath)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"schema\":1,\"se\n\0\0\0\n\0\0".utf8))
        try handle.close()
        let reopened = try box.open()
        #expect(try reopened.append(Articles.items(5..<6)).map(\.seq) == [6])
        reopened.close()
        #expect(try box.records().map { $0["seq"] as? Int } == Array(1...6))
    }

    @Test func verifyListsTheDamageWithoutChangingAnything() throws {
        let box = try ArchiveSandbox()
        defer { box.remove() }
        let (data, offset) = try damagedArchive(box, damagedLine: 10)
        let report = try ArchiveCheck.verify(box.options)
        #expect(report.isDamaged)
        #expect(report.records == 29)
        let problem = try #require(report.problems.first)
        #expect(report.problems.count == 1 && problem.line == 10 && problem.offset == offset && !problem.isTornTail)
        #expect(try Data(contentsOf: box.livePath) == data)
    }

    @Test func repairKeepsEverySoundRecordQuarantinesTheRestAndKeepsSeqContiguous() throws {
        var box = try ArchiveSandbox()
        box.segmentBytes = 2500   // several rotated segments, damage in the first
        defer { box.remove() }
        var store = try box.open()
        _ = try store.append(Articles.items(0..<30))
        store.close()
        try FileManager.default.removeItem(at: box.snapshotPath)
        let files = try box.files()
        try #require(files.count >= 3)
        let firstSegment = box.archiveDirectory.appendingPathComponent(files[0])
        var lines = try String(contentsOf: firstSegment, encoding: .utf8).split(separator: "\n").map(String.init)
        let damagedLine = lines[1]
        lines[1] = "\u{0}\u{0}not a record"
        try (lines.joined(separator: "\n") + "\n").write(to: firstSegment, atomically: false, encoding: .utf8)
        #expect(throws: ArchiveError.self) { try box.open() }

        let before = try ArchiveCheck.verify(box.options)
        let report = try ArchiveRepair.quarantine(box.options, logger: Logger(label: "test"))
        #expect(report.records == 29 && report.quarantined.count == 1 && report.renumbered == 28)
        let quarantine = try Data(contentsOf: URL(fileURLWithPath: try #require(report.quarantineFile).string))
        #expect(quarantine == Data("\u{0}\u{0}not a record\n".utf8))
        #expect(before.records == report.records)
        // Every sound record kept, in order, seq 1…29, segment names matching their ranges.
        let records = try box.records()
        #expect(records.map { $0["seq"] as? Int } == Array(1...29))
        let titles = records.compactMap { $0["title"] as? String }
        #expect(titles == (0..<30).filter { $0 != 1 }.map { "Title \($0)" })
        #expect(!damagedLine.isEmpty)
        #expect(try ArchiveCheck.verify(box.options).problems.isEmpty)
        store = try box.open()
        #expect(try store.append(Articles.items(30..<31)).map(\.seq) == [30])
        store.close()
    }

    @Test func repairOfASoundArchiveChangesNothing() throws {
        let box = try ArchiveSandbox()
        defer { box.remove() }
        let store = try box.open()
        _ = try store.append(Articles.items(0..<5))
        store.close()
        let data = try Data(contentsOf: box.livePath)
        let report = try ArchiveRepair.quarantine(box.options, logger: Logger(label: "test"))
        #expect(report.quarantineFile == nil && report.records == 5)
        #expect(try Data(contentsOf: box.livePath) == data)
    }

    @Test func repairRefusesWhileAWriterHoldsTheArchive() throws {
        let box = try ArchiveSandbox()
        defer { box.remove() }
        let store = try box.open()
        defer { store.close() }
        #expect { _ = try ArchiveRepair.quarantine(box.options, logger: Logger(label: "test")) } throws: { error in
            (error as? ArchiveError)?.isInUse == true
        }
    }

    /// Two configs that differ only in `state_dir` meet at the archive's own lock (item 4).
    @Test func aSecondWriterWithAnotherStateDirectoryIsRefused() throws {
        let box = try ArchiveSandbox()
        defer { box.remove() }
        let store = try box.open()
        defer { store.close() }
        var other = box.options
        other.stateDirectory = other.stateDirectory.removingLastComponent().appending("state-2")
        #expect { _ = try ArchiveStore.open(other, logger: Logger(label: "test")) } throws: { error in
            let e = try #require(error as? ArchiveError)
            return e.isInUse && e.message.contains("pid \(getpid())") && e.message.contains(".articles.jsonl.lock")
        }
    }
}

extension ArchiveDamageTests {
    @Test func repairQuarantinesADamagedLineOfTheLiveFile() throws {
        let box = try ArchiveSandbox()
        defer { box.remove() }
        _ = try damagedArchive(box, damagedLine: 3, junk: "{\"schema\":1,\"seq\":3,\"id\":\"sha256:0")
        let report = try ArchiveRepair.quarantine(box.options, logger: Logger(label: "test"))
        #expect(report.records == 29 && report.quarantined.map(\.line) == [3] && report.renumbered == 27)
        let quarantine = try Data(contentsOf: URL(fileURLWithPath: try #require(report.quarantineFile).string))
        #expect(quarantine == Data("{\"schema\":1,\"seq\":3,\"id\":\"sha256:0\n".utf8))
        #expect(try box.records().map { $0["seq"] as? Int } == Array(1...29))
    }
}
