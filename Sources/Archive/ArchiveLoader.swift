import Foundation
import Logging
import SystemPackage

/// The archive's files on disk: rotated segments (from their names) and the live file.
struct ArchiveLayout {
    struct Segment: Hashable {
        var range: ClosedRange<Int>
        var name: String
    }

    let directory: FilePath
    let liveName: String
    let naming: SegmentNaming
    /// Rotated segments in `seq` order, checked to be contiguous from seq 1.
    var segments: [Segment]

    var livePath: FilePath { directory.appending(liveName) }
    /// `seq` the live file's first record has (or will have).
    var liveFirstSeq: Int { (segments.last?.range.upperBound ?? 0) + 1 }

    static func discover(_ archivePath: FilePath) throws(ArchiveError) -> ArchiveLayout {
        guard let live = archivePath.lastComponent?.string, !live.isEmpty else {
            throw ArchiveError("archive path \(archivePath) does not name a file")
        }
        let directory = archivePath.removingLastComponent()
        let dir = directory.isEmpty ? FilePath(".") : directory
        let naming = SegmentNaming(liveName: live)
        var segments: [Segment] = []
        if Directory.exists(dir) {
            for name in try Directory.entries(dir) {
                if let range = naming.range(of: name) { segments.append(Segment(range: range, name: name)) }
            }
        }
        segments.sort { $0.range.lowerBound < $1.range.lowerBound }
        var next = 1
        for s in segments {
            guard s.range.lowerBound == next else {
                throw ArchiveError.damaged("archive segment \(dir.appending(s.name)) starts at seq \(s.range.lowerBound), "
                    + "but seq \(next) was expected: a segment is missing or was renamed; restore it")
            }
            next = s.range.upperBound + 1
        }
        return ArchiveLayout(directory: dir, liveName: live, naming: naming, segments: segments)
    }
}

/// Brings the index up to date with the archive at open: the snapshot when it is sound, then only
/// the archive text after the position it covers; a full rebuild otherwise. The archive is the
/// truth, the snapshot a cache. In write mode the live file's torn tail is cut off.
struct ArchiveLoader {
    let layout: ArchiveLayout
    let stateDirectory: FilePath
    let logger: Logger
    /// `inspect`: never writes (no repair, no snapshot).
    let readOnly: Bool

    struct Result {
        var index: DedupIndex
        var position: ArchivePosition
        var duplicatesSuppressed: Int
        var rotatedBytes: Int64
        var liveBytes: Int64
        /// Records scanned from the archive text (0 when the snapshot covered everything).
        var scanned: Int
        var rebuilt: Bool
    }

    func load(live: ArchiveFile?) throws(ArchiveError) -> Result {
        var rotatedBytes: Int64 = 0
        var sizes: [Int64] = []
        for s in layout.segments {
            let f = try ArchiveFile.open(layout.directory.appending(s.name), .readOnly)
            defer { f.close() }
            sizes.append(try f.size())
        }
        rotatedBytes = sizes.reduce(0, +)

        var state: ScanState
        var rebuilt = false
        var startFile = 0   // index into segments (segments.count = live)
        var startOffset: Int64 = 0
        switch IndexSnapshot.load(stateDirectory: stateDirectory) {
        case .success(let loaded):
            if let (file, offset) = try locate(loaded, live: live, sizes: sizes) {
                state = ScanState(index: loaded.index, position: loaded.position, duplicates: loaded.duplicatesSuppressed)
                (startFile, startOffset) = (file, offset)
            } else {
                logger.warning("index snapshot does not match the archive (it covers seq \(loaded.position.lastSeq) up to byte \(loaded.position.offset) of \(loaded.position.fileName)); rebuilding the index from the archive")
                state = ScanState(index: DedupIndex(), position: .start, duplicates: loaded.duplicatesSuppressed)
                rebuilt = true
            }
        case .failure(let why):
            if layout.segments.isEmpty, (try live?.size() ?? 0) == 0 {
                state = ScanState(index: DedupIndex(), position: .start, duplicates: 0)
            } else {
                logger.warning("\(why.message); rebuilding the index from the archive")
                state = ScanState(index: DedupIndex(), position: .start, duplicates: 0)
                rebuilt = true
            }
        }

        let before = state.index.records
        for k in startFile..<layout.segments.count {
            let s = layout.segments[k]
            let path = layout.directory.appending(s.name)
            let f = try ArchiveFile.open(path, .readOnly)
            defer { f.close() }
            let from = k == startFile ? startOffset : 0
            let end = try scan(f, name: s.name, firstSeq: s.range.lowerBound, from: from, state: &state, isLive: false)
            guard end == sizes[k], state.index.records == s.range.upperBound else {
                throw ArchiveError.damaged("archive segment \(path) is damaged at byte \(end) (line \(state.index.records - s.range.lowerBound + 2)): expected records up to seq \(s.range.upperBound), found up to \(state.index.records); nothing was changed. Restore it from a backup, or run `feedwatch archive repair --quarantine`")
            }
        }
        var liveBytes: Int64 = 0
        if let live {
            let from = startFile == layout.segments.count ? startOffset : 0
            let end = try scan(live, name: layout.liveName, firstSeq: layout.liveFirstSeq, from: from, state: &state, isLive: true)
            liveBytes = try live.size()
            if end < liveBytes {
                if !readOnly { try cutTornTail(live, at: end, size: liveBytes) }
                liveBytes = end
            }
        }
        let duplicates = max(state.duplicates, DuplicateCounter.read(stateDirectory: stateDirectory) ?? 0)
        return Result(index: state.index, position: state.position, duplicatesSuppressed: duplicates,
                      rotatedBytes: rotatedBytes, liveBytes: liveBytes,
                      scanned: state.index.records - before, rebuilt: rebuilt)
    }

