import FeedModel
import FeedParser
import FeedWatchTesting
import Foundation
import HTMLToText
import ParserSupport

/// The page-dump dev set: real pages from the two extraction dev sets, each written out whole as
/// plain text — a title line, a blank line, then the HTML→text layer over the entire page body
/// (navigation, share bars, related lists, comments and footers included, not the extractor's
/// choice) — with the gold article text as the expected output. This is what a scraper, a
/// browser's "save as text" or a read-later export drops into the inbox.
///
/// Built once by `PageDumpSetTests.rebuild` from `../shared/corpus` into
/// `Tests/Fixtures/text/pagedumps/` (`<file>.txt` plus `gold.json`), so the suite does not depend
/// on the corpus being present.
enum PageDumpSet {
    struct Page: Codable, Sendable {
        /// `x-…` from the Zyte benchmark pages, `r-…` from Readability's test pages.
        var file: String
        /// The site (host, or the page name without its number): the unit of the dev/confirm split.
        var site: String
        /// Gold article paragraphs (blank-line separated in the gold text, lines joined).
        var gold: [String]
    }

    static let dir = TestPaths.fixtures.appendingPathComponent("text/pagedumps")

    static func pages() throws -> [Page] {
        try JSONDecoder().decode([Page].self, from: Data(contentsOf: dir.appendingPathComponent("gold.json")))
    }

    static func dump(_ page: Page) throws -> String {
        try String(decoding: Data(contentsOf: dir.appendingPathComponent(page.file)), as: UTF8.self)
    }

    /// Half "A" (develop) or "B" (confirm), by a stable hash (FNV-1a, 64-bit) of the site, so
    /// pages of one site never sit on both sides.
    static func half(_ site: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in site.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h % 2 == 0 ? "A" : "B"
    }

    // MARK: Building

    struct Gold: Decodable { var articleBody: String; var url: String? }

    /// Writes the dumps and `gold.json` from the corpus folders (`extraction/html/<id>.html.gz`,
    /// `extraction-readability/html/<name>.html.gz`).
    static func build(corpus: URL) throws -> Int {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var pages: [Page] = []
        for (set, prefix) in [("extraction", "x-"), ("extraction-readability", "r-")] {
            let base = corpus.appendingPathComponent(set)
            let gold = try JSONDecoder().decode([String: Gold].self,
                                                from: Data(contentsOf: base.appendingPathComponent("ground-truth.json")))
            for (id, g) in gold.sorted(by: { $0.key < $1.key }) {
                let html = try gunzip(base.appendingPathComponent("html/\(id).html.gz"))
                let name = prefix + (set == "extraction" ? String(id.prefix(12)) : id) + ".txt"
                let title = try ArticleParser.parse(ParserInput(bytes: html, format: .html, baseURL: g.url)).articles.first?.title ?? ""
                let body = HTMLText.text(fromHTML: String(decoding: html, as: UTF8.self))
                try Data((title + "\n\n" + body + "\n").utf8).write(to: dir.appendingPathComponent(name))
                let paragraphs = g.articleBody.components(separatedBy: "\n\n")
                    .map { TextNormalizer.paragraph($0.replacingOccurrences(of: "\n", with: " ")) }
                    .filter { !$0.isEmpty }
                pages.append(Page(file: name, site: site(url: g.url, id: id), gold: paragraphs))
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var json = try encoder.encode(pages)
        json.append(0x0A)
        try json.write(to: dir.appendingPathComponent("gold.json"))
        return pages.count
    }

    /// The host without "www.", or for a page without a URL its name without a trailing number
    /// ("nytimes-3" → "nytimes").
    static func site(url: String?, id: String) -> String {
        if let url, let host = URL(string: url)?.host, !host.isEmpty {
            return host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
        }
        var name = Substring(id)
        if let dash = name.lastIndex(of: "-"), name[name.index(after: dash)...].allSatisfy(\.isNumber) {
            name = name[..<dash]
        }
        return String(name)
    }

    private static func gunzip(_ url: URL) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc", url.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return [UInt8](data)
    }
}
