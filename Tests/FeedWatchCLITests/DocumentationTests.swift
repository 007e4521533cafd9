import FeedWatchTesting
import Foundation
import Testing

/// The documentation in `docs/` against what the binary and the shipped config really have:
/// every config key and every subcommand documented in Markdown and in the man pages, the man
/// pages well-formed, completions generated, the record schema strict enough to catch mistakes.
@Suite struct DocumentationTests {
    static let root = TestPaths.packageRoot

    static func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// `(table, key)` for every key in `config/feedwatch.toml`, commented-out examples included;
    /// table is `""` at the top level.
    static func shippedKeys() throws -> [(table: String, key: String)] {
        var table = ""
        var keys: [(String, String)] = []
        for raw in try read("config/feedwatch.toml").split(separator: "\n") {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") { line = String(line.dropFirst()).trimmingCharacters(in: .whitespaces) }
            if line.hasPrefix("[") {
                guard let close = line.firstIndex(of: "]") else { continue }
                table = line[..<close].trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
                continue
            }
            // `key = value` where key is a bare TOML key; anything else is prose.
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLowercase || $0 == "_") }) else { continue }
            keys.append((table, key))
        }
        return keys
    }

    /// The Markdown section (`## …`) or roff section (`.SH …`) whose heading contains `heading`.
    static func section(_ text: String, marker: String, heading: String) -> String? {
        let parts = text.components(separatedBy: "\n" + marker)
        return parts.first { $0.split(separator: "\n").first?.contains(heading) == true }
    }

    @Test func everyShippedConfigKeyIsDocumented() throws {
        let keys = try Self.shippedKeys()
        #expect(keys.count >= 20, "\(keys)")
        #expect(keys.contains { $0 == ("source", "interval") } && keys.contains { $0 == ("http", "per_host") })
        let markdown = try Self.read("docs/configuration.md")
        let man = try Self.read("docs/feedwatch.toml.5").replacingOccurrences(of: "\\-", with: "-")
        for (table, key) in keys {
            let mdHeading = table.isEmpty ? "Top level" : table == "source" ? "`[[source]]`" : "`[\(table)]`"
            let manHeading = table.isEmpty ? "TOP LEVEL" : table == "source" ? "[[source]]" : "[\(table)]"
            let md = Self.section(markdown, marker: "## ", heading: mdHeading)
            let spelled = table.isEmpty || table == "source" ? "| `\(key)` |" : "| `\(table).\(key)` |"
            #expect(md?.contains(spelled) == true, "docs/configuration.md, section \(mdHeading): no \(spelled)")
            let roff = Self.section(man, marker: ".SH ", heading: manHeading)
            let documented = roff?.split(separator: "\n").contains { line in
                line.hasPrefix(".B") && line.split(whereSeparator: { !($0.isLetter || $0 == "_") }).contains { $0 == key }
            }
            #expect(documented == true, "docs/feedwatch.toml.5, section \(manHeading): no \(key)")
        }
    }

    /// The subcommands as the binary lists them in `--help` (nested ones as `archive verify`).
    static func subcommands() async throws -> [String] {
        func listed(_ arguments: [String]) async throws -> [String] {
            let help = try await runFeedwatch(arguments + ["--help"], in: FileManager.default.temporaryDirectory)
            guard let start = help.stdout.range(of: "SUBCOMMANDS:") else { return [] }
            // One line per subcommand, indented by two; wrapped abstracts are indented deeper.
            return help.stdout[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
                .dropFirst().prefix { !$0.isEmpty }
                .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
                .compactMap { $0.split(separator: " ").first.map(String.init) }
                .filter { $0 != "help" }
        }
        var result: [String] = []
        for name in try await listed([]) {
            let nested = try await listed([name])
            result += nested.isEmpty ? [name] : nested.map { "\(name) \($0)" }
        }
        return result
    }

    @Test func everySubcommandIsDocumented() async throws {
        let commands = try await Self.subcommands()
        #expect(Set(["run", "once", "parse", "fetch", "check-config", "stats", "archive verify", "archive repair"])
            .isSubset(of: Set(commands)), "\(commands)")
        let markdown = try Self.read("docs/operating.md")
        let readme = try Self.read("README.md")
        let man = try Self.read("docs/feedwatch.1").replacingOccurrences(of: "\\-", with: "-")
        let synopsis = Self.section(man, marker: ".SH ", heading: "SYNOPSIS") ?? ""
        let described = Self.section(man, marker: ".SH ", heading: "COMMANDS") ?? ""
        for command in commands {
            #expect(markdown.contains("| `feedwatch \(command)"), "docs/operating.md has no row for \(command)")
            #expect(readme.contains("| `feedwatch \(command)"), "README.md has no row for \(command)")
            #expect(synopsis.contains(".B feedwatch \(command)"), "feedwatch.1 SYNOPSIS lacks \(command)")
            #expect(described.contains(".B \(command)"), "feedwatch.1 COMMANDS lacks \(command)")
        }
    }

    @Test func nothingPointsOutsideTheRepository() throws {
        let files = ["README.md", "config/feedwatch.toml"] + (try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("docs").path))
            .map { "docs/\($0)" }
        for file in files {
            let text = try Self.read(file)
            for needle in ["SPEC", "project brief", "../shared"] {
                #expect(!text.contains(needle), "\(file) mentions \(needle)")
            }
        }
    }

    @Test(arguments: ["docs/feedwatch.1", "docs/feedwatch.toml.5"])
    func manPageRendersWithoutWarnings(page: String) throws {
        let path = Self.root.appendingPathComponent(page).path
        let (status, output) = try shell("groff -man -Tutf8 -ww -z \(path) 2>&1")
        #expect(status == 0 && output.isEmpty, "groff: \(output)")
        let (manStatus, rendered) = try shell("MANWIDTH=80 man -l \(path) 2>&1")
        #expect(manStatus == 0 && rendered.contains("NAME") && rendered.contains("feedwatch"), "man -l: \(rendered)")
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScripts(shell name: String) async throws {
        let result = try await runFeedwatch(["--generate-completion-script", name], in: FileManager.default.temporaryDirectory)
        #expect(result.status == 0, "\(result.stderr)")
        for command in ["run", "once", "parse", "check-config", "archive", "verify", "tail", "follow", "config", "format"] {
            #expect(result.stdout.contains(command), "\(name) completion lacks \(command)")
        }
        if name == "bash" {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("fw-completion-\(UUID().uuidString.prefix(8)).bash")
            try result.stdout.write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            let (status, output) = try shell("bash -n \(file.path) 2>&1")
            #expect(status == 0, "bash -n: \(output)")
        }
    }

    @Test func recordSchemaAcceptsARecordAndRejectsMistakes() throws {
        let id = "sha256:" + String(repeating: "ab", count: 32)
        let good = #"{"schema":1,"seq":3,"id":"\#(id)","kind":"new","title":"T","text":"Body","url":"https://e.org/a","#
            + #""tags":["x"],"word_count":1,"source":{"type":"file","name":"a.txt","path":"/in/a.txt"},"fetched_at":"2026-12-01T09:14:02Z"}"#
        #expect(try RecordSchema.violations(ofLine: good).isEmpty)
        let updated = good.replacingOccurrences(of: #""kind":"new""#, with: #""kind":"updated""#)
        let mistakes = [
            good.replacingOccurrences(of: #""seq":3,"#, with: ""),
            good.replacingOccurrences(of: #""seq":3"#, with: #""seq":"3""#),
            good.replacingOccurrences(of: #""seq":3"#, with: #""seq":true"#),
            good.replacingOccurrences(of: #""kind":"new""#, with: #""kind":"changed""#),
            good.replacingOccurrences(of: #""tags":["x"]"#, with: #""tags":[]"#),
            good.replacingOccurrences(of: #""url":"https://e.org/a""#, with: #""url":"""#),
            good.replacingOccurrences(of: "2026-12-01T09:14:02Z", with: "2026-12-01 09:14:02"),
            good.replacingOccurrences(of: #""type":"file""#, with: #""type":"inbox""#),
            good.replacingOccurrences(of: #""word_count":1"#, with: #""word_count":1,"extra":null"#),
            good.replacingOccurrences(of: id, with: "sha256:ABC"),
            updated,
            good.replacingOccurrences(of: #""word_count":1"#, with: #""word_count":1,"previous_id":"\#(id)""#),
        ]
        for line in mistakes {
            #expect(try !RecordSchema.violations(ofLine: line).isEmpty, "accepted: \(line)")
        }
        let replaced = updated.replacingOccurrences(of: #""fetched_at""#, with: #""previous_id":"\#(id)","fetched_at""#)
        #expect(try RecordSchema.violations(ofLine: replaced).isEmpty)
    }

    @Test func parseOutputWithASeqValidates() async throws {
        let seed = try #require(try FileManager.default.contentsOfDirectory(atPath: TestPaths.seeds.path).sorted().first)
        let result = try await runFeedwatch(["parse", TestPaths.seeds.appendingPathComponent(seed).path], in: TestPaths.seeds)
        #expect(result.status == 0)
        for line in result.stdout.split(separator: "\n") {
            let archived = line.replacingOccurrences(of: #"{"schema":1,"#, with: #"{"schema":1,"seq":1,"#)
            #expect(try RecordSchema.violations(ofLine: archived).isEmpty)
        }
    }
}

/// `/bin/sh -c command`: status and combined output (the caller redirects stderr).
func shell(_ command: String) throws -> (Int32, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
