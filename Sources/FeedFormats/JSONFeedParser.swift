public import FeedModel
import Foundation
import ParserSupport

/// JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) → entry drafts. 1.0's single
/// `author` object and 1.1's `authors` array are both read; unknown keys are ignored, as the spec asks.
public enum JSONFeedParser {
    public static func parse(_ utf8: [UInt8], baseURL: String?) throws(ParseError) -> ParsedDocument {
        var warnings: [String] = []
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(utf8), options: [.fragmentsAllowed])
        } catch {
            // Foundation refuses a document nested deeper than its limit (about 500 levels) as a
            // whole. Entries sit at level 3 and their fields a few levels below: a document cut
            // at `JSONDepth.keptLevels` keeps every entry and loses only the hostile depths.
            guard let (flattened, level) = JSONDepth.flattened(utf8),
                  let retried = try? JSONSerialization.jsonObject(with: Data(flattened), options: [.fragmentsAllowed])
            else {
                throw .notParseable("not valid JSON: \(error.localizedDescription)")
            }
            warnings.append("JSON nested \(level) levels deep; values below level \(JSONDepth.keptLevels) were dropped")
            object = retried
        }
        guard let root = object as? [String: Any] else {
            throw .notParseable("JSON input is not an object, so not a JSON Feed")
        }
        if let version = root["version"] as? String, !version.contains("jsonfeed.org") {
            warnings.append("JSON Feed version \"\(version)\" is not a jsonfeed.org version; read anyway")
        } else if root["version"] == nil {
            warnings.append("JSON object has no \"version\"; read as a JSON Feed")
        }

        var feed = FeedDraft()
        if let title = root["title"] as? String { feed.title = FeedText(value: title, kind: .plain) }
        let home = string(root["home_page_url"])
        if let home { feed.link = RawLink(href: home, base: nil, rank: 0) }
        feed.language = string(root["language"])
        feed.authors = authors(root)
        let feedLink = home.map { URLNormalizer.resolve($0, against: baseURL ?? string(root["feed_url"])) }

        let items = root["items"] as? [Any] ?? []
        if root["items"] != nil, !(root["items"] is [Any]) {
            warnings.append("\"items\" is not an array; no entries read")
        }
        var articles: [Article] = []
        articles.reserveCapacity(items.count)
        for case let item as [String: Any] in items {
            articles.append(draft(item).article(feedLink: feedLink, documentBase: baseURL, feed: feed))
        }
        if articles.count < items.count {
            warnings.append("\(items.count - articles.count) items are not JSON objects and were skipped")
        }
        return ParsedDocument(format: .jsonfeed, feedTitle: feed.title.map { $0.paragraph() }.flatMap(EntryDraft.nonEmpty),
                              feedLink: feedLink.flatMap { URLNormalizer.articleURL($0, base: nil) },
                              language: EntryDraft.nonEmpty(feed.language), articles: articles, warnings: warnings)
    }

    private static func draft(_ item: [String: Any]) -> EntryDraft {
        var d = EntryDraft()
        d.guid = string(item["id"])
        if let title = item["title"] as? String { d.title = FeedText(value: title, kind: .guessTitle) }
        if let url = string(item["url"]) ?? string(item["external_url"]) {
            d.link = RawLink(href: url, base: nil, rank: 0)
        }
        if let html = item["content_html"] as? String, !html.isEmpty {
            d.content = FeedText(value: html, kind: .html)
        } else if let text = item["content_text"] as? String {
            d.content = FeedText(value: text, kind: .plain)
        }
        if let summary = item["summary"] as? String { d.summary = FeedText(value: summary, kind: .guessBody) }
        for name in authors(item) { d.addAuthor(name, to: \.authors) }
        d.published = string(item["date_published"])
        d.updated = string(item["date_modified"])
        for case let tag as String in item["tags"] as? [Any] ?? [] { d.addTag(tag) }
        d.language = string(item["language"])
        return d
    }

    private static func authors(_ object: [String: Any]) -> [String] {
        if let list = object["authors"] as? [Any] {
            return list.compactMap { ($0 as? [String: Any]).flatMap { string($0["name"]) } }
        }
        if let one = object["author"] as? [String: Any], let name = string(one["name"]) { return [name] }
        return []
    }

    /// Strings as given; numbers too (some feeds write numeric ids), never empty.
    private static func string(_ value: Any?) -> String? {
        switch value {
        case let s as String: return s.isEmpty ? nil : s
        case let n as NSNumber: return n.stringValue
        default: return nil
        }
    }
}
