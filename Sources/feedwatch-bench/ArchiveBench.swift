import Archive
import ArgumentParser
import FeedModel
import Foundation
import Logging
import SystemPackage

/// Append throughput with an fsync per batch, and the restart cost of a large archive: reopen with
/// the index snapshot (load + checksum, no archive scan), resident memory of the index, and a full
/// rebuild without the snapshot.
struct ArchiveBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "archive", abstract: "Archive append throughput and restart cost.")

    @Option(help: "Records in the large archive for the restart figures.")
    var records = 1_000_000

    @Option(help: "Articles appended per batch size for the throughput figures.")
    var appends = 4_000

    @Option(help: "Working directory (default: a new one under the temp dir, removed afterwards).")
    var directory: String?

    func run() async throws {
        let root = URL(fileURLWithPath: directory ?? NSTemporaryDirectory())
            .appendingPathComponent("feedwatch-archive-bench-\(getpid())")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let quiet = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }

        print("append, fsync per batch (\(appends) articles of ~1.2 KB each):")
        for batch in [1, 16, 256] {
            let opts = Self.options(root.appendingPathComponent("append-\(batch)"))
            let store = try ArchiveStore.open(opts, logger: quiet)
            let items = (0..<appends).map { Self.article($0, label: "b\(batch)", long: true) }
            let clock = ContinuousClock()
            let elapsed = try clock.measure {
                var k = 0
                while k < items.count {
                    _ = try store.append(Array(items[k..<min(k + batch, items.count)]))
                    k += batch
                }
            }
            store.close()
            let rate = Double(appends) / elapsed.seconds
            print("  batch \(String(batch).padding(3)): \(Int(rate)) articles/s  (\(Int(rate) / batch) fsyncs/s)")
        }

        let big = Self.options(root.appendingPathComponent("big"))
        let clock = ContinuousClock()
        var k = 0
        let build = try clock.measure {
            let store = try ArchiveStore.open(big, logger: quiet)
            while k < records {
                let n = min(1000, records - k)
                _ = try store.append((k..<(k + n)).map { Self.article($0, label: "big", long: false) })
                k += n
            }
            store.close()
        }
        let stats = try ArchiveStore.inspect(big)
        print("built \(stats.records) records, \(stats.segments) segments, \(stats.bytes >> 20) MB in \(build.formatted)")

        let before = ProcessMemory.residentBytes()
        var reopened: ArchiveStore?
        let cpuBefore = ProcessCPU.seconds()
        let reopen = try clock.measure { reopened = try ArchiveStore.open(big, logger: quiet) }
        let reopenCPU = ProcessCPU.seconds() - cpuBefore
        let after = ProcessMemory.residentBytes()
        guard let store = reopened else { return }
        let perArticle = Double(store.indexMemoryBytes) / Double(stats.records)
        let rssPerArticle = Double(after - before) / Double(stats.records)
        print("reopen with snapshot: \(reopen.formatted) wall, \(Int(reopenCPU * 1000)) ms CPU  (target < 1 s; wall is inflated when other jobs share the cores)")
        print("index memory: \(store.indexMemoryBytes >> 20) MB allocated = \(perArticle.rounded2) B/article; "
            + "resident +\((after - before) >> 20) MB = \(rssPerArticle.rounded2) B/article  (target <= 64)")
        let duplicate = try clock.measure { _ = try store.append([Self.article(records / 2, label: "big", long: false)]) }
        print("duplicate check + (no) write at \(stats.records) records: \(duplicate.formatted)")
        store.close()

        // After a crash the snapshot can be up to `snapshotInterval - 1` records behind the
        // archive: reopen then scans that much archive text on top of the load.
        let snapshot = big.stateDirectory.appending("dedup-index.bin")
        let saved = try Data(contentsOf: URL(fileURLWithPath: snapshot.string))
        let behind = big.snapshotInterval - 1
        let more = try ArchiveStore.open(big, logger: quiet)
        k = stats.records
        while k < stats.records + behind {
            let n = min(1000, stats.records + behind - k)
            _ = try more.append((k..<(k + n)).map { Self.article($0, label: "big", long: false) })
            k += n
        }
        more.close()
        try saved.write(to: URL(fileURLWithPath: snapshot.string))
        let crashCPUBefore = ProcessCPU.seconds()
        let crashReopen = try clock.measure { try ArchiveStore.open(big, logger: quiet).close() }
        let crashCPU = ProcessCPU.seconds() - crashCPUBefore
        print("reopen after a crash, snapshot \(behind) records behind (the most it can be): "
              + "\(crashReopen.formatted) wall, \(Int(crashCPU * 1000)) ms CPU")

        _ = snapshot.withPlatformString { unlink($0) }
        let rebuildCPUBefore = ProcessCPU.seconds()
        let rebuild = try clock.measure { try ArchiveStore.open(big, logger: quiet).close() }
        let rebuildCPU = ProcessCPU.seconds() - rebuildCPUBefore
        print("rebuild without snapshot (scan of all \(stats.segments) segments): \(rebuild.formatted) wall, \(Int(rebuildCPU * 1000)) ms CPU")
    }

    static func options(_ dir: URL) -> ArchiveOptions {
        ArchiveOptions(archivePath: FilePath(dir.appendingPathComponent("archive/articles.jsonl").path),
                       stateDirectory: FilePath(dir.appendingPathComponent("state").path))
    }

    static let paragraph = "The council met on Tuesday to discuss the budget for the coming year, "
        + "including road repairs, the library's opening hours and a new bus line to the hospital. "

    static func article(_ k: Int, label: String, long: Bool) -> IngestItem {
        let text = long ? String(repeating: paragraph, count: 7) + "Item \(k)." : "Short body \(k) of \(label)."
        return IngestItem(
            article: Article(title: "Article \(k) — \(label)", text: text, url: "https://news.example/\(label)/\(k)",
                             guid: "urn:\(label):\(k)", author: "A. Writer", tags: ["local"]),
            source: ArticleSource(kind: .feed, name: "bench-\(label)", url: "https://news.example/feed.xml"),
            fetchedAt: Timestamp(secondsSince1970: 1_700_000_000 + Int64(k)))
    }

}

fileprivate extension Duration {
    var formatted: String { seconds < 1 ? "\(Int(seconds * 1000)) ms" : "\((seconds * 100).rounded() / 100) s" }
}

fileprivate extension Double {
    var rounded2: Double { (self * 100).rounded() / 100 }
}

fileprivate extension String {
    func padding(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
