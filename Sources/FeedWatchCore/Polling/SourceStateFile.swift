import Foundation
public import SystemPackage
import SystemSupport

/// One source's remembered state plus the URL it was configured with, so that a config edit
/// pointing a name at another URL starts that source afresh instead of echoing the old
/// server's validators to the new one.
public struct StoredSource: Sendable, Hashable, Codable {
    public var name: String
    public var configuredURL: String
    public var state: SourceState

    public init(name: String, configuredURL: String, state: SourceState) {
        self.name = name
        self.configuredURL = configuredURL
        self.state = state
    }

    enum CodingKeys: String, CodingKey {
        case name, state
        case configuredURL = "configured_url"
    }
}

/// `state_dir/sources.json` plus `state_dir/sources.journal`: every source's validators, last
/// status, error count, next poll and health (SPEC §8).
///
/// A poll's update is one line appended to the journal (one `write`, one `fdatasync`), so it costs
/// what that source's entry costs, not the whole file: with 100,000 sources, rewriting the 22 MB
/// file on every commit was ~130 MB/s of writes. The journal is folded into `sources.json` once it
/// has grown past the file's size (`save`): replaced atomically by `AtomicFile.replace` (temp file,
/// fsync, rename, directory fsync), then the journal emptied. A crash leaves the old or the new file, and a
/// journal whose lines are already in it or newer (replayed in order, the last entry of a name
/// wins); a torn last journal line is skipped. Both are written only after the archive fsync of
/// the articles they acknowledge, so a validator is never saved for an article that is not durable.
public struct SourceStateFile: Sendable {
    public let path: FilePath
    public let journalPath: FilePath

    public init(stateDirectory: FilePath) {
        path = stateDirectory.appending("sources.json")
        journalPath = stateDirectory.appending("sources.journal")
    }

    private struct Document: Codable {
        var schema: Int
        var sources: [StoredSource]
    }

    /// What was saved; empty when there is no file yet. A damaged file is reported, not
    /// trusted: the caller starts the sources afresh (a full fetch each, deduplicated).
    public func load() throws(SourceStateError) -> [String: StoredSource] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path.string))
        } catch let error as CocoaError where error.code == .fileReadNoSuchFile {
            return [:]
        } catch {
            throw SourceStateError("cannot read \(path): \(ConfigLoader.reason(error))")
        }
        var sources: [String: StoredSource]
        do {
            let document = try Self.decoder.decode(Document.self, from: data)
            sources = Dictionary(document.sources.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        } catch {
            throw SourceStateError("\(path) is damaged (\(error)); sources start afresh")
        }
        if let journal = FileManager.default.contents(atPath: journalPath.string) {
            let decoder = Self.decoder
            for line in journal.split(separator: 0x0A) {
                // A torn last line (a crash mid-append) decodes to nothing and is skipped.
                if let entry = try? decoder.decode(StoredSource.self, from: Data(line)) { sources[entry.name] = entry }
            }
        }
        return sources
    }

    /// Appends entries made by `encode` to the journal, durably; returns the journal's size.
    @discardableResult
    public func append(encoded entries: [[UInt8]]) throws(SourceStateError) -> Int {
        guard !entries.isEmpty else { return 0 }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entries.reduce(0) { $0 + $1.count + 1 })
        for entry in entries {
            bytes += entry
            bytes.append(0x0A)
        }
        do {
            let fd = try FileDescriptor.open(journalPath, .writeOnly, options: [.create, .append],
                                             permissions: [.ownerReadWrite, .groupRead])
            return try fd.closeAfter {
                _ = try fd.writeAll(bytes)
                try retryingSyscall { fdatasync(fd.rawValue) }
                return Int(try fd.seek(offset: 0, from: .end))
            }
        } catch {
            throw SourceStateError("cannot append to \(journalPath): \(error)")
        }
    }

    /// One source's entry as saved, so a caller can keep unchanged ones between saves: with
    /// thousands of sources, re-encoding all of them on every commit would dominate a cycle.
    public static func encode(_ source: StoredSource) throws(SourceStateError) -> [UInt8] {
        do {
            return Array(try encoder.encode(source))
        } catch {
            throw SourceStateError("cannot encode the state of source \(source.name): \(error)")
        }
    }

    public func save(_ sources: [StoredSource]) throws(SourceStateError) {
        var encoded: [[UInt8]] = []
        for source in sources { encoded.append(try Self.encode(source)) }
        try save(encoded: encoded)
    }

    /// Saves entries made by `encode`, in order.
    public func save(encoded sources: [[UInt8]]) throws(SourceStateError) {
        var bytes = Array(#"{"schema":1,"sources":["#.utf8)
        bytes.reserveCapacity(sources.reduce(64) { $0 + $1.count + 1 })
        for (i, source) in sources.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes += source
        }
        bytes += Array("]}\n".utf8)
        do {
            try AtomicFile.replace(path) { fd in _ = try fd.writeAll(bytes) }
            // Everything the journal held is in the new file now.
            if FileManager.default.fileExists(atPath: journalPath.string) {
                let journal = try FileDescriptor.open(journalPath, .writeOnly)
                try journal.closeAfter {
                    try journal.resize(to: 0)
                    _ = try retryingSyscall { fsync(journal.rawValue) }
                }
            }
        } catch {
            throw SourceStateError("cannot save \(path): \(error)")
        }
    }

    private static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .secondsSince1970
        e.outputFormatting = [.sortedKeys]
        return e
    }

    private static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .secondsSince1970
        return d
    }
}

/// The state file could not be read or written; the message names the file and the reason.
public struct SourceStateError: Error, Sendable, CustomStringConvertible {
    public var message: String

    init(_ message: String) { self.message = message }

    public var description: String { message }
}
