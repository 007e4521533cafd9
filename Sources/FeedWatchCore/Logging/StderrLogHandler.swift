import Foundation
public import Logging

/// One line per event on stderr: `LEVEL message key=value …`. Under systemd (`$JOURNAL_STREAM`
/// set) each line starts with the syslog priority `<N>` so journald files it at the right
/// level, and the timestamp is left to the journal; elsewhere an RFC 3339 time leads.
public struct StderrLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public let label: String
    public let journal: Bool

    public init(label: String, journal: Bool) {
        self.label = label
        self.journal = journal
    }

    /// A logger writing through this handler; `journal` from the environment systemd sets.
    public static func logger(level: Logger.Level, environment: [String: String]) -> Logger {
        let journal = environment["JOURNAL_STREAM"] != nil
        var logger = Logger(label: "feedwatch") { StderrLogHandler(label: $0, journal: journal) }
        logger.logLevel = level
        return logger
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let line = format(level: event.level, message: event.message, metadata: event.metadata, now: Date())
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// The whole line, newline included (one `write`, so lines from threads never interleave).
    func format(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, now: Date) -> String {
        var merged = metadata
        if let extra { merged.merge(extra) { _, new in new } }
        var line = journal ? "<\(Self.syslogPriority(level))>" : "\(Self.timestamp(now)) "
        line += "\(level.rawValue.uppercased()) \(Self.singleLine(message.description))"
        for key in merged.keys.sorted() {
            guard let value = merged[key] else { continue }
            line += " \(key)=\(Self.quoted(Self.singleLine("\(value)")))"
        }
        return line + "\n"
    }

    /// RFC 5424 severities, the numbers journald reads from `<N>`.
    public static func syslogPriority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    /// One line, and no terminal control: line breaks become " | "; other control characters
    /// (C0 such as ESC, DEL, C1), which a file name or a server can carry into a message, are
    /// written as `\xHH` so that they can neither forge a log line nor drive the terminal.
    static func singleLine(_ text: String) -> String {
        let joined = text.contains(where: \.isNewline) ? text.split(whereSeparator: \.isNewline).joined(separator: " | ") : text
        guard joined.unicodeScalars.contains(where: isControl) else { return joined }
        var out = String.UnicodeScalarView()
        for scalar in joined.unicodeScalars {
            if isControl(scalar) {
                out.append(contentsOf: String(format: "\\x%02X", scalar.value).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    private static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (0x7F...0x9F).contains(s.value)
    }

    static func quoted(_ value: String) -> String {
        guard value.isEmpty || value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func timestamp(_ date: Date) -> String {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let base = FeedModelTime.rfc3339(seconds: ms / 1000)
        return String(base.dropLast()) + String(format: ".%03dZ", Int(ms % 1000))
    }
}
