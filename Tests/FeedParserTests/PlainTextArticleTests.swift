import FeedModel
import FeedWatchTesting
import Foundation
import PlainText
import Testing

@Suite struct PlainTextArticleTests {
    struct Expected: Decodable, Sendable {
        var title: String
        var text: String
        var author: String?
        var published: String?
        var url: String?
        var tags: [String]?
    }

    static let textDir = TestPaths.fixtures.appendingPathComponent("text")

    /// Hand-written articles, one per boilerplate kind and per keep-the-ending case.
    static let expectations: [String: Expected] = {
        guard let data = try? Data(contentsOf: textDir.appendingPathComponent("expected.json")),
              let map = try? JSONDecoder().decode([String: Expected].self, from: data)
        else { return [:] }
        return map
    }()

    @Test func fixturesArePresent() {
        #expect(Self.expectations.count >= 8)
    }

    @Test(arguments: expectations.keys.sorted())
    func fixture(_ name: String) throws {
        let expected = try #require(Self.expectations[name])
        let bytes = try Data(contentsOf: Self.textDir.appendingPathComponent(name))
        let article = PlainTextArticle.parse(String(decoding: bytes, as: UTF8.self))
        #expect(article.title == expected.title)
        #expect(article.text == expected.text)
        #expect(article.author == expected.author)
        #expect(article.published?.rfc3339 == expected.published)
        #expect(article.url == expected.url)
        #expect(article.tags == (expected.tags ?? []))
    }

    @Test func closingParagraphMentioningDonationsIsKept() {
        let text = """
        Flood Relief Concert Raises Funds

        The concert at the arena drew 12,000 people on Saturday night.

        Organisers said they would donate all ticket revenue to support families whose homes were damaged.
        """
        let article = PlainTextArticle.parse(text)
        #expect(article.text.hasSuffix("whose homes were damaged."))
    }

    @Test func appealOnlyAtTheTailIsRemovedNotInTheMiddle() {
        // A paragraph quoting an appeal inside the story is followed by real prose: kept.
        let text = """
        Newspaper Launches Membership Drive

        The Gazette began asking readers for money this week.

        Its front page read: "Support our journalism. Become a member today for $5 a month."

        Media analysts said the move reflects falling advertising revenue across the industry.
        """
        let article = PlainTextArticle.parse(text)
        #expect(article.text.contains("Become a member today"))
        #expect(article.text.hasSuffix("across the industry."))
    }

    @Test func socialAndCookieTailsAreRemoved() {
        let text = """
        Council Delays Budget Vote

        The vote on next year's budget was postponed to March.

        Follow us on Twitter and Facebook

        We use cookies to improve your experience. By continuing to browse you agree to our use of cookies.
        """
        #expect(PlainTextArticle.parse(text).text == "The vote on next year's budget was postponed to March.")
    }

    @Test func emptyAndTitleOnlyInputs() {
        #expect(PlainTextArticle.parse("") == Article())
        let only = PlainTextArticle.parse("\u{FEFF}\r\n  Just a Title  \r\n")
        #expect(only.title == "Just a Title")
        #expect(only.text == "")
    }

    @Test func normalizesTextWithTheSharedRules() {
        let article = PlainTextArticle.parse("Cafe\u{0301} Opens\n\nA\u{0007}  new\tcafe\u{0301}\nopened.")
        #expect(article.title == "Café Opens")
        #expect(article.text == "A new café opened.")
    }
}

extension PlainTextArticleTests {
    /// Shuffled lines of the fixtures: never a crash, never a paragraph separator other than
    /// "\n\n", never leading or trailing white space.
    @Test func shuffledFixtureLinesStayWellFormed() throws {
        var rng = SeededRandom(seed: 0x7E47)
        var lines: [String] = []
        for name in Self.expectations.keys {
            let data = try Data(contentsOf: Self.textDir.appendingPathComponent(name))
            lines += String(decoding: data, as: UTF8.self).components(separatedBy: "\n")
        }
        for _ in 0..<500 {
            let text = (0..<Int.random(in: 0...30, using: &rng)).map { _ in lines.randomElement(using: &rng) ?? "" }
                .joined(separator: Bool.random(using: &rng) ? "\n" : "\r\n")
            let a = PlainTextArticle.parse(text)
            #expect(!a.text.contains("\n\n\n"))
            #expect(a.text == a.text.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(a.title == a.title.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(!a.title.contains("\n"))
        }
    }
}
