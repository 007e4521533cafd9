import FeedParser
import Foundation
import Logging
import SystemPackage
import TOMLKit

/// Walks a parsed TOML document into a `Configuration`, collecting every problem with its line.
///
/// Each table is read through `TableScope`, which remembers which keys were asked for, so
/// that whatever is left over is reported as unknown (SPEC §10: unknown keys are errors).
struct ConfigReader {
    let file: String
    let locator: TOMLKeyLocator
    let base: FilePath
    var errors: [ConfigError] = []

    init(file: String, locator: TOMLKeyLocator, base: FilePath) {
        self.file = file
        self.locator = locator
        self.base = base
    }

    mutating func read(_ root: TOMLTable) -> Configuration {
        var config = Configuration.defaults(base: base)
        var top = TableScope(table: root, path: "")
        if let dir = string(&top, "state_dir") { config.stateDirectory = resolve(dir) }
        if let level = string(&top, "log_level") {
            if let parsed = Self.levels[level] {
                config.logLevel = parsed
            } else {
                fail(top, "log_level", "\"\(level)\" is not one of trace, debug, info, notice, warning, error")
            }
        }
        if let opml = string(&top, "opml") { config.opml = resolve(opml) }
        if var archive = subtable(&top, "archive") {
            if let path = string(&archive, "archive.path") { config.archive.path = resolve(path) }
            if let n = integer(&archive, "archive.segment_bytes", min: 4096) { config.archive.segmentBytes = n }
            reportUnknown(archive)
        }
        if var inbox = subtable(&top, "inbox") {
            if let p = string(&inbox, "inbox.path") { config.inbox.path = resolve(p) }
            if let p = string(&inbox, "inbox.processed") { config.inbox.processed = resolve(p) }
            if let p = string(&inbox, "inbox.failed") { config.inbox.failed = resolve(p) }
            if let n = integer(&inbox, "inbox.max_bytes", min: 1, max: ParserLimits.default.maxBytes) { config.inbox.maxBytes = n }
            reportUnknown(inbox)
        }
        checkInboxFolders(config.inbox, root: root)
        if var http = subtable(&top, "http") {
            if let ua = string(&http, "http.user_agent") {
                if ua.isEmpty || ua.contains(where: { $0.isNewline }) {
                    fail(http, "http.user_agent", "must be one non-empty line")
                } else {
                    config.http.userAgent = ua
                }
            }
            if let d = duration(&http, "http.connect_timeout", min: .seconds(1)) { config.http.connectTimeout = d }
            if let d = duration(&http, "http.timeout", min: .seconds(1)) { config.http.timeout = d }
            if let n = integer(&http, "http.max_bytes", min: 1) { config.http.maxBytes = n }
            if let n = integer(&http, "http.concurrency", min: 1, max: 1024) { config.http.concurrency = n }
            if let n = integer(&http, "http.per_host", min: 1, max: 1024) { config.http.perHost = n }
            if http.table["opml"] != nil {
                http.consume("opml")
                fail(http, "opml", "opml belongs at the top level, before the first [table]", shown: "http.opml")
            }
            reportUnknown(http)
        }
        if var metrics = subtable(&top, "metrics") {
            if let path = string(&metrics, "metrics.textfile") {
                if path.hasSuffix(".prom") {
                    config.metrics.textfile = resolve(path)
                } else {
                    fail(metrics, "textfile", "\"\(path)\" must end in .prom (node_exporter reads only *.prom files)", shown: "metrics.textfile")
                }
            }
            if let d = duration(&metrics, "metrics.textfile_interval", min: .seconds(1)) { config.metrics.textfileInterval = d }
            if let text = string(&metrics, "metrics.listen") {
                switch MetricsListenAddress.parse(text) {
                case .success(let address): config.metrics.listen = address
                case .failure(let problem): fail(metrics, "listen", problem.message, shown: "metrics.listen")
                }
            }
            reportUnknown(metrics)
        }
        if var cluster = subtable(&top, "cluster") {
            config.cluster = readCluster(&cluster)
            reportUnknown(cluster)
        }
        if root.contains(key: "source") {
            top.consume("source")
            if let array = root["source"]?.array {
                config.sources = sources(array)
            } else {
                fail(top, "source", "must be written as [[source]] tables")
            }
        }
        reportUnknown(top)
        return config
    }

