import FeedModel
import FeedWatchTesting
import Foundation
import ParserSupport
import Testing

@Suite struct DateParserTests {
    struct CorpusRow: CustomTestStringConvertible, Sendable {
        var input: String
        var expected: String?
        var parser: String
        var testDescription: String { "\(parser): \(input)" }
    }

    /// feedparser's date-parser test strings (Tests/Fixtures/dates/dates.jsonl).
    static let corpus: [CorpusRow] = {
        let url = TestPaths.fixtures.appendingPathComponent("dates/dates.jsonl")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let data = line.data(using: .utf8),
                  let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let input = obj["input"] as? String
            else { return nil }
            return CorpusRow(input: input, expected: obj["expected"] as? String,
                             parser: obj["parser"] as? String ?? "")
        }
    }()

    @Test func corpusIsPresent() {
        #expect(Self.corpus.count >= 15)
    }

    /// Rows where feedwatch follows feedparser's `parse_date` (what a feedparser user gets) over the
    /// answer of the single routine the row tests. `22013` is ISO 8601's compact ordinal `YYDDD`
    /// (2022, day 13): feedparser's w3dtf routine refuses it, its ISO 8601 routine reads it, and
    /// so does `DateParser` (`03335` is 2003-12-01).
    static let overrides: [String: String] = ["22013": "2022-01-13T00:00:00Z"]

    @Test(arguments: corpus)
    func corpusRow(_ row: CorpusRow) {
        #expect(DateParser.parse(row.input)?.rfc3339 == (Self.overrides[row.input] ?? row.expected))
    }

    @Test func compactOrdinalDates() {
        #expect(DateParser.parse("03335")?.rfc3339 == "2003-12-01T00:00:00Z")
        #expect(DateParser.parse("2003-335")?.rfc3339 == "2003-12-01T00:00:00Z")
        #expect(DateParser.parse("03-335")?.rfc3339 == "2003-12-01T00:00:00Z")
        #expect(DateParser.parse("03366") == nil, "2003 has 365 days")
        #expect(DateParser.parse("04366")?.rfc3339 == "2004-12-31T00:00:00Z")
        #expect(DateParser.parse("03335T1230Z")?.rfc3339 == "2003-12-01T12:30:00Z")
    }

    /// One row per form the parser promises; `nil` where the string must not become a date.
    static let forms: [(String, String?)] = [
        // RFC 822 / 1123 / 2822
        ("Thu, 01 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21Z"),
        ("Thu, 01 Jan 04 19:48:21 GMT", "2004-01-01T19:48:21Z"),
        ("Fri, 01 Jan 99 19:48:21 GMT", "1999-01-01T19:48:21Z"),
        ("Thu,\n01 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21Z"),
        ("01 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21Z"),
        ("Thu, 01 Jan 2004 19:48 GMT", "2004-01-01T19:48:00Z"),
        ("Mon 15 Jul 2024 18.02 BST", "2024-07-15T17:02:00Z"),              // dotted time (British papers)
        ("Mon 15 Jul 2024 25.02 BST", nil),
        ("Thu, 01 Jan 2004", "2004-01-01T00:00:00Z"),
        ("Thursday, 01 January 2004 19:48:21 UT", "2004-01-01T19:48:21Z"),
        ("Thu, 01 Sept 2004 19:48:21 UTC", "2004-09-01T19:48:21Z"),
        ("Thu, 01 Jan 2004 19:48:21 Z", "2004-01-01T19:48:21Z"),
        ("Thu, 01 Jan 2004 19:48:21 +0000", "2004-01-01T19:48:21Z"),
        ("Thu, 01 Jan 2004 19:48:21 +00:00", "2004-01-01T19:48:21Z"),
        ("Thu, 01 Jan 2004 19:48:21 -0800", "2004-01-02T03:48:21Z"),
        ("Thu, 01 Jan 2004 19:48:21 +0530", "2004-01-01T14:18:21Z"),
        ("Thu, 01 Jan 2004 19:48:21 EST", "2004-01-02T00:48:21Z"),
        ("Thu, 01 Jul 2004 19:48:21 EDT", "2004-07-01T23:48:21Z"),
        ("Thu, 01 Jan 2004 19:48:21 CST", "2004-01-02T01:48:21Z"),
        ("Thu, 01 Jan 2004 19:48:21 PST", "2004-01-02T03:48:21Z"),
        ("Thu, 01 Jan 2004 19:48:21 A", "2004-01-01T20:48:21Z"),
        ("Thu, 01 Jan 2004 19:48:21 N", "2004-01-01T18:48:21Z"),
        ("Thu, 30 Apr 2015 08:57:00 MEST", "2015-04-30T06:57:00Z"),
        ("Thu, 30 Apr 2015 08:57:00 CEST", "2015-04-30T06:57:00Z"),
        ("Thu, 30 Apr 2015 08:57:00 BST", "2015-04-30T07:57:00Z"),
        ("Thu, 30 Apr 2015 08:57:00 JST", "2015-04-29T23:57:00Z"),
        ("Thu, 30 Apr 2015 08:57:00 IST", "2015-04-30T03:27:00Z"),
        ("Thu, 01 Jan 0100 00:00:01 +0100", "0099-12-31T23:00:01Z"),
        ("Wed, 19 Aug 2009 18:28:00 Etc/GMT", "2009-08-19T18:28:00Z"),
        ("Wed, 19 Feb 2012 22:40:00 GMT-01:01", "2012-02-19T23:41:00Z"),
        ("Mon, 13 Feb, 2012 06:28:00 UTC", "2012-02-13T06:28:00Z"),
        ("Mon, 26 January 2004 16:31:00 ET", "2004-01-26T21:31:00Z"),
        ("Mon, 26 January 2004 16:31:00 CT", "2004-01-26T22:31:00Z"),
        ("Mon, 26 January 2004 16:31:00 PT", "2004-01-27T00:31:00Z"),
        ("Thu Aug 30 2012 17:26:16 +0200", "2012-08-30T15:26:16Z"),
        ("Tue, 10 Jun 2003 09:41:01.123 GMT", "2003-06-10T09:41:01Z"),
        ("June 1, 2004 10:00 PM EST", "2004-06-02T03:00:00Z"),
        ("Thu, 01 Jan 2004 19:48:21 -0800 (PST)", "2004-01-02T03:48:21Z"),
        ("Sun, 16 Dec 2012 1:2:3:4 GMT", nil),
        ("Sun, Dec x 2012 11:47:32 GMT", nil),
        ("Sun, 16 Dec zz 11:47:32 GMT", nil),
        ("Sun, 16 Dec 2012 11:47:32 +zz:00", nil),
        ("Sun, 16 Dec 2012 11:47:32 +00:zz", nil),
        ("Sun, 99 Jun 2009 12:00:00 GMT", nil),
        ("Mon, 30 Feb 2004 12:00:00 GMT", nil),
        ("Mon, 01 Feb 2004 24:00:00 GMT", nil),
        // asctime
        ("Sun Jan  4 16:29:06 2004", "2004-01-04T16:29:06Z"),
        // W3C-DTF / RFC 3339 / ISO 8601
        ("2003-12-31T10:14:55Z", "2003-12-31T10:14:55Z"),
        ("2003-12-31t10:14:55z", "2003-12-31T10:14:55Z"),
        ("2003-12-31T10:14:55-08:00", "2003-12-31T18:14:55Z"),
        ("2003-12-31T18:14:55+08:00", "2003-12-31T10:14:55Z"),
        ("2003-12-31T18:14:55+0800", "2003-12-31T10:14:55Z"),
        ("2007-04-23T23:25:47.538+10:00", "2007-04-23T13:25:47Z"),
        ("2003-12-31T10:14Z", "2003-12-31T10:14:00Z"),
        ("2003-12-31T10:14", "2003-12-31T10:14:00Z"),
        ("2003-12-31", "2003-12-31T00:00:00Z"),
        ("2003-12", "2003-12-01T00:00:00Z"),
        ("2003", "2003-01-01T00:00:00Z"),
        ("20031231T101455Z", "2003-12-31T10:14:55Z"),
        ("20031231", "2003-12-31T00:00:00Z"),
        ("2003-335", "2003-12-01T00:00:00Z"),
        ("2003335", "2003-12-01T00:00:00Z"),
        ("2004-366", "2004-12-31T00:00:00Z"),
        ("2003-366", nil),
        ("031231", "2003-12-31T00:00:00Z"),
        ("03-12-31", "2003-12-31T00:00:00Z"),
        ("-0312", "2003-12-01T00:00:00Z"),
        ("2004-02-28T18:14:55-08:00", "2004-02-29T02:14:55Z"),
        ("2003-02-28T18:14:55-08:00", "2003-03-01T02:14:55Z"),
        ("2100-02-28T18:14:55-08:00", "2100-03-01T02:14:55Z"),
        ("2004-07-08 23:56:58 -00:20", "2004-07-09T00:16:58Z"),
        ("2004-07-08 23:56:58.0", "2004-07-08T23:56:58Z"),
        ("2004-07-08 23:56:58 EST", "2004-07-09T04:56:58Z"),
        ("2003-12-31T10:61:55Z", nil),
        ("2003-02-30", nil),
        ("2003-13-01", nil),
        ("9999-12-31T23:59:59-99:99", nil),
        ("013", nil),
        ("2013-01-27-01", nil),
        ("2013-01-28T11:30:00-06:00Textra", nil),
        ("2013-xx-27", nil),
        ("2013-01-28T09:xx:00Z", nil),
        ("2013-01-28T09:00:00+00:xx", nil),
        ("--12-31", nil),
        // localized
        ("Κυρ, 11 Ιούλ 2004 12:00:00 EST", "2004-07-11T17:00:00Z"),
        ("2004-július-13T9:15-05:00", "2004-07-13T14:15:00Z"),
        ("2004-05-25 오후 11:23:17", "2004-05-25T14:23:17Z"),
        ("2004-05-25 오전 11:23:17", "2004-05-25T02:23:17Z"),
        ("Fri, 2006/09/15 08:19:53 EDT", "2006-09-15T12:19:53Z"),
        // not dates at all
        ("", nil),
        ("   ", nil),
        ("yesterday", nil),
        ("now", nil),
        ("Enjoy this piece? Then let us make a small request.", nil),
    ]

    @Test(arguments: forms)
    func form(_ input: String, _ expected: String?) {
        #expect(DateParser.parse(input)?.rfc3339 == expected)
    }

    @Test func substringsParseLikeStrings() {
        let line = "<pubDate>Thu, 01 Jan 2004 19:48:21 GMT</pubDate>"
        let inner = line.dropFirst(9).dropLast(10)
        #expect(DateParser.parse(inner)?.rfc3339 == "2004-01-01T19:48:21Z")
    }
}


