public import FeedModel
public import Logging
public import SystemPackage

/// Where the archive and its bookkeeping live.
public struct ArchiveOptions: Sendable {
    /// The live segment, e.g. `var/archive/articles.jsonl`; older segments sit beside it.
    public var archivePath: FilePath
    /// Holds the dedup index and the lock file.
    public var stateDirectory: FilePath
    /// Start a new segment once the live one is past this size.
    public var segmentBytes: Int
    /// Save the index snapshot after this many new records (and on close). Bounds the archive text
    /// scanned at start-up after a crash.
    public var snapshotInterval: Int

    public init(archivePath: FilePath, stateDirectory: FilePath, segmentBytes: Int = 256 << 20,
                snapshotInterval: Int = 50_000) {
        self.archivePath = archivePath
        self.stateDirectory = stateDirectory
        self.segmentBytes = segmentBytes
        self.snapshotInterval = snapshotInterval
    }
}

/// An article on its way into the archive, with where and when it was ingested.
public struct IngestItem: Sendable {
    public var article: Article
    public var source: ArticleSource
    public var fetchedAt: Timestamp

    public init(article: Article, source: ArticleSource, fetchedAt: Timestamp) {
        self.article = article
        self.source = source
        self.fetchedAt = fetchedAt
    }
}

/// What happened to one `IngestItem`.
public enum AppendOutcome: Sendable, Hashable {
    case archived(seq: Int, id: String, kind: ArticleRecord.Kind)
    case duplicate(id: String)
    /// No title and no text: nothing to hash, nothing archived (SPEC §4).
    case empty
}

/// Figures for `feedwatch stats`.
public struct ArchiveStats: Sendable, Hashable {
    public var records: Int = 0
    public var lastSeq: Int = 0
    /// Rotated segments plus the live file.
    public var segments: Int = 0
    public var bytes: Int64 = 0
    public var distinctIDs: Int = 0
    public var identities: Int = 0
    /// Kept in its own file after every batch (`DuplicateCounter`) and with the index snapshot; a
    /// killed process loses none of it, a power cut at most what came after the last snapshot.
    public var duplicatesSuppressed: Int = 0

    public init() {}
}

/// The single writer of the archive: lock, torn-tail repair, dedup index, segments, fsync.
/// Not `Sendable`: one task owns it for the daemon's lifetime. Its calls block on disk I/O
/// (`fdatasync`), so the owner runs them off the cooperative pool.
public final class ArchiveStore {
    private let options: ArchiveOptions
    private let logger: Logger
    private var lock: ArchiveLock?
    private var layout: ArchiveLayout
    private var live: ArchiveFile
    private var plan: RotationPlan
    private let index: DedupIndex
    private var position: ArchivePosition
    private var rotatedBytes: Int64
    private var duplicatesSuppressed: Int
    private let duplicateCounter: DuplicateCounter
    private var unsavedRecords = 0
    private var unsavedDuplicates = 0
    /// Set when a failed write could not be rolled back: the file's state is unknown until reopen.
    private var broken: ArchiveError?

    private init(options: ArchiveOptions, logger: Logger, lock: ArchiveLock, layout: ArchiveLayout,
                 live: ArchiveFile, duplicateCounter: DuplicateCounter, loaded: ArchiveLoader.Result) {
        self.options = options
        self.logger = logger
        self.lock = lock
        self.layout = layout
        self.live = live
        self.index = loaded.index
        self.position = loaded.position
        self.rotatedBytes = loaded.rotatedBytes
        self.duplicatesSuppressed = loaded.duplicatesSuppressed
        self.duplicateCounter = duplicateCounter
        let liveRecords = loaded.index.records - (layout.liveFirstSeq - 1)
        self.plan = RotationPlan(segmentBytes: Int64(options.segmentBytes), firstSeq: layout.liveFirstSeq,
                                 records: liveRecords, bytes: loaded.liveBytes)
    }

