import Foundation
public import SystemPackage
import TOMLKit

/// Every problem found in one config, each on its own line.
public struct ConfigFailure: Error, Sendable, CustomStringConvertible {
    public var errors: [ConfigError]

    public init(_ errors: [ConfigError]) {
        self.errors = errors
    }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Finds, reads and validates the config file (SPEC §2, §10).
public enum ConfigLoader {
    public static let environmentVariable = "FEEDWATCH_CONFIG"
    public static let conventionalPath = "config/feedwatch.toml"

    /// `--config`, else `$FEEDWATCH_CONFIG`, else `./config/feedwatch.toml` when it exists,
    /// else `nil` (built-in defaults). An explicit path is returned even when missing, so
    /// that a typo is reported instead of silently running on defaults.
    public static func locate(explicit: String?, environment: [String: String],
                              fileExists: (String) -> Bool) -> String? {
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnv = environment[environmentVariable], !fromEnv.isEmpty { return fromEnv }
        return fileExists(conventionalPath) ? conventionalPath : nil
    }

    /// Relative paths in the config resolve against `$STATE_DIRECTORY` (the first one, when
    /// systemd lists several) under systemd, else against the working directory.
    public static func baseDirectory(environment: [String: String], workingDirectory: FilePath) -> FilePath {
        if let state = environment["STATE_DIRECTORY"]?.split(separator: ":").first, !state.isEmpty {
            return workingDirectory.pushing(FilePath(String(state)))
        }
        return workingDirectory
    }

    /// The whole resolution for `run`, `once` and `stats`.
    public static func load(explicit: String?, environment: [String: String]) throws(ConfigFailure) -> Configuration {
        let cwd = FilePath(FileManager.default.currentDirectoryPath)
        let base = baseDirectory(environment: environment, workingDirectory: cwd)
        guard let file = locate(explicit: explicit, environment: environment,
                                fileExists: { FileManager.default.fileExists(atPath: $0) })
        else { return .defaults(base: base) }
        return try load(file: file, base: base)
    }

    public static func load(file: String, base: FilePath) throws(ConfigFailure) -> Configuration {
        let text: String
        switch ConfigFileBytes.read(file).flatMap(ConfigFileBytes.text) {
        case .success(let t): text = t
        case .failure(let f): throw ConfigFailure([ConfigError(file: file, line: f.line, key: nil, message: f.reason)])
        }
        return try parse(text: text, file: file, base: base)
    }

    public static func parse(text: String, file: String, base: FilePath) throws(ConfigFailure) -> Configuration {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigFailure([ConfigError(file: file, line: error.source.begin.line, key: nil,
                                             message: "not valid TOML: \(error.description)")])
        } catch {
            throw ConfigFailure([ConfigError(file: file, line: nil, key: nil, message: "not valid TOML: \(error)")])
        }
        var reader = ConfigReader(file: file, locator: TOMLKeyLocator(text: text), base: base)
        var config = reader.read(root)
        if let opml = config.opml, reader.errors.isEmpty {
            let known = Set(config.sources.map(\.name))
            switch OPMLReader.sources(at: opml, displayName: opml.string, existingNames: known) {
            case let .success(more): config.sources += more
            case let .failure(failure): reader.errors += failure.errors
            }
        }
        config.origin = file
        guard reader.errors.isEmpty else {
            throw ConfigFailure(reader.errors.enumerated().sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }.map(\.element))
        }
        return config
    }

    static func reason(_ error: any Error) -> String {
        if let posix = error as? CocoaError, let underlying = posix.userInfo[NSUnderlyingErrorKey] as? NSError {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if let cocoa = error as? CocoaError {
            switch cocoa.code {
            case .fileReadNoSuchFile: return "no such file"
            case .fileReadNoPermission: return "permission denied"
            case .fileReadInapplicableStringEncoding: return "not UTF-8 text"
            default: break
            }
        }
        return "\(error)"
    }
}