extension DateParserTests {
    /// Mutated real dates and random bytes: never a crash, and whatever parses is a date the
    /// parser reads back identically from its own RFC 3339 form.
    @Test func mutatedInputsNeverCrashAndRoundTrip() {
        var rng = SeededRandom(seed: 0xFEED)
        let seeds = Self.forms.map(\.0) + Self.corpus.map(\.input)
        let alphabet = Array("0123456789-+:TZ ,./abcGMTESTyzé년".unicodeScalars)
        var parsedCount = 0
        for _ in 0..<5_000 {
            var scalars = Array((seeds.randomElement(using: &rng) ?? "").unicodeScalars)
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let op = Int.random(in: 0..<3, using: &rng)
                let at = scalars.isEmpty ? 0 : Int.random(in: 0..<scalars.count, using: &rng)
                let ch = alphabet.randomElement(using: &rng) ?? "0"
                switch op {
                case 0 where !scalars.isEmpty: scalars[at] = ch
                case 1: scalars.insert(ch, at: at)
                default: if !scalars.isEmpty { scalars.remove(at: at) }
                }
            }
            var s = ""
            s.unicodeScalars.append(contentsOf: scalars)
            if let t = DateParser.parse(s) {
                parsedCount += 1
                #expect(DateParser.parse(t.rfc3339) == t, "\(s) → \(t.rfc3339)")
                let year = Int(t.rfc3339.prefix(4)) ?? -1
                #expect((0...9999).contains(year))
            }
        }
        #expect(parsedCount > 250)
    }
}