    public static func open(_ options: ArchiveOptions, logger: Logger) throws(ArchiveError) -> ArchiveStore {
        try Directory.create(options.stateDirectory)
        try Directory.create(options.archivePath.removingLastComponent().isEmpty
                             ? FilePath(".") : options.archivePath.removingLastComponent())
        let lock = try ArchiveLock.acquire(stateDirectory: options.stateDirectory, archive: options.archivePath)
        do throws(ArchiveError) {
            let layout = try ArchiveLayout.discover(options.archivePath)
            let existed = Directory.exists(layout.livePath)
            let live = try ArchiveFile.open(layout.livePath, .readWrite, options: [.create, .append])
            do throws(ArchiveError) {
                if !existed { try Directory.sync(layout.directory) }
                let loader = ArchiveLoader(layout: layout, stateDirectory: options.stateDirectory,
                                           logger: logger, readOnly: false)
                let loaded = try loader.load(live: live)
                let counter = try DuplicateCounter.open(stateDirectory: options.stateDirectory)
                let store = ArchiveStore(options: options, logger: logger, lock: lock, layout: layout,
                                         live: live, duplicateCounter: counter, loaded: loaded)
                if loaded.rebuilt || loaded.scanned > 0 {
                    // What a killed writer left in the page cache becomes durable before a
                    // snapshot says it is covered (and before anything is appended after it).
                    try live.syncData()
                    // A full rebuild is saved at once. A catch-up scan (at most one snapshot
                    // interval) counts towards the next save instead: writing the whole index
                    // here would double the restart time after a crash.
                    if loaded.rebuilt { store.saveSnapshot() } else { store.unsavedRecords = loaded.scanned }
                }
                logger.debug("archive open", metadata: [
                    "path": "\(options.archivePath)", "records": "\(loaded.index.records)",
                    "scanned": "\(loaded.scanned)", "rebuilt": "\(loaded.rebuilt)",
                ])
                return store
            } catch {
                live.close()
                throw error
            }
        } catch {
            lock.release()
            throw error
        }
    }

    /// Archives the items that are not duplicates, in order, with one fsync for the batch;
    /// returns once they are durable, so the caller may acknowledge the inputs.
    public func append(_ items: [IngestItem]) throws(ArchiveError) -> [AppendOutcome] {
        guard lock != nil else { throw ArchiveError("archive \(options.archivePath) is closed") }
        if let broken {
            throw ArchiveError("archive \(options.archivePath) stopped after a failed write (\(broken.message)); restart feedwatch to repair it")
        }
        var outcomes: [AppendOutcome] = []
        outcomes.reserveCapacity(items.count)
        var committed = (records: index.records, plan: plan, position: position)
        var pending = 0
        do throws(ArchiveError) {
            for item in items {
                guard !item.article.isEmpty else {
                    outcomes.append(.empty)
                    continue
                }
                let id = item.article.id
                guard let digest = Digest32(idUTF8: id.utf8) else {
                    preconditionFailure("ArticleID produced a malformed id: \(id)")
                }
                if index.contains(digest) {
                    duplicatesSuppressed += 1
                    unsavedDuplicates += 1
                    outcomes.append(.duplicate(id: id))
                    continue
                }
                let identity = IdentityKey.of(sourceName: item.source.name, guid: item.article.guid, url: item.article.url)
                let previous = identity.flatMap { index.latest($0) }
                let seq = index.records + 1
                guard seq < Int(UInt32.max) else { throw ArchiveError("archive \(options.archivePath) is full (\(seq - 1) records)") }
                var line = ArticleRecord(seq: seq, kind: previous == nil ? .new : .updated, article: item.article,
                                         source: item.source, fetchedAt: item.fetchedAt,
                                         previousID: previous?.idString).jsonLine(id: id)
                let bytes = line.utf8.count
                if case .rotate(let range) = plan.decide(recordBytes: bytes) {
                    if pending > 0 {
                        try live.syncData()
                        pending = 0
                        committed = (index.records, plan, position)
                    }
                    try rotate(range)
                    committed = (index.records, plan, position)
                }
                try live.writeAll(&line)
                let start = plan.bytes
                plan.appended(seq: seq, recordBytes: bytes)
                index.append(digest, identity: identity)
                position = ArchivePosition(fileFirstSeq: plan.firstSeq, fileName: layout.liveName,
                                           offset: plan.bytes, lastLineStart: start, lastSeq: seq)
                pending += 1
                outcomes.append(.archived(seq: seq, id: id, kind: previous == nil ? .new : .updated))
            }
            if pending > 0 { try live.syncData() }
        } catch {
            rollBack(to: committed, after: error)
            throw error
        }
        unsavedRecords += outcomes.count { if case .archived = $0 { true } else { false } }
        if outcomes.contains(where: { if case .duplicate = $0 { true } else { false } }) {
            do throws(ArchiveError) {
                try duplicateCounter.store(duplicatesSuppressed)
            } catch {
                logger.warning("could not save the duplicates-suppressed count: \(error.message)")
            }
        }
        if unsavedRecords >= options.snapshotInterval || unsavedDuplicates >= options.snapshotInterval {
            saveSnapshot()
        }
        return outcomes
    }

