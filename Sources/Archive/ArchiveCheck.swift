public import SystemPackage

/// One archive line that is not a sound record in its place, found by `ArchiveCheck.verify`.
public struct ArchiveProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// Not one complete, valid record (cut short, overwritten, zero-filled, not JSON).
        case unreadable
        /// A valid record whose `seq` is not the next one (an edited or mixed archive).
        case wrongSeq(found: Int, expected: Int)
        /// A valid record with an `id` archived earlier.
        case repeatedID
    }

    public var file: FilePath
    public var offset: Int64
    public var line: Int
    public var kind: Kind
    /// The live file's last lines with no complete record after them: a torn tail, which the next
    /// start cuts off (and saves); not damage.
    public var isTornTail: Bool

    public var reason: String {
        switch kind {
        case .unreadable: return isTornTail ? "torn tail (an incomplete last write; cut and saved on the next start)"
                                            : "not a complete record"
        case let .wrongSeq(found, expected): return "record has seq \(found) where \(expected) was expected"
        case .repeatedID: return "record repeats an id archived earlier"
        }
    }

    public var description: String { "\(file) byte \(offset) (line \(line)): \(reason)" }
}

/// What `verify` found.
public struct ArchiveCheckReport: Sendable {
    public var files = 0
    /// Sound records, in order.
    public var records = 0
    public var problems: [ArchiveProblem] = []

    /// True when a start would be refused (a torn tail alone is repaired at start).
    public var isDamaged: Bool { problems.contains { !$0.isTornTail } }
}

/// Reads every line of every archive file, in `seq` order, without the writer lock and without
/// changing anything; the index snapshot is not used (the archive text is the truth).
public enum ArchiveCheck {
    public static func verify(_ options: ArchiveOptions) throws(ArchiveError) -> ArchiveCheckReport {
        let layout = try ArchiveLayout.discover(options.archivePath)
        var walk = ArchiveWalk()
        for file in layout.files where Directory.exists(file.path) {
            try walk.scan(file) { (_: ArchiveWalk.Line) throws(ArchiveError) in }
        }
        return walk.report
    }
}

/// The archive's files in order: rotated segments, then the live file.
struct ArchiveFileRef {
    var path: FilePath
    /// The segment's `seq` range from its name; `nil` for the live file.
    var range: ClosedRange<Int>?
}

extension ArchiveLayout {
    var files: [ArchiveFileRef] {
        segments.map { ArchiveFileRef(path: directory.appending($0.name), range: $0.range) }
            + [ArchiveFileRef(path: livePath, range: nil)]
    }
}

/// The line-by-line judgement shared by `verify` and `repair`: each line is either kept as the
/// next record (renumbered when its `seq` is off) or set aside with a problem. In the live file,
/// unreadable lines with no sound record after them are a torn tail; anywhere else they are damage.
struct ArchiveWalk {
    private(set) var report = ArchiveCheckReport()
    private let index = DedupIndex()
    /// The `seq` the next line should carry as written (a damaged line counts as one record), so
    /// that one damaged line is reported once, not again as a gap before every later record.
    private var nextOriginal = 1

    struct Line {
        /// The line without its "\n" (empty unless the caller asked for the bytes).
        var bytes: [UInt8]
        /// The `seq` the record gets, when it is kept.
        var seq: Int?
        var problem: ArchiveProblem?
    }

    /// Judges every line of `ref` in order; `body` sees each line once, in file order.
    mutating func scan(_ ref: ArchiveFileRef, collect: Bool = false,
                       _ body: (Line) throws(ArchiveError) -> Void) throws(ArchiveError) {
        let file = try ArchiveFile.open(ref.path, .readOnly)
        defer { file.close() }
        let isLive = ref.range == nil
        report.files += 1
        let problemsBefore = report.problems.count
        var lineNumber = 0
        // Live file: unreadable lines held back until we know whether a sound record follows.
        var pending: [(line: Line, problem: Int)] = []
        let end = try LineReader.forEachLine(in: file, from: 0) { (raw, start) throws(ArchiveError) -> Bool in
            lineNumber += 1
            var line = Line(bytes: collect ? Array(raw) : [], seq: nil, problem: nil)
            var kind: ArchiveProblem.Kind?
            if let r = RecordScanner.scan(raw) {
                if index.contains(r.digest) {
                    kind = .repeatedID
                } else {
                    if r.seq != nextOriginal { kind = .wrongSeq(found: r.seq, expected: nextOriginal) }
                    index.append(r.digest, identity: r.identity)
                    line.seq = index.records
                    report.records += 1
                }
                nextOriginal = r.seq + 1
            } else {
                kind = .unreadable
                nextOriginal += 1   // the damaged line held one record
            }
            if let kind {
                report.problems.append(ArchiveProblem(file: ref.path, offset: start, line: lineNumber,
                                                      kind: kind, isTornTail: false))
            }
            if line.seq != nil {
                for held in pending { try body(held.line) }
                pending.removeAll()
                if kind != nil { line.problem = report.problems.last }
                try body(line)
            } else if isLive, kind == .unreadable {
                line.problem = report.problems.last
                pending.append((line, report.problems.count - 1))
            } else {
                line.problem = report.problems.last
                try body(line)
            }
            return true
        }
        for held in pending {
            report.problems[held.problem].isTornTail = true
            var line = held.line
            line.problem = report.problems[held.problem]
            try body(line)
        }
        let size = try file.size()
        if end < size {
            let problem = ArchiveProblem(file: ref.path, offset: end, line: lineNumber + 1, kind: .unreadable,
                                         isTornTail: isLive)
            report.problems.append(problem)
            let bytes = collect ? try file.readBytes(at: end, count: Int(size - end)) : []
            try body(Line(bytes: bytes, seq: nil, problem: problem))
        }
        if let range = ref.range, index.records != range.upperBound, report.problems.count == problemsBefore {
            // Sound lines, but not the records the segment's name promises.
            report.problems.append(ArchiveProblem(file: ref.path, offset: size, line: lineNumber + 1,
                                                  kind: .wrongSeq(found: index.records, expected: range.upperBound),
                                                  isTornTail: false))
        }
    }
}
