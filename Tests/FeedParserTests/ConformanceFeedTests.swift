import FeedModel
import Foundation
import Testing

/// feedparser's own conformance cases (dev split), evaluated exactly as
/// `Tests/Fixtures/feeds/README.md` says: field mapping, white-space collapsing, `contains` vs
/// `equals`; `feed.*` checks of feeds without entries are reported but are not part of the
/// acceptance figure (no article record carries feed metadata).
@Suite struct ConformanceFeedTests {
    struct Case: Decodable {
        struct Check: Decodable {
            let field: String
            let op: String
            let value: String
        }

        let file: String
        let format: String
        let entry_count: Int
        let checks: [Check]
        let base_url: String?
        let note: String?
    }

    struct DateRow: Decodable {
        let input: String
        let expected: String?
        let parser: String
    }

    static func cases() throws -> [Case] {
        try lines("cases.jsonl").map { try JSONDecoder().decode(Case.self, from: Data($0.utf8)) }
    }

    static func lines(_ name: String) throws -> [String] {
        try String(contentsOf: FeedFixtures.feeds.appendingPathComponent(name), encoding: .utf8)
            .split(separator: "\n").map(String.init)
    }

    /// The record's value for a README field name (`entries[0].link` → `url`, …).
    static func value(of field: String, in document: ParsedDocument) -> [String]? {
        if field == "feed.title" { return document.feedTitle.map { [$0] } }
        if field == "feed.link" { return document.feedLink.map { [$0] } }
        guard field.hasPrefix("entries["), let close = field.firstIndex(of: "]"),
              let index = Int(field[field.index(field.startIndex, offsetBy: 8)..<close]) else { return nil }
        guard index < document.articles.count else { return nil }
        let a = document.articles[index]
        switch field[field.index(after: field.index(after: close))...] {
        case "title": return [a.title]
        case "link": return a.url.map { [$0] }
        case "id": return a.guid.map { [$0] }
        case "author": return a.author.map { [$0] + $0.components(separatedBy: ", ") }
        case "published": return a.published.map { [$0.rfc3339] }
        case "updated": return a.updated.map { [$0.rfc3339] }
        case "summary": return [a.summary ?? a.text]
        case "content": return [a.text]
        case "tags": return a.tags
        default: return nil
        }
    }

    static func passes(_ check: Case.Check, _ values: [String]?) -> Bool {
        guard let values else { return false }
        let expected = FeedFixtures.collapse(check.value)
        let got = values.map(FeedFixtures.collapse)
        switch check.op {
        case "contains":
            if check.field.hasSuffix(".tags") || check.field.hasSuffix(".author") { return got.contains(expected) }
            return got.contains { $0.contains(expected) }
        default:
            return got.first == expected
        }
    }

    /// Runs every case; returns the acceptance tally and the tally of the excluded feed-only checks.
    static func evaluate() throws -> (accepted: FieldTally, feedOnly: FieldTally) {
        var accepted = FieldTally()
        var feedOnly = FieldTally()
        for c in try cases() {
            let bytes = try FeedFixtures.bytes(FeedFixtures.feeds.appendingPathComponent(c.file))
            let document = try? FeedFixtures.parse(bytes, baseURL: c.base_url)
            for check in c.checks {
                let got = document.flatMap { value(of: check.field, in: $0) }
                let ok = passes(check, got)
                let field = String(check.field.split(separator: ".").last ?? "")
                let failure = "\(c.file) \(check.field) \(check.op) \(check.value.debugDescription), got \(got?.first.debugDescription ?? (document == nil ? "parse error" : "nothing"))"
                if check.field.hasPrefix("feed."), c.entry_count == 0 {
                    feedOnly.record("feed." + field, ok, failure)
                } else {
                    accepted.record(field, ok, failure)
                }
            }
        }
        for line in try lines("dates.jsonl") {
            let row = try JSONDecoder().decode(DateRow.self, from: Data(line.utf8))
            let xml = "<rss version=\"2.0\"><channel><item><pubDate>\(escape(row.input))</pubDate></item></channel></rss>"
            let got = try? FeedFixtures.parse(xml).articles.first?.published?.rfc3339
            // One row is read as feedparser's `parse_date` reads it, not as its w3dtf routine's own
            // test expects: see `DateParserTests.overrides` (ISO 8601 `YYDDD`, issue 11).
            let expected = DateParserTests.overrides[row.input] ?? row.expected
            accepted.record("date(\(row.parser))", got == expected,
                            "date \(row.input.debugDescription) expected \(expected ?? "none"), got \(got ?? "none")")
        }
        return (accepted, feedOnly)
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    }

    @Test func conformancePassRateIsAtLeast98Percent() throws {
        let (accepted, feedOnly) = try Self.evaluate()
        print(accepted.report("feed conformance (acceptance figure)"))
        print(feedOnly.report("feed-level checks of feeds without entries (not counted)"))
        #expect(accepted.totalCount == 95 + 15, "the dev split has 95 counted checks and 15 dates")
        #expect(accepted.passCount == accepted.totalCount, "the dev split stays at 100 %: \(accepted.passCount)/\(accepted.totalCount)")
    }

    /// The 100 feeds without entries mostly test HTML named entities in titles; the parser exposes
    /// the feed title, so hold it to the same bar even though the acceptance figure leaves it out.
    @Test func feedTitlesOfEntrylessFeedsPass() throws {
        let (_, feedOnly) = try Self.evaluate()
        #expect(feedOnly.rate >= 0.98, "\(feedOnly.passCount)/\(feedOnly.totalCount)")
    }
}