    /// Closes the live file as a segment named by its `seq` range and starts a new one. The data is
    /// already synced; the rename and the new file are made durable by the directory fsync.
    private func rotate(_ range: ClosedRange<Int>) throws(ArchiveError) {
        let name = layout.naming.name(first: range.lowerBound, last: range.upperBound)
        let target = layout.directory.appending(name)
        guard !Directory.exists(target) else {
            broken = ArchiveError.damaged("cannot rotate \(layout.livePath): \(target) already exists")
            throw broken ?? ArchiveError("rotation failed")
        }
        do throws(ArchiveError) {
            try Directory.rename(layout.livePath, to: target)
            live.close()
            live = try ArchiveFile.open(layout.livePath, .readWrite, options: [.create, .exclusiveCreate, .append])
            try Directory.sync(layout.directory)
        } catch {
            // The archive on disk is consistent (open repairs a missing live file), but this
            // store's file handles are not: refuse further writes until a reopen.
            broken = error
            throw error
        }
        layout.segments.append(ArchiveLayout.Segment(range: range, name: name))
        rotatedBytes += plan.bytes
        plan.rotated()
        logger.info("archive segment closed", metadata: ["segment": "\(target)", "seqs": "\(range)"])
    }

    /// Undoes the unsynced part of a failed batch: the file is cut back to the last synced record
    /// and the index forgets what was after it, so the caller can retry the batch later.
    private func rollBack(to committed: (records: Int, plan: RotationPlan, position: ArchivePosition),
                          after error: ArchiveError) {
        guard broken == nil else { return }
        do throws(ArchiveError) {
            try live.truncate(to: committed.plan.bytes)
            try live.syncData()
            index.rebuildTables(records: committed.records)
            plan = committed.plan
            position = committed.position
            logger.error("archive write failed, batch rolled back", metadata: ["error": "\(error.message)"])
        } catch {
            broken = error
            logger.critical("archive write failed and could not be rolled back; restart to repair",
                            metadata: ["error": "\(error.message)"])
        }
    }

    private func saveSnapshot() {
        do {
            try IndexSnapshot.save(index, position: position, duplicatesSuppressed: duplicatesSuppressed,
                                   stateDirectory: options.stateDirectory)
            unsavedRecords = 0
            unsavedDuplicates = 0
        } catch {
            // Not fatal: the archive is the truth; the next start scans a little more.
            logger.warning("could not save the dedup index snapshot: \(error.message)")
        }
    }

    public func stats() -> ArchiveStats {
        var s = ArchiveStats()
        s.records = index.records
        s.lastSeq = index.records
        s.segments = layout.segments.count + 1
        s.bytes = rotatedBytes + plan.bytes
        s.distinctIDs = index.records
        s.identities = index.identityCount
        s.duplicatesSuppressed = duplicatesSuppressed
        return s
    }

    /// Bytes of memory the dedup index holds (for the memory budget of SPEC §5 and the benchmark).
    public var indexMemoryBytes: Int { index.allocatedBytes }

    /// Figures without taking the writer lock (`feedwatch stats` while the daemon runs).
    public static func inspect(_ options: ArchiveOptions) throws(ArchiveError) -> ArchiveStats {
        let layout = try ArchiveLayout.discover(options.archivePath)
        let live: ArchiveFile? = Directory.exists(layout.livePath)
            ? try ArchiveFile.open(layout.livePath, .readOnly) : nil
        defer { live?.close() }
        let loader = ArchiveLoader(layout: layout, stateDirectory: options.stateDirectory,
                                   logger: Logger(label: "feedwatch.archive.inspect") { _ in SwiftLogNoOpLogHandler() },
                                   readOnly: true)
        let loaded = try loader.load(live: live)
        var s = ArchiveStats()
        s.records = loaded.index.records
        s.lastSeq = loaded.index.records
        s.segments = layout.segments.count + (live == nil ? 0 : 1)
        s.bytes = loaded.rotatedBytes + loaded.liveBytes
        s.distinctIDs = loaded.index.records
        s.identities = loaded.index.identityCount
        s.duplicatesSuppressed = loaded.duplicatesSuppressed
        return s
    }

    /// Flushes the index and releases the lock.
    public func close() {
        guard let lock else { return }
        if broken == nil, unsavedRecords > 0 || unsavedDuplicates > 0 { saveSnapshot() }
        live.close()
        duplicateCounter.close()
        lock.release()
        self.lock = nil
    }

    deinit { close() }
}
