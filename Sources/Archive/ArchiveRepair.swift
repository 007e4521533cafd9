import Foundation
public import Logging
public import SystemPackage

/// What `ArchiveRepair.quarantine` did.
public struct ArchiveRepairReport: Sendable {
    /// Sound records kept, numbered 1… without a gap.
    public var records = 0
    /// Lines moved to the quarantine file (damaged, repeated ids, a torn tail).
    public var quarantined: [ArchiveProblem] = []
    /// Kept records whose `seq` changed to close the gaps.
    public var renumbered = 0
    /// The quarantined lines, byte for byte, one per line; `nil` when nothing was set aside.
    public var quarantineFile: FilePath?
    /// Where each quarantined line came from (file, byte, line, reason), one per line.
    public var quarantineIndex: FilePath?
}

/// `feedwatch archive repair --quarantine`: keeps every sound record, moves every other line to a
/// quarantine file in the state directory, and renumbers the records after a removed line so that
/// `seq` stays 1, 2, 3… (segments are renamed to their new ranges). Takes the writer lock, so it
/// never runs beside a daemon. The index snapshot is removed: the next start rebuilds it.
///
/// Order on disk: the quarantine is written and synced first, then each changed file's new text
/// goes to a hidden `.repair-N.tmp` beside it and is synced, then the old files are replaced and the
/// directory synced. Files before the first problem are not touched.
public enum ArchiveRepair {
    public static func quarantine(_ options: ArchiveOptions, logger: Logger) throws(ArchiveError) -> ArchiveRepairReport {
        try Directory.create(options.stateDirectory)
        let lock = try ArchiveLock.acquire(stateDirectory: options.stateDirectory, archive: options.archivePath)
        defer { lock.release() }
        let layout = try ArchiveLayout.discover(options.archivePath)
        let files = layout.files.filter { Directory.exists($0.path) }
        let check = try ArchiveCheck.verify(options)
        var report = ArchiveRepairReport()
        report.records = check.records
        guard let firstBad = check.problems.first.flatMap({ p in files.firstIndex { $0.path == p.file } }) else {
            return report
        }

        let stamp = Int(Date().timeIntervalSince1970)
        let quarantinePath = options.stateDirectory.appending("quarantine-\(stamp).lines")
        let indexPath = options.stateDirectory.appending("quarantine-\(stamp).txt")
        let quarantine = try ArchiveFile.open(quarantinePath, .writeOnly, options: [.create, .truncate])
        defer { quarantine.close() }
        var notes = ""

        var walk = ArchiveWalk()
        var outputs: [(ref: ArchiveFileRef, temp: FilePath, seqs: ClosedRange<Int>?)] = []
        for (k, ref) in files.enumerated() {
            let rewrite = k >= firstBad
            let temp = layout.directory.appending(".repair-\(k).tmp")
            let out: BufferedWriter? = rewrite
                ? BufferedWriter(try ArchiveFile.open(temp, .writeOnly, options: [.create, .truncate])) : nil
            var first: Int?, last: Int?
            do throws(ArchiveError) {
                try walk.scan(ref, collect: rewrite) { (line: ArchiveWalk.Line) throws(ArchiveError) in
                    guard rewrite else { return }
                    if let seq = line.seq {
                        let bytes = Renumber.line(line.bytes, seq: seq)
                        if bytes != line.bytes { report.renumbered += 1 }
                        try out?.write(bytes)
                        first = first ?? seq
                        last = seq
                    } else if let problem = line.problem {
                        try quarantine.writeAll(line.bytes + [0x0A])
                        report.quarantined.append(problem)
                        notes += problem.description + "\n"
                    }
                }
                try out?.finish()
            } catch {
                out?.close()
                Directory.remove(temp)
                throw error
            }
            out?.close()
            if rewrite {
                outputs.append((ref, temp, first.flatMap { f in last.map { f...$0 } }))
            }
        }
        try quarantine.sync()
        let index = try ArchiveFile.open(indexPath, .writeOnly, options: [.create, .truncate])
        try index.writeAll(Array(notes.utf8))
        try index.sync()
        index.close()
        try Directory.sync(options.stateDirectory)

        // Replace: old files out, new ones in under the names of their new ranges.
        for o in outputs { Directory.remove(o.ref.path) }
        for o in outputs {
            if o.ref.range == nil {
                try Directory.rename(o.temp, to: layout.livePath)
            } else if let seqs = o.seqs {
                try Directory.rename(o.temp, to: layout.directory.appending(layout.naming.name(first: seqs.lowerBound, last: seqs.upperBound)))
            } else {
                Directory.remove(o.temp)   // every line of this segment was set aside
            }
        }
        try Directory.sync(layout.directory)
        Directory.remove(options.stateDirectory.appending(IndexSnapshot.fileName))
        try Directory.sync(options.stateDirectory)
        report.quarantineFile = quarantinePath
        report.quarantineIndex = indexPath
        logger.notice("archive repaired", metadata: [
            "records": "\(report.records)", "quarantined": "\(report.quarantined.count)",
            "renumbered": "\(report.renumbered)", "quarantine": "\(quarantinePath)",
        ])
        return report
    }
}

/// Writes a record line with a new `seq`. The writer puts `seq` second (`{"schema":1,"seq":N,…`),
/// so that prefix is rewritten in place; any other key order goes through `JSONSerialization`.
enum Renumber {
    private static let prefix = Array(#"{"schema":1,"seq":"#.utf8)

    static func line(_ line: [UInt8], seq: Int) -> [UInt8] {
        if line.starts(with: prefix) {
            var end = prefix.count
            while end < line.count, line[end] >= 0x30, line[end] <= 0x39 { end += 1 }
            if Int(String(decoding: line[prefix.count..<end], as: UTF8.self)) == seq { return line }
            return prefix + Array(String(seq).utf8) + line[end...]
        }
        guard var object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] else { return line }
        if (object["seq"] as? Int) == seq { return line }
        object["seq"] = seq
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return line
        }
        return Array(data)
    }
}

/// Appends lines to a file in large writes.
final class BufferedWriter {
    private let file: ArchiveFile
    private var buffer: [UInt8] = []

    init(_ file: ArchiveFile) {
        self.file = file
        buffer.reserveCapacity(1 << 20)
    }

    func write(_ line: [UInt8]) throws(ArchiveError) {
        buffer += line
        buffer.append(0x0A)
        if buffer.count >= 1 << 20 { try flush() }
    }

    private func flush() throws(ArchiveError) {
        try file.writeAll(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and syncs.
    func finish() throws(ArchiveError) {
        try flush()
        try file.sync()
    }

    func close() { file.close() }
}
