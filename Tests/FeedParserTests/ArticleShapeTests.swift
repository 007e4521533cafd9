import FeedModel
import FeedParser
import Foundation
import PlainText
import Testing

/// Whole pages saved as text: the article is found by the shape of its paragraphs, the page's
/// head and trailer go, and nothing in the article's middle goes by shape.
@Suite struct ArticleShapeTests {
    static let prose = [
        "The city council voted on Tuesday to expand the bicycle network, adding forty kilometres of protected lanes over the next three years, according to the plan published this week.",
        "Supporters said the lanes would make streets safer for children, while shop owners worried about deliveries, parking, and the long construction period along the main avenue.",
        "The mayor, who has backed the plan since her election campaign, said the first segment would open in the spring, with the rest following as funding allows.",
        "Critics pointed to the cost, estimated at twelve million euros, and asked whether buses, rather than bicycles, should be the priority for a city of this size.",
    ]

    static let head = ["Skip to content", "Home", "News", "Local", "By Ann Lee", "November 19, 2019 6:30 AM", "Share"]

    static let trailer = [
        "3 Comments", "Mark Tully", "2 hours ago",
        "I ride this route every day and the new lanes cannot come soon enough, whatever the shop owners say about it.",
        "Reply", "Joan Pike", "1 hour ago",
        "Twelve million euros is a lot of money for a few painted lines, and nobody asked the people who drive for a living.",
        "Reply", "Most Popular", "Bridge Closure Extended Into March", "Five Restaurants Worth the Drive",
        "Who do you think has the best bakery in town?", "View Results", "Terms and Conditions", "Privacy Policy",
        "© 2019 The Daily Courier. All rights reserved.",
    ]

    static func page(_ body: [String]) -> String {
        (["Council Expands Bike Lanes"] + body).joined(separator: "\n\n")
    }

    @Test func headAndTrailerOfAPageGo() {
        let article = PlainTextArticle.parse(Self.page(Self.head + Self.prose + Self.trailer))
        #expect(article.text == Self.prose.joined(separator: "\n\n"))
        // The byline and the date of the head fill the record's fields.
        #expect(article.author == "Ann Lee")
        #expect(article.published?.rfc3339 == "2019-11-19T06:30:00Z")
    }

    @Test func theMiddleIsNeverRemovedByShape() {
        // A related box and a newsletter prompt between paragraphs of the article stay.
        let middle = ["Related", "Bridge Closure Extended Into March", "Five Restaurants Worth the Drive",
                      "Sign up for our newsletter"]
        let body = Array(Self.prose[0..<2]) + middle + Array(Self.prose[2...])
        let article = PlainTextArticle.parse(Self.page(body + Self.trailer))
        #expect(article.text == body.joined(separator: "\n\n"))
    }

    @Test func aThreadLongerThanTheStoryIsStillTheComments() {
        // A forum under a short story: the comments run longer than the article, each with a
        // name, a time and a rating around it; after the comment header they are not the article.
        let story = Array(Self.prose[0..<2])
        var thread = ["[ 167 comments ]", "Top Rated Comments"]
        for (n, name) in ["Woyzeck", "Nick A", "fmcshan", "tjedora", "ascender"].enumerated() {
            thread += [name, "2 days ago at 07:5\(n) am",
                       "I think we will see similar updates to what the larger model received, since the bezels on this one are large and a bigger display would make sense for people who work on the road all day.",
                       "Even if it increases the weight slightly, this is a machine for professionals and I like the direction the company is taking with the keyboard, the ports and the battery this year.",
                       "Rating: \(30 - n) Votes"]
        }
        let article = PlainTextArticle.parse(Self.page(story + thread + ["Terms and Conditions", "Privacy Policy"]))
        #expect(article.text == story.joined(separator: "\n\n"))
    }

    @Test func cjkLinesWithoutAFullStopAreTeasersNotProse() {
        // A Japanese portal: the story's paragraphs have "。"; the ranking and the campaign
        // teasers after it run as long but have none, so they neither anchor nor join the article.
        let story = [
            "トレンドマイクロは、公衆無線LANを安全に利用するための新しいサービスを発表した。スマートフォンの通信を暗号化し、偽のアクセスポイントへの接続を防ぐという。",
            "同社の調査によると、フリーWi-Fiの利用経験がある人の多くが、安全性に不安を感じながらも利用を続けている。こうした状況を受けて、提供を決めたとしている。",
            "具体的には、フリーWi-Fi利用時にスマートフォンが自動的に保護された経路で通信する。利用者が設定を変更する必要はなく、料金は月額で提供される予定だ。",
        ]
        let ranking = ["最終更新:3/9(木) 18:45", "ツイート", "シェアする", "アクセスランキング（IT総合）"] + (1...5).map {
            "\($0) 稚内のスーパーが二百四十個のはずのケーキを二千四百個誤発注、ツイッターで助けを求めたところ大きな反響があった話題の店舗 ITメディア"
        } + ["お得情報"] + (1...4).map {
            "春のキャンペーン受付中！ 抽選で二万名様に当たる新製品のプレゼント企画、今なら応募するだけでポイントが\($0)倍になる特典付き"
        }
        let article = PlainTextArticle.parse(Self.page(story + ranking))
        #expect(article.text == story.joined(separator: "\n\n"))
    }

    @Test func aSubheadOrALeadInUsingACommentWordIsTheArticle() {
        let body = [Self.prose[0], "Gmail: Predictable, Scriptable Responses from Humans", Self.prose[1],
                    "To which the mayor replies:", Self.prose[2], Self.prose[3]]
        let article = PlainTextArticle.parse(Self.page(Self.head + body + Self.trailer))
        #expect(article.text == body.joined(separator: "\n\n"))
    }

    @Test func aShortArticleWithAStrayLineIsLeftToThePhraseRules() {
        // One line after the article is no trailer by shape: a sign-off stays.
        let body = Self.prose + ["Ann Lee, Ottawa"]
        #expect(PlainTextArticle.parse(Self.page(body)).text == body.joined(separator: "\n\n"))
    }

    @Test func explainNamesTheRuleOfEveryRemovedParagraph() throws {
        let text = Self.page(Self.head + Self.prose + Self.trailer)
        let (article, removed) = PlainTextArticle.explain(text)
        // "Skip to content" is a page-flow line, dropped line by line before paragraphs are
        // formed (as a stray "Advertisement" is); explain lists paragraphs.
        let paragraphs = Self.head.dropFirst() + Self.trailer
        #expect(removed.map(\.paragraph) == Array(paragraphs))
        #expect(removed.allSatisfy { $0.rule.hasPrefix("before the article") || $0.rule.hasPrefix("after the article") })
        #expect(removed.first { $0.paragraph == "3 Comments" }?.rule == "after the article: comment section or footer")
        #expect(article == PlainTextArticle.parse(text))
        // The same through the parser's entry point, as `feedwatch parse --explain` prints it.
        let viaParser = try ArticleParser.parseExplained(ParserInput(bytes: Array(text.utf8), format: .auto, fileName: "a.txt"))
        #expect(viaParser.removed.map(\.text) == removed.map(\.paragraph))
        #expect(viaParser.document.articles == [article])
        let feed = "<rss version=\"2.0\"><channel><title>T</title><item><title>A</title></item></channel></rss>"
        #expect(try ArticleParser.parseExplained(ParserInput(bytes: Array(feed.utf8))).removed.isEmpty)
    }
}
