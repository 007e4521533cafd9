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

/// `state_dir/sources.json`: every source's validators, last status, error count, next poll
/// and health (SPEC §8), one file for all sources so one commit costs one fsync.
///
/// Replaced atomically (temp file, fsync, rename, directory fsync): a crash leaves either the
/// old or the new file, never a torn one. Written only after the archive fsync of the
/// articles it acknowledges, so a validator is never saved for an article that is not durable.
public struct SourceStateFile: Sendable {
    public let path: FilePath

    public init(stateDirectory: FilePath) {
        path = stateDirectory.appending("sources.json")
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
        do {
            let document = try Self.decoder.decode(Document.self, from: data)
            return Dictionary(document.sources.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        } catch {
            throw SourceStateError("\(path) is damaged (\(error)); sources start afresh")
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
        let directory = path.removingLastComponent()
        let temp = directory.appending(".sources.json.tmp")
        do {
            let fd = try FileDescriptor.open(temp, .writeOnly, options: [.create, .truncate],
                                             permissions: [.ownerReadWrite, .groupRead])
            try fd.closeAfter {
                _ = try fd.writeAll(bytes)
                try retryingSyscall { fsync(fd.rawValue) }
            }
            try retryingSyscall { rename(temp.string, path.string) }
            let dir = try FileDescriptor.open(directory, .readOnly, options: [.directory])
            try dir.closeAfter { _ = try retryingSyscall { fsync(dir.rawValue) } }
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
