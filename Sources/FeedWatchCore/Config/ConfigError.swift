/// One config problem, printed as `FILE:LINE: KEY: what is wrong` (SPEC §2).
///
/// A struct over plain fields rather than an enum of cases: callers only ever print it
/// or compare the parts in tests, and new kinds of problems must not break them.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file as the user named it (relative stays relative, so the message matches their command).
    public var file: String
    /// 1-based; `nil` only when the file itself could not be read.
    public var line: Int?
    /// The key as written in the file (`interval`, `archive.path`), or `nil` for syntax errors.
    public var key: String?
    public var message: String

    public init(file: String, line: Int?, key: String?, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        var out = file
        if let line { out += ":\(line)" }
        if let key { out += ": \(key)" }
        return out + ": " + message
    }
}