    private struct ScanState {
        var index: DedupIndex
        var position: ArchivePosition
        var duplicates: Int
    }

    /// Where to resume scanning (file number, offset), or `nil` when the snapshot claims more than
    /// the archive holds or its last covered record is not where it says.
    private func locate(_ loaded: IndexSnapshot.Loaded, live: ArchiveFile?, sizes: [Int64]) throws(ArchiveError) -> (Int, Int64)? {
        let p = loaded.position
        if p.fileFirstSeq == 0 { return p.lastSeq == 0 ? (0, 0) : nil }
        let k: Int
        let file: ArchiveFile
        var owned = false
        if let i = layout.segments.firstIndex(where: { $0.range.lowerBound == p.fileFirstSeq }) {
            guard layout.segments[i].range.contains(p.lastSeq), p.offset <= sizes[i] else { return nil }
            file = try ArchiveFile.open(layout.directory.appending(layout.segments[i].name), .readOnly)
            owned = true
            k = i
        } else if p.fileFirstSeq == layout.liveFirstSeq, let live {
            file = live
            k = layout.segments.count
        } else {
            return nil
        }
        defer { if owned { file.close() } }
        guard p.offset <= (try file.size()), p.offset > p.lastLineStart else { return nil }
        let bytes = try file.readBytes(at: p.lastLineStart, count: Int(p.offset - p.lastLineStart))
        guard bytes.last == 0x0A,
              let record = bytes.withUnsafeBytes({ RecordScanner.scan(UnsafeRawBufferPointer(rebasing: $0.dropLast())) }),
              record.seq == p.lastSeq, p.lastSeq == loaded.index.records,
              loaded.index.digests[p.lastSeq - 1] == record.digest else { return nil }
        // The record just before must not be torn either: a snapshot is only taken after an fsync.
        return (k, p.offset)
    }

    /// Indexes the valid lines of `file` from `offset`; returns where the valid text ends.
    ///
    /// A line that is not a complete record ends the scan only when it is part of a torn tail:
    /// in the live file, with no complete record after it (a write cut short, or the zero-filled
    /// pages a power cut leaves). Damage with valid records after it is not a tail: cutting there
    /// would throw acknowledged records away and reuse their `seq`, so the open is refused with
    /// the place, and nothing is changed (`feedwatch archive repair --quarantine` is the way out).
    private func scan(_ file: ArchiveFile, name: String, firstSeq: Int, from offset: Int64,
                      state: inout ScanState, isLive: Bool) throws(ArchiveError) -> Int64 {
        var firstBad: (start: Int64, line: Int)?
        let end = try LineReader.forEachLine(in: file, from: offset) { (line, start) throws(ArchiveError) -> Bool in
            guard let r = RecordScanner.scan(line) else {
                let lineNumber = state.index.records - firstSeq + 2
                guard isLive else { throw Self.damagedLine(file.path, start: start, line: lineNumber) }
                if firstBad == nil { firstBad = (start, lineNumber) }
                return true
            }
            if let bad = firstBad { throw Self.damagedLine(file.path, start: bad.start, line: bad.line) }
            let expected = state.index.records + 1
            guard r.seq == expected else {
                throw ArchiveError.damaged("\(file.path) byte \(start): record has seq \(r.seq) where \(expected) was expected; the archive was edited or mixed with another one — restore it or move the file aside")
            }
            guard !state.index.contains(r.digest) else {
                throw ArchiveError.damaged("\(file.path) byte \(start): seq \(r.seq) repeats an id archived earlier; the archive was edited — restore it or move the file aside")
            }
            guard expected < Int(UInt32.max) else { throw ArchiveError("archive \(file.path) holds more records than the index supports (\(UInt32.max))") }
            state.index.append(r.digest, identity: r.identity)
            state.position = ArchivePosition(fileFirstSeq: firstSeq, fileName: name,
                                             offset: start + Int64(line.count) + 1, lastLineStart: start, lastSeq: r.seq)
            return true
        }
        return firstBad?.start ?? end
    }

    static func damagedLine(_ path: FilePath, start: Int64, line: Int) -> ArchiveError {
        .damaged("archive segment \(path) is damaged at byte \(start) (line \(line)): not a complete record, and valid records follow it; nothing was changed. `feedwatch archive verify` lists the damage, `feedwatch archive repair --quarantine` moves damaged lines aside")
    }

    /// Moves the unacknowledged tail (a partial line, or lines after a damaged one) to a file in the
    /// state directory, then truncates the live file: nothing is thrown away, nothing torn stays.
    private func cutTornTail(_ live: ArchiveFile, at end: Int64, size: Int64) throws(ArchiveError) {
        let cut = size - end
        let keep = stateDirectory.appending("torn-tail-\(layout.liveName)-\(end)-\(Int(Date().timeIntervalSince1970)).bin")
        let copy = try ArchiveFile.open(keep, .writeOnly, options: [.create, .truncate])
        defer { copy.close() }
        var offset = end
        while offset < size {
            let chunk = try live.readBytes(at: offset, count: Int(min(Int64(LineReader.blockBytes), size - offset)))
            if chunk.isEmpty { break }
            try copy.writeAll(chunk)
            offset += Int64(chunk.count)
        }
        try copy.sync()
        try live.truncate(to: end)
        try live.sync()
        logger.warning("repaired torn tail of archive \(live.path): cut \(cut) bytes after byte \(end) (an unacknowledged, incomplete write; saved to \(keep))")
    }
}
