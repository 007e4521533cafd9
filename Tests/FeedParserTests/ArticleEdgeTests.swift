import FeedModel
import Foundation
import PlainText
import Testing

/// What a page's shape must not cut: pages invented for each rule, none of them one of the
/// page-dump set's (`ArticleEdges.swift` names the class each rule serves).
@Suite struct ArticleEdgeTests {
    static let prose = ArticleShapeTests.prose
    static let head = ArticleShapeTests.head
    static let trailer = ArticleShapeTests.trailer
    static func page(_ body: [String]) -> String { ArticleShapeTests.page(body) }

    @Test func aDataPageWithNoProseRunIsCleanedByPhrasesOnly() {
        // A results page: the article is a table with a few sentences around it; the sidebar's
        // teasers are the only long paragraphs, none next to another. Nothing is cut by shape.
        let table = ["Final standings of the 2019 regional chess league after nine rounds:", "Pos. Player Club Points",
                     "1 Anna Berg Northside 7.5", "2 Tomas Varga Riverside 7", "3 Lee Park Harbour 6.5",
                     "* Only the first two qualify for the national final."]
        let sidebar = [
            "Our columnist looks back on a season of surprises, from the youngest winner in the league's history to the club that nearly folded in March and came back stronger.",
            "Popular",
            "Read how three volunteers keep the oldest chess club in the region running every Thursday evening, with coffee, old clocks and a shelf of books that nobody returns.",
        ]
        let article = PlainTextArticle.parse(Self.page(["Home", "Results", "Share"] + table + sidebar + ["Privacy Policy"]))
        for line in table { #expect(article.text.contains(line), "\(line)") }
    }

    @Test func aFieldBoxBeforeTheArticleStays() {
        // A review page's box of labelled fields: "Verdict" with its sentence, "Score", "Pros".
        let box = ["Verdict", "A sturdy, quiet commuter bike that is let down by its heavy frame.", "Score", "Good",
                   "Background"]
        let article = PlainTextArticle.parse(Self.page(Self.head + box + Self.prose + Self.trailer))
        #expect(article.text == (box + Self.prose).joined(separator: "\n\n"))
    }

    @Test func aShareBarOrAMenuIsNoFieldBox() {
        // Bare buttons and menu items before the article are not labels of a box, whatever
        // sentence stands among them.
        let bar = ["All sharing options", "All sharing options for: Council Expands Bike Lanes", "Linkedin", "Reddit",
                   "Pocket", "Email"]
        let article = PlainTextArticle.parse(Self.page(Self.head + bar + Self.prose + Self.trailer))
        #expect(article.text == Self.prose.joined(separator: "\n\n"))
    }

    @Test func aProvenanceNoteAfterTheRelatedLinksStays() {
        let related = ["Related", "Bridge Closure Extended Into March", "Five Restaurants Worth the Drive",
                       "Ten Parks for a Winter Walk"]
        let note = "Originally published on The City Courier."
        let article = PlainTextArticle.parse(Self.page(Self.prose + related + [note] + Self.trailer))
        #expect(article.text == (Self.prose + [note]).joined(separator: "\n\n"))
        // A licence note stays boilerplate.
        let licence = "This article was republished with permission under a Creative Commons license."
        let other = PlainTextArticle.parse(Self.page(Self.prose + related + [licence] + Self.trailer))
        #expect(other.text == Self.prose.joined(separator: "\n\n"))
    }

    @Test func aListTheArticleLeadsIntoStays() {
        let lead = "Here are the five routes the council will build first:"
        let items = ["1) Harbour Road to the station", "2) Market Street", "https://example.org/map-2",
                     "3) The ring road's east side", "4) Old Mill Lane", "5) The river path to the university"]
        let article = PlainTextArticle.parse(Self.page(Self.prose + [lead] + items + Self.trailer))
        #expect(article.text == (Self.prose + [lead] + items).joined(separator: "\n\n"))
        // Without the lead-in's colon, short numbered lines after the story are a ranking.
        let ranking = ["Most Read", "1. Bridge Closure Extended", "2. Five Restaurants Worth the Drive", "3. Ten Parks"]
        let other = PlainTextArticle.parse(Self.page(Self.prose + ranking + Self.trailer))
        #expect(other.text == Self.prose.joined(separator: "\n\n"))
    }

    @Test(arguments: ["Lee Min-ji, reporter minji.lee@example.co.kr", "With wire services", "With files from Reuters"])
    func theSignOffRightAfterTheArticleStays(signOff: String) {
        let article = PlainTextArticle.parse(Self.page(Self.prose + [signOff] + Self.trailer))
        #expect(article.text == (Self.prose + [signOff]).joined(separator: "\n\n"))
    }

    @Test func aContactLineWithAHandleIsNoSignOff() {
        let contact = "Ryan Okafor ryan.okafor@example.com @rokafor on X"
        let article = PlainTextArticle.parse(Self.page(Self.prose + [contact] + Self.trailer))
        #expect(article.text == Self.prose.joined(separator: "\n\n"))
    }

    @Test func aParagraphBetweenTwoCommentButtonsStays() {
        // "Comments" alone is a link to the comments, not their header; the story's last
        // paragraph may stand between two of them.
        let last = "Work on the first segment starts in March, and the council will publish the schedule for the remaining routes once the regional grant has been confirmed."
        let article = PlainTextArticle.parse(Self.page(Self.prose + ["Comments", last, "Comments"] + Self.trailer))
        #expect(article.text == (Self.prose + ["Comments", last]).joined(separator: "\n\n"))
        // Under a lone "Comments", a comment with its name and time is still the comments.
        let thread = ["Comments", "Mark Tully", "2 hours ago",
                      "I ride this route every day and the new lanes cannot come soon enough, whatever the shop owners say about it.",
                      "Reply", "Terms and Conditions", "Privacy Policy"]
        let other = PlainTextArticle.parse(Self.page(Self.prose + thread))
        #expect(other.text == Self.prose.joined(separator: "\n\n"))
    }
}
