import FeedModel
import FeedParser
import FeedWatchTesting
import Foundation

/// Shared by the feed suites: fixture paths, parsing a fixture, and the comparison rule of the
/// conformance README (runs of ASCII white space collapse to one space, ends trimmed; U+00A0 counts).
enum FeedFixtures {
    static let feeds = TestPaths.fixtures.appendingPathComponent("feeds")
    static let realworld = TestPaths.fixtures.appendingPathComponent("realworld")

    static func bytes(_ url: URL) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url))
    }

    static func parse(_ bytes: [UInt8], format: InputFormat = .auto, baseURL: String? = nil) throws -> ParsedDocument {
        try ArticleParser.parse(ParserInput(bytes: bytes, format: format, baseURL: baseURL))
    }

    static func parse(_ xml: String, format: InputFormat = .auto, baseURL: String? = nil) throws -> ParsedDocument {
        try parse(Array(xml.utf8), format: format, baseURL: baseURL)
    }

    static func collapse(_ s: String) -> String {
        var out = ""
        var pending = false
        for u in s.unicodeScalars {
            switch u {
            case " ", "\t", "\r", "\n", "\u{0B}", "\u{0C}":
                pending = !out.isEmpty
            default:
                if pending { out.unicodeScalars.append(" "); pending = false }
                out.unicodeScalars.append(u)
            }
        }
        return out.precomposedStringWithCanonicalMapping
    }

    /// Every XML/JSON feed in the real-world folder (not the expectations).
    static func realworldFeeds() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: realworld, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasSuffix(".expected.json") && $0.pathExtension != "md" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// Every small conformance feed file.
    static func conformanceFiles() -> [URL] {
        let root = feeds.appendingPathComponent("files")
        guard let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        return e.compactMap { $0 as? URL }.filter { $0.pathExtension == "xml" }
            .sorted { $0.path < $1.path }
    }
}

/// Pass/fail counts per field, printed so a failing figure says where it fails.
struct FieldTally {
    private(set) var passed: [String: Int] = [:]
    private(set) var total: [String: Int] = [:]
    private(set) var failures: [String] = []

    mutating func record(_ field: String, _ ok: Bool, _ failure: @autoclosure () -> String) {
        total[field, default: 0] += 1
        if ok { passed[field, default: 0] += 1 } else { failures.append(failure()) }
    }

    mutating func trimFailures(to n: Int) {
        if failures.count > n {
            let more = failures.count - n
            failures = Array(failures.prefix(n)) + ["… and \(more) more"]
        }
    }

    var passCount: Int { passed.values.reduce(0, +) }
    var totalCount: Int { total.values.reduce(0, +) }
    var rate: Double { totalCount == 0 ? 0 : Double(passCount) / Double(totalCount) }

    func report(_ title: String) -> String {
        var lines = ["\(title): \(passCount)/\(totalCount) = \(String(format: "%.1f", rate * 100)) %"]
        for field in total.keys.sorted() {
            lines.append("  \(field): \(passed[field, default: 0])/\(total[field, default: 0])")
        }
        if !failures.isEmpty {
            lines.append("  failures:")
            lines += failures.map { "    " + $0 }
        }
        return lines.joined(separator: "\n")
    }
}
