import Archive
public import FeedModel
import Foundation
import Glibc
import ParserSupport
import SystemPackage

/// `feedwatch tail`: the archive's records in `seq` order from a cursor, across the rotated
/// segments and the live file, optionally following the live file as the daemon appends and
/// rotates it. Reads without any lock: the archive is append-only, a rotation is a rename, and a
/// line is printed only once it is complete.
public enum ArchiveTail {
    public enum Format: String, Sendable, CaseIterable {
        case json, text
    }

    public struct Options: Sendable {
        /// Print records with `seq` greater than this.
        public var after: Int
        /// Only records ingested (`fetched_at`) at or after this time.
        public var since: Timestamp?
        /// Only records whose `source.name` is this.
        public var source: String?
        public var format: Format
        public var follow: Bool
        /// How often a followed file is checked for growth and rotation.
        public var pollInterval: Duration

        public init(after: Int = 0, since: Timestamp? = nil, source: String? = nil, format: Format = .json,
                    follow: Bool = false, pollInterval: Duration = .milliseconds(200)) {
            self.after = after
            self.since = since
            self.source = source
            self.format = format
            self.follow = follow
            self.pollInterval = pollInterval
        }
    }

    /// `--since`: an RFC 3339 / ISO 8601 time or date, or a duration back from now (`2h`, `1d`).
    public static func parseSince(_ text: String, now: Timestamp) -> Timestamp? {
        if let ago = ConfigDuration.parse(text) {
            return Timestamp(secondsSince1970: now.secondsSince1970 - ago.components.seconds)
        }
        return DateParser.parse(text)
    }

    /// The exit status: 78 for a config error, 1 when there is no archive to read (and not
    /// following) or a file cannot be read.
    public static func run(configPath: String?, environment: [String: String], options: Options) -> Int32 {
        guard let config = ConfigSource(explicitPath: configPath, environment: environment).loadOrReport() else {
            return ExitStatus.config
        }
        do {
            try follow(archive: config.archive.path, options: options) { record in
                print(options.format == .json ? String(record.line) : TailText.render(record))
            }
            return ExitStatus.ok
        } catch {
            StandardError.writeLine("feedwatch tail: \(error)")
            return ExitStatus.failure
        }
    }

    public struct TailError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Calls `emit` with each matching record's line (without its `\n`) in `seq` order; returns
    /// at the end of the archive unless `options.follow`, in which case it returns only on error.
    static func follow(archive livePath: FilePath, options: Options, emit: (Record) -> Void) throws(TailError) {
        var reader = Reader(livePath: livePath, options: options)
        guard options.follow || reader.archiveExists() else {
            throw TailError(description: "no archive at \(livePath)")
        }
        while true {
            try reader.catchUp(emit: emit)
            guard options.follow else { return }
            try reader.watchLive(emit: emit)
        }
    }

    /// One archive line with what the filters and the text format need.
    struct Record {
        let line: Substring
        let seq: Int
        let object: [String: Any]?
    }

    /// Reads segments and the live file; remembers the last `seq` handed out, so a record read
    /// twice (a rotation between listing and reading) is never printed twice.
    struct Reader {
        let livePath: FilePath
        let directory: FilePath
        let naming: SegmentNaming
        let options: Options
        var last: Int
        var live: LiveFile?

        init(livePath: FilePath, options: Options) {
            self.livePath = livePath
            self.directory = livePath.removingLastComponent()
            self.naming = SegmentNaming(liveName: livePath.lastComponent?.string ?? "articles.jsonl")
            self.options = options
            self.last = options.after
        }

        func archiveExists() -> Bool {
            FileManager.default.fileExists(atPath: livePath.string) || !segments().isEmpty
        }