    private mutating func sources(_ array: TOMLArray) -> [SourceConfig] {
        var result: [SourceConfig] = []
        var seen: [String: Int] = [:]
        for index in array.indices {
            let path = "source.\(index)"
            guard let table = array[index].table else {
                fail(path, "source", "must be a table")
                continue
            }
            var scope = TableScope(table: table, path: path)
            let name = string(&scope, "name")
            let url = string(&scope, "url")
            var kind = SourceConfig.Kind.auto
            if let raw = string(&scope, "type") {
                if let k = SourceConfig.Kind(rawValue: raw) { kind = k } else {
                    fail(scope, "type", "\"\(raw)\" is not one of auto, feed, page")
                }
            }
            let interval = duration(&scope, "interval", min: SourceConfig.minimumInterval) ?? SourceConfig.defaultInterval
            var fullText = FullTextMode.never
            if let raw = string(&scope, "full_text") {
                if let mode = FullTextMode(rawValue: raw) { fullText = mode } else {
                    fail(scope, "full_text", "\"\(raw)\" is not one of auto, always, never")
                }
            }
            var headers: [SourceConfig.Header] = []
            if var headerScope = subtable(&scope, "headers") {
                for key in headerScope.table.keys.sorted() {
                    headerScope.consume(key)
                    let keyPath = "headers.\(key)"
                    guard let value = headerScope.table[key]?.string else {
                        fail(headerScope, key, "must be a string", shown: keyPath); continue
                    }
                    if let problem = SourceValidation.headerProblem(name: key, value: value) {
                        fail(headerScope, key, problem, shown: keyPath); continue
                    }
                    headers.append(.init(name: key, value: value))
                }
            }
            let username = string(&scope, "username")
            let password = string(&scope, "password")
            var auth: SourceConfig.BasicAuth? = nil
            switch (username, password) {
            case let (u?, p?): auth = .init(username: u, password: p)
            case (nil, .some): fail(scope, "password", "needs a username too")
            case (.some, nil): fail(scope, "username", "needs a password too")
            case (nil, nil): break
            }
            reportUnknown(scope)
            if name == nil { fail(scope, "name", "missing: every [[source]] needs a name", at: path) }
            if url == nil { fail(scope, "url", "missing: every [[source]] needs a url", at: path) }
            guard let name, let url else { continue }
            if let problem = SourceValidation.nameProblem(name) { fail(scope, "name", problem); continue }
            if let problem = SourceValidation.urlProblem(url) { fail(scope, "url", problem); continue }
            if let first = seen[name] {
                fail(scope, "name", "duplicate source name \"\(name)\" (first used on line \(first))")
                continue
            }
            seen[name] = locator.line(of: "\(path).name") ?? 0
            result.append(SourceConfig(name: name, url: url, kind: kind, interval: interval,
                                       headers: headers, basicAuth: auth, fullText: fullText))
        }
        return result
    }

    /// The inbox, `processed/` and `failed/` must be three separate folders, none inside another:
    /// otherwise the daemon moves a file into a folder it watches and sees it again, forever.
    private mutating func checkInboxFolders(_ inbox: Configuration.Inbox, root: TOMLTable) {
        let folders = [("inbox.path", inbox.path), ("inbox.processed", inbox.processed), ("inbox.failed", inbox.failed)]
        for i in folders.indices {
            for j in folders.indices where j > i {
                let (a, pa) = folders[i], (b, pb) = folders[j]
                let relation: String
                if pa == pb { relation = "is the same folder as" }
                else if pb.starts(with: pa) { relation = "contains" }
                else if pa.starts(with: pb) { relation = "is inside" }
                else { continue }
                // Report at whichever of the two keys the file sets (the later one when both).
                let key = root["inbox"]?.table?.contains(key: Self.leaf(b)) == true ? b : a
                let other = key == b ? a : b
                let (kp, op) = key == b ? (pb, pa) : (pa, pb)
                let shown = key == b ? Self.inverse(relation) : relation
                fail(key, key, "\(kp) \(shown) \(other) (\(op)): the inbox, processed and failed folders must be separate, none inside another")
            }
        }
    }

