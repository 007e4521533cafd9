import FeedModel
import FeedWatchTesting
import Foundation
import PlainText
import Testing

/// The seed article (`seeds/000_8b126ece0b7ac08c.txt`) through the real text parser.
@Suite struct SeedArticleTests {
    static let seedURL = TestPaths.seeds.appendingPathComponent("000_8b126ece0b7ac08c.txt")

    static func seedArticle() throws -> Article {
        let bytes = try Data(contentsOf: seedURL)
        return PlainTextArticle.parse(String(decoding: bytes, as: UTF8.self))
    }

    @Test func titleAndBody() throws {
        let article = try Self.seedArticle()
        #expect(article.title
            == "Trump Invited Vladimir Putin to the White House, Fueling Speculation About Relationship with Russia")
        let paragraphs = article.text.components(separatedBy: "\n\n")
        #expect(paragraphs.count == 6)
        #expect(paragraphs.first?.hasPrefix("President Donald Trump invited Russian President Vladimir Putin") == true)
        #expect(paragraphs.last?.hasSuffix("strengthen ties with Russia.") == true)
        for fragment in ["Enjoy this piece?", "small request", "readers like you", "click here to become a subscriber",
                         "Click here to donate", "alternet logo", "Tough Times", "Demand honest news"] {
            #expect(!article.text.contains(fragment), "boilerplate left in: \(fragment)")
        }
        #expect(article.author == nil)
        #expect(article.published == nil)
        #expect(article.url == nil)
    }

    /// The id rule checked against an independent SHA-256 (coreutils), not through `ArticleID`.
    @Test func idIsSHA256OfTitleAndText() throws {
        let article = try Self.seedArticle()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data((article.title + "\n\n" + article.text).utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let hex = String(decoding: data, as: UTF8.self).prefix { $0 != " " }
        #expect(hex.count == 64)
        #expect(article.id == "sha256:" + hex)
    }
}