        func segments() -> [(range: ClosedRange<Int>, path: FilePath)] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.string)) ?? []
            return names.compactMap { name in naming.range(of: name).map { ($0, directory.appending(name)) } }
                .sorted { $0.range.lowerBound < $1.range.lowerBound }
        }

        /// Opens the live file first, then reads every segment past the cursor, then the live file
        /// to its end: a rotation at any point leaves nothing unread.
        mutating func catchUp(emit: (Record) -> Void) throws(TailError) {
            live?.close()
            live = try LiveFile.open(livePath)
            for segment in segments() where segment.range.upperBound > last {
                guard var file = try LiveFile.open(segment.path) else { continue }
                defer { file.close() }
                try drain(&file, emit: emit)
            }
            if var file = live {
                try drain(&file, emit: emit)
                live = file
            }
            fflush(nil)
        }

        /// Waits for the live file to grow (printing what it gains) until it is replaced by a
        /// rotation, and returns after reading the old file to its end.
        mutating func watchLive(emit: (Record) -> Void) throws(TailError) {
            while true {
                Self.sleep(options.pollInterval)
                guard var file = live else { return }
                try drain(&file, emit: emit)
                live = file
                fflush(nil)
                if file.identity != LiveFile.identity(of: livePath) {
                    try drain(&file, emit: emit)
                    live = file
                    return
                }
            }
        }

        private mutating func drain(_ file: inout LiveFile, emit: (Record) -> Void) throws(TailError) {
            try file.readLines { line in
                guard let seq = Self.seq(of: line), seq > last else { return }
                last = seq
                let needsObject = options.since != nil || options.source != nil || options.format == .text
                let object = needsObject ? Self.object(of: line) : nil
                if let since = options.since {
                    guard let at = (object?["fetched_at"] as? String).flatMap(DateParser.parse), at >= since else { return }
                }
                if let name = options.source {
                    guard (object?["source"] as? [String: Any])?["name"] as? String == name else { return }
                }
                emit(Record(line: line, seq: seq, object: object))
            }
        }

        /// `seq` from the line's head (`{"schema":1,"seq":N,…`), without decoding the rest.
        static func seq(of line: Substring) -> Int? {
            guard let key = line.utf8.firstRange(of: #""seq":"#.utf8) else { return nil }
            var n = 0
            var digits = 0
            for byte in line.utf8[key.upperBound...] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { break }
                n = n * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
                if digits > 18 { return nil }
            }
            return digits > 0 ? n : nil
        }

        static func object(of line: Substring) -> [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }

        static func sleep(_ duration: Duration) {
            let (seconds, attoseconds) = duration.components
            var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
            var remaining = timespec()
            while nanosleep(&request, &remaining) == -1 && errno == EINTR { request = remaining }
        }
    }

    /// An open archive file and the bytes of a line not yet complete.
    struct LiveFile {
        let fd: FileDescriptor
        let path: FilePath
        let identity: FileIdentity?
        var pending: [UInt8] = []

        struct FileIdentity: Equatable {
            let device: UInt
            let inode: UInt
        }

        /// `nil` when the file does not exist (a live file between rotation's rename and create).
        static func open(_ path: FilePath) throws(TailError) -> LiveFile? {
            do {
                let fd = try FileDescriptor.open(path, .readOnly, options: [.closeOnExec])
                var st = stat()
                let identity = fstat(fd.rawValue, &st) == 0 ? FileIdentity(device: UInt(st.st_dev), inode: UInt(st.st_ino)) : nil
                return LiveFile(fd: fd, path: path, identity: identity)
            } catch let error as Errno where error == .noSuchFileOrDirectory {
                return nil
            } catch {
                throw TailError(description: "cannot read \(path): \(error)")
            }
        }

        static func identity(of path: FilePath) -> FileIdentity? {
            var st = stat()
            guard stat(path.string, &st) == 0 else { return nil }
            return FileIdentity(device: UInt(st.st_dev), inode: UInt(st.st_ino))
        }

        /// Reads to the current end of the file; each complete line goes to `body`, a partial
        /// last line waits for its `\n`.
        mutating func readLines(_ body: (Substring) -> Void) throws(TailError) {
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count: Int
                do {
                    count = try buffer.withUnsafeMutableBytes { try fd.read(into: $0) }
                } catch {
                    throw TailError(description: "cannot read \(path): \(error)")
                }
                guard count > 0 else { return }
                pending.append(contentsOf: buffer[..<count])
                guard let lastNewline = pending.lastIndex(of: UInt8(ascii: "\n")) else { continue }
                let text = String(decoding: pending[...lastNewline], as: UTF8.self)
                pending.removeSubrange(...lastNewline)
                for line in text.split(separator: "\n") { body(line) }
            }
        }

        func close() { try? fd.close() }
    }
}
