import Archive
import Foundation
import Testing

/// The index snapshot is a cache of the archive: whatever happens to it, reopening must give the
/// index that a full scan of the archive gives, and a sound snapshot must spare that scan.
@Suite struct ArchiveSnapshotTests {
    private func archive(_ box: ArchiveSandbox, _ range: Range<Int>) throws {
        let store = try box.open()
        _ = try store.append(Articles.items(range))
        store.close()
    }

    /// Reopens after `damage`, then checks the rebuilt snapshot is byte for byte the original one.
    private func expectRebuild(_ box: ArchiveSandbox, damage: () throws -> Void) throws {
        try archive(box, 0..<40)
        let original = try Data(contentsOf: box.snapshotPath)
        try damage()
        let logs = CapturedLogs()
        let store = try box.open(logs.logger)
        #expect(logs.all.contains { $0.hasPrefix("warning") && $0.contains("rebuilding the index from the archive") })
        #expect(store.stats().records == 40 && store.stats().identities == 40)
        store.close()
        #expect(try Data(contentsOf: box.snapshotPath) == original)
        let again = try box.open()
        let out = try again.append(Articles.items(0..<41))
        #expect(out.prefix(40).allSatisfy { if case .duplicate = $0 { true } else { false } })
        #expect(out.last?.seq == 41)
        again.close()
    }

    @Test func missingSnapshotIsRebuiltFromTheArchive() throws {
        var box = try ArchiveSandbox()
        box.segmentBytes = 3000
        defer { box.remove() }
        try expectRebuild(box) { try FileManager.default.removeItem(at: box.snapshotPath) }
    }

    @Test(arguments: [0, 9, 100, 130, 2000, -1])
    func damagedSnapshotIsRebuiltFromTheArchive(byte: Int) throws {
        var box = try ArchiveSandbox()
        box.segmentBytes = 3000
        defer { box.remove() }
        try expectRebuild(box) {
            var data = try Data(contentsOf: box.snapshotPath)
            if byte < 0 {
                data.removeLast(16)
            } else {
                data[byte] ^= 0x40
            }
            try data.write(to: box.snapshotPath)
        }
    }

    @Test func snapshotCoveringMoreThanTheArchiveHoldsIsRebuilt() throws {
        let box = try ArchiveSandbox()
        defer { box.remove() }
        try expectRebuild(box) {
            // Another archive's snapshot, 50 records long, where only 40 are.
            let other = try ArchiveSandbox()
            defer { other.remove() }
            try archive(other, 100..<150)
            try FileManager.default.removeItem(at: box.snapshotPath)
            try FileManager.default.copyItem(at: other.snapshotPath, to: box.snapshotPath)
        }
    }

    @Test func snapshotOfTheSameLengthButOtherContentIsRebuilt() throws {
        let box = try ArchiveSandbox()
        defer { box.remove() }
        try expectRebuild(box) {
            let other = try ArchiveSandbox()
            defer { other.remove() }
            try archive(other, 100..<140)
            try FileManager.default.removeItem(at: box.snapshotPath)
            try FileManager.default.copyItem(at: other.snapshotPath, to: box.snapshotPath)
        }
    }

    @Test func snapshotBehindTheArchiveCatchesUpWithoutAFullScan() throws {
        var box = try ArchiveSandbox()
        box.segmentBytes = 2500
        defer { box.remove() }
        try archive(box, 0..<10)
        let old = try Data(contentsOf: box.snapshotPath)
        // Rotations happen after the snapshot: the file it points into is renamed.
        try archive(box, 10..<30)
        try old.write(to: box.snapshotPath)
        let logs = CapturedLogs()
        let store = try box.open(logs.logger)
        #expect(!logs.all.contains { $0.contains("rebuilding") })
        #expect(store.stats().records == 30)
        let out = try store.append(Articles.items(0..<31))
        #expect(out.prefix(30).allSatisfy { if case .duplicate = $0 { true } else { false } })
        #expect(out.last?.seq == 31)
        store.close()
        #expect(try box.records().map { $0["seq"] as? Int } == Array(1...31))
    }

    @Test func restartAfterACrashScansOnlyWhatTheSnapshotMissed() throws {
        var box = try ArchiveSandbox()
        box.snapshotInterval = 10
        defer { box.remove() }
        let store = try box.open()
        for k in 0..<25 { _ = try store.append([Articles.items(k..<(k + 1))[0]]) }
        // No close: the last snapshot was taken at 20 records, as after a crash.
        let copy = try ArchiveSandbox("copy")
        defer { copy.remove() }
        try FileManager.default.copyItem(at: box.archiveDirectory, to: copy.archiveDirectory)
        try FileManager.default.copyItem(at: box.snapshotPath.deletingLastPathComponent(), to: copy.stateDirectory)
        try FileManager.default.removeItem(at: copy.lockPath)
        store.close()
        let logs = CapturedLogs()
        let reopened = try copy.open(logs.logger)
        #expect(!logs.all.contains { $0.contains("rebuilding") })
        #expect(reopened.stats().records == 25)
        #expect(try reopened.append(Articles.items(24..<26)).map(\.seq) == [nil, 26])
        reopened.close()
    }

    @Test func duplicateCountSurvivesACrashBetweenSnapshots() throws {
        let box = try ArchiveSandbox()
        defer { box.remove() }
        try archive(box, 0..<10)
        let store = try box.open()
        _ = try store.append(Articles.items(0..<3))
        _ = try store.append(Articles.items(5..<7) + Articles.items(10..<11))
        // No close, no snapshot since the first session: copied as a crash would leave it.
        let copy = try ArchiveSandbox("copy")
        defer { copy.remove() }
        try FileManager.default.copyItem(at: box.archiveDirectory, to: copy.archiveDirectory)
        try FileManager.default.copyItem(at: box.snapshotPath.deletingLastPathComponent(), to: copy.stateDirectory)
        try FileManager.default.removeItem(at: copy.lockPath)
        store.close()
        #expect(try ArchiveStore.inspect(copy.options).duplicatesSuppressed == 5)
        let reopened = try copy.open()
        #expect(reopened.stats().duplicatesSuppressed == 5)
        #expect(reopened.stats().records == 11)
        reopened.close()
    }
}