    private static func inverse(_ relation: String) -> String {
        switch relation {
        case "contains": return "is inside"
        case "is inside": return "contains"
        default: return relation
        }
    }

    // MARK: typed accessors; each consumes the key and records a located error when wrong

    mutating func string(_ scope: inout TableScope, _ shown: String) -> String? {
        let key = Self.leaf(shown)
        guard let value = scope.take(key) else { return nil }
        guard let s = value.string else { fail(scope, key, "must be a string, not \(value.type)", shown: shown); return nil }
        return s
    }

    mutating func integer(_ scope: inout TableScope, _ shown: String, min: Int, max: Int = .max) -> Int? {
        let key = Self.leaf(shown)
        guard let value = scope.take(key) else { return nil }
        guard let n = value.int else { fail(scope, key, "must be an integer, not \(value.type)", shown: shown); return nil }
        guard n >= min, n <= max else {
            let range = max == .max ? "at least \(min)" : "between \(min) and \(max)"
            fail(scope, key, "\(n) is out of range: must be \(range)", shown: shown)
            return nil
        }
        return n
    }

    mutating func duration(_ scope: inout TableScope, _ shown: String, min: Duration) -> Duration? {
        guard let text = string(&scope, shown) else { return nil }
        let key = Self.leaf(shown)
        guard let d = ConfigDuration.parse(text) else {
            fail(scope, key, "\"\(text)\" is not a duration like \"30s\", \"5m\", \"1h\" or \"1d\"", shown: shown)
            return nil
        }
        guard d >= min else {
            fail(scope, key, "\"\(text)\" is too short: the minimum is \(ConfigDuration.format(min))", shown: shown)
            return nil
        }
        return d
    }

    mutating func subtable(_ scope: inout TableScope, _ key: String) -> TableScope? {
        guard let value = scope.take(key) else { return nil }
        guard let table = value.table else { fail(scope, key, "must be a table, not \(value.type)"); return nil }
        return TableScope(table: table, path: scope.path.isEmpty ? key : "\(scope.path).\(key)")
    }

    mutating func reportUnknown(_ scope: TableScope) {
        for key in scope.table.keys.sorted() where !scope.consumed.contains(key) {
            let shown = scope.path.hasPrefix("source.") || scope.path.isEmpty ? key : "\(scope.path).\(key)"
            fail(scope, key, "unknown key", shown: shown)
        }
    }

    mutating func fail(_ scope: TableScope, _ key: String, _ message: String, shown: String? = nil, at locate: String? = nil) {
        let path = locate ?? (scope.path.isEmpty ? key : "\(scope.path).\(key)")
        fail(path, shown ?? key, message)
    }

    mutating func fail(_ path: String, _ shown: String, _ message: String) {
        errors.append(ConfigError(file: file, line: locator.line(of: path) ?? 1, key: shown, message: message))
    }

    func resolve(_ path: String) -> FilePath {
        base.pushing(FilePath(path)).lexicallyNormalized()
    }

    private static func leaf(_ shown: String) -> String {
        shown.split(separator: ".").last.map(String.init) ?? shown
    }

    static let levels: [String: Logger.Level] = [
        "trace": .trace, "debug": .debug, "info": .info, "notice": .notice, "warning": .warning, "error": .error,
    ]
}

/// A TOML table plus the keys read from it so far.
struct TableScope {
    let table: TOMLTable
    let path: String
    private(set) var consumed: Set<String> = []

    init(table: TOMLTable, path: String) {
        self.table = table
        self.path = path
    }

    mutating func take(_ key: String) -> (any TOMLValueConvertible)? {
        consumed.insert(key)
        return table[key]
    }

    mutating func consume(_ key: String) { consumed.insert(key) }
}
