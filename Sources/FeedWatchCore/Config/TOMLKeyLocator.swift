/// Finds the line of each key in a TOML text, because TOMLKit reports lines only for syntax errors.
///
/// Keys are addressed by path: `state_dir`, `archive.path`, `source.2.interval` (the third
/// `[[source]]`, counting from 0), `source.2.headers.Accept`. A table header is recorded under
/// its own path (`archive`, `source.2`). Only what feedwatch's config uses is understood:
/// `[table]`, `[[array]]`, `key = value`, quoted keys, dotted keys and one-line inline tables;
/// multi-line strings and arrays are skipped over. The document has already been parsed by
/// TOMLKit when this runs, so it never has to judge validity.
public struct TOMLKeyLocator: Sendable {
    private var lines: [String: Int] = [:]

    public init(text: String) {
        var tableCounts: [String: Int] = [:]
        var prefix = ""
        var openMultiline: String? = nil
        var bracketDepth = 0
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            let line = rawLine.trimmingWhitespace()
            if let delimiter = openMultiline {
                if line.contains(delimiter) { openMultiline = nil }
                continue
            }
            if bracketDepth > 0 {
                bracketDepth += Self.bracketBalance(line)
                continue
            }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[[") {
                let name = Self.keyPath(line.dropFirst(2).prefix { $0 != "]" })
                let n = tableCounts[name, default: 0]
                tableCounts[name] = n + 1
                prefix = "\(name).\(n)"
                lines[prefix] = lines[prefix] ?? lineNumber
                continue
            }
            if line.hasPrefix("[") {
                prefix = Self.keyPath(line.dropFirst().prefix { $0 != "]" })
                // `[source.headers]` after `[[source]]` belongs to the latest `source` element.
                let head = String(prefix.prefix { $0 != "." })
                if let n = tableCounts[head] { prefix = "\(head).\(n - 1)" + prefix.dropFirst(head.count) }
                lines[prefix] = lines[prefix] ?? lineNumber
                continue
            }
            guard let eq = Self.assignmentIndex(line) else { continue }
            let key = Self.keyPath(line[..<eq])
            let full = prefix.isEmpty ? key : "\(prefix).\(key)"
            lines[full] = lines[full] ?? lineNumber
            let value = line[line.index(after: eq)...].trimmingWhitespace()
            if value.hasPrefix("{") { record(inline: value.dropFirst(), under: full, line: lineNumber) }
            for delimiter in ["\"\"\"", "'''"] where value.hasPrefix(delimiter) {
                if !value.dropFirst(3).contains(delimiter) { openMultiline = delimiter }
            }
            if value.hasPrefix("[") { bracketDepth = Self.bracketBalance(value) }
        }
    }

    /// The line of `path`, else of the nearest enclosing table that has one.
    public func line(of path: String) -> Int? {
        var path = Substring(path)
        while true {
            if let line = lines[String(path)] { return line }
            guard let dot = path.lastIndex(of: ".") else { return nil }
            path = path[..<dot]
        }
    }

    private mutating func record(inline body: Substring, under prefix: String, line: Int) {
        for part in body.split(separator: ",") {
            guard let eq = Self.assignmentIndex(part.trimmingWhitespace()) else { continue }
            let trimmed = part.trimmingWhitespace()
            let path = "\(prefix).\(Self.keyPath(trimmed[..<eq]))"
            lines[path] = lines[path] ?? line
        }
    }

    /// The `=` of `key = value`, ignoring `=` inside quoted keys.
    private static func assignmentIndex(_ line: Substring) -> Substring.Index? {
        var quote: Character? = nil
        for i in line.indices {
            let c = line[i]
            if let q = quote { if c == q { quote = nil }; continue }
            if c == "\"" || c == "'" { quote = c; continue }
            if c == "=" { return i }
        }
        return nil
    }

    /// `a . "b.c"` → `a.b.c` — quoted parts lose their quotes (good enough for locating).
    private static func keyPath(_ raw: Substring) -> String {
        var parts: [String] = []
        var current = ""
        var quote: Character? = nil
        for c in raw {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "." {
                parts.append(current)
                current = ""
            } else if c != " " && c != "\t" {
                current.append(c)
            }
        }
        parts.append(current)
        return parts.joined(separator: ".")
    }

    private static func bracketBalance(_ text: Substring) -> Int {
        var balance = 0
        var quote: Character? = nil
        for c in text {
            if let q = quote { if c == q { quote = nil }; continue }
            switch c {
            case "\"", "'": quote = c
            case "[": balance += 1
            case "]": balance -= 1
            case "#": return balance
            default: break
            }
        }
        return balance
    }
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return s
    }
}
