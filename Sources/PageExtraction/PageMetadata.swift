import FeedModel
import Foundation
import ParserSupport
import HTMLToText

/// What a page says about its article outside the body text, each field from the most
/// authoritative source that has it: OpenGraph / article meta, JSON-LD, then plain HTML.
struct PageMetadata {
    var title = ""
    var author: String?
    var published: Timestamp?
    var updated: Timestamp?
    var language: String?
    var url: String?
    var tags: [String] = []
    var summary: String?

    init(document doc: HTMLDocument, baseURL: String?) {
        var meta = [String: [String]]()
        var htmlLang: String?
        var titleText: String?
        var firstH1: String?
        var canonical: String?
        var relAuthors: [String] = []
        var firstTime: String?
        for n in 0..<doc.count {
            switch doc.tags[n] {
            case .meta:
                guard let content = doc.attribute(.content, of: n) else { continue }
                for key in [doc.attribute(.property, of: n), doc.attribute(.name, of: n),
                            doc.attribute(.httpEquiv, of: n), doc.attribute(.itemprop, of: n)] {
                    if let key { meta[key.lowercased(), default: []].append(content) }
                }
            case .html:
                if htmlLang == nil { htmlLang = doc.attribute(.lang, of: n) }
            case .title:
                if titleText == nil { titleText = doc.rawText(of: n) }
            case .h1:
                if firstH1 == nil { firstH1 = doc.rawText(of: n) }
            case .link:
                let rel = doc.attribute(.rel, of: n)?.lowercased() ?? ""
                if rel.split(separator: " ").contains("canonical"), canonical == nil { canonical = doc.attribute(.href, of: n) }
            case .a:
                let rel = doc.attribute(.rel, of: n)?.lowercased() ?? ""
                if rel.split(separator: " ").contains("author") {
                    let name = TextNormalizer.paragraph(doc.rawText(of: n))
                    if !name.isEmpty, !relAuthors.contains(name) { relAuthors.append(name) }
                }
            case .time:
                if firstTime == nil { firstTime = doc.attribute(.datetime, of: n) }
            default:
                continue
            }
        }
        func first(_ keys: String...) -> String? {
            for k in keys {
                if let v = meta[k]?.first(where: { !$0.trimmingSpaces.isEmpty }) { return v }
            }
            return nil
        }
        let ld = JSONLDArticle(blocks: doc.jsonLD)

        // Title: og:title, JSON-LD headline, <title> without its site suffix, first <h1>.
        let siteName = first("og:site_name").map { TextNormalizer.paragraph($0) }
        let candidates: [String?] = [
            first("og:title").map { Self.strippingSiteName(TextNormalizer.paragraph($0), siteName: siteName, always: false) },
            ld?.headline.map { TextNormalizer.paragraph($0) },
            titleText.map { Self.strippingSiteName(TextNormalizer.paragraph($0), siteName: siteName, always: true) },
            firstH1.map { TextNormalizer.paragraph($0) },
        ]
        title = candidates.lazy.compactMap { $0 }.first(where: { !$0.isEmpty }) ?? ""

        // Author: JSON-LD names, meta author, rel=author links.
        var authors = ld?.authors.map { TextNormalizer.paragraph($0) }.filter { !$0.isEmpty && !Self.isURL($0) } ?? []
        if authors.isEmpty, let a = first("author", "article:author", "dc.creator", "byl", "sailthru.author") {
            let name = TextNormalizer.paragraph(a.hasPrefix("By ") ? String(a.dropFirst(3)) : a)
            if !name.isEmpty && !Self.isURL(name) { authors = [name] }
        }
        if authors.isEmpty { authors = relAuthors }
        var uniqueAuthors = [String]()
        for a in authors where !uniqueAuthors.contains(a) { uniqueAuthors.append(a) }
        author = uniqueAuthors.isEmpty ? nil : uniqueAuthors.joined(separator: ", ")

        // Dates: JSON-LD, article:*_time, <time datetime>, other meta dates.
        let publishedCandidates = [ld?.datePublished, first("article:published_time"), firstTime,
                                   first("datepublished", "date", "dc.date", "dc.date.issued", "pubdate",
                                         "publish-date", "og:published_time", "sailthru.date", "parsely-pub-date")]
        published = publishedCandidates.lazy.compactMap { $0 }.compactMap { DateParser.parse($0) }.first
        let updatedCandidates = [ld?.dateModified, first("article:modified_time"),
                                 first("og:updated_time", "datemodified", "last-modified", "dc.date.modified")]
        updated = updatedCandidates.lazy.compactMap { $0 }.compactMap { DateParser.parse($0) }.first

        // Language: <html lang>, then Content-Language.
        if let lang = (htmlLang ?? first("content-language"))?.trimmingSpaces, !lang.isEmpty {
            language = Self.bcp47(String(lang))
        }

        // Canonical URL: rel=canonical, og:url, else where the page came from.
        for ref in [canonical, first("og:url"), baseURL] {
            if let ref, let u = URLNormalizer.articleURL(String(ref.trimmingSpaces), base: baseURL) {
                url = u
                break
            }
        }

        // Tags: article:tag, keywords meta, JSON-LD keywords.
        var tagList = meta["article:tag"] ?? []
        if tagList.isEmpty, let k = first("keywords", "news_keywords") { tagList = k.split(separator: ",").map(String.init) }
        if tagList.isEmpty { tagList = ld?.keywords ?? [] }
        for t in tagList {
            let tag = TextNormalizer.paragraph(t)
            if !tag.isEmpty && !tags.contains(tag) { tags.append(tag) }
        }

        let description = first("og:description", "description", "twitter:description") ?? ld?.description
        if let d = description.map({ TextNormalizer.paragraph($0) }), !d.isEmpty { summary = d }
    }

    /// "Headline | Site" → "Headline". Without a known site name, only a separator whose
    /// left side still reads as a headline (three words or more) is cut.
    static func strippingSiteName(_ title: String, siteName: String?, always: Bool) -> String {
        for sep in [" | ", " - ", " – ", " — ", " :: ", " · ", " » ", " / "] {
            guard let range = lastRange(of: sep, in: title) else { continue }
            let head = String(title[..<range.lowerBound])
            let tail = String(title[range.upperBound...])
            if let siteName, !siteName.isEmpty, tail.lowercased() == siteName.lowercased() { return head }
            if always && head.split(separator: " ").count >= 3 && tail.split(separator: " ").count <= 5 {
                return strippingSiteName(head, siteName: siteName, always: always)
            }
        }
        return title
    }

    /// The last occurrence of an ASCII-delimited separator, found on the UTF-8 bytes (the
    /// Foundation search bridges to UTF-16 for every call, and titles are searched eight times).
    private static func lastRange(of separator: String, in title: String) -> Range<String.Index>? {
        let utf8 = title.utf8
        let needle = Array(separator.utf8)
        guard utf8.count >= needle.count else { return nil }
        var start = utf8.index(utf8.endIndex, offsetBy: -needle.count)
        while true {
            if utf8[start...].starts(with: needle) {
                return start..<utf8.index(start, offsetBy: needle.count)
            }
            guard start > utf8.startIndex else { return nil }
            start = utf8.index(before: start)
        }
    }

    private static func isURL(_ s: String) -> Bool { s.hasPrefix("http://") || s.hasPrefix("https://") }

    /// `en_US` → `en-US`; BCP 47 uses hyphens.
    static func bcp47(_ s: String) -> String {
        s.split(separator: ",").first.map { String($0).replacingOccurrences(of: "_", with: "-") } ?? s
    }
}
