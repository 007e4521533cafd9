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

    /// `hints`: the extractor's class/id reading of the same document (bylines).
    init(document doc: HTMLDocument, hints: BoilerplateHints, baseURL: String?) {
        var meta = [String: [String]]()
        var htmlLang: String?
        var titleText: String?
        var h1s: [String] = []
        var h2s: [String] = []
        var canonical: String?
        var relAuthors: [String] = []
        var itempropAuthors: [String] = []
        var byline: String?
        var firstTime: String?
        var n = 0
        while n < doc.count {
            let tag = doc.tags[n]
            // Bylines and author links in page furniture (menus, asides, footers) name other
            // people's articles.
            if tag == .nav || tag == .aside || tag == .footer || doc.flags[n].contains(.hidden) {
                n = doc.subtreeEnd(n)
                continue
            }
            switch tag {
            case .meta:
                if let content = doc.attribute(.content, of: n) {
                    for key in [doc.attribute(.property, of: n), doc.attribute(.name, of: n),
                                doc.attribute(.httpEquiv, of: n), doc.attribute(.itemprop, of: n)] {
                        // `property` may hold several space-separated names (RDFa).
                        for k in (key ?? "").lowercased().split(separator: " ") { meta[String(k), default: []].append(content) }
                    }
                }
            case .html:
                if htmlLang == nil { htmlLang = doc.attribute(.lang, of: n) }
            case .title:
                if titleText == nil { titleText = doc.rawText(of: n) }
            case .h1:
                h1s.append(TextNormalizer.paragraph(doc.rawText(of: n)))
            case .h2:
                h2s.append(TextNormalizer.paragraph(doc.rawText(of: n)))
            case .link:
                let rel = doc.attribute(.rel, of: n)?.lowercased() ?? ""
                if rel.split(separator: " ").contains("canonical"), canonical == nil { canonical = doc.attribute(.href, of: n) }
            case .time:
                if firstTime == nil { firstTime = doc.attribute(.datetime, of: n) }
            default:
                break
            }
            if tag != .meta && tag != .text {
                if tag == .a, (doc.attribute(.rel, of: n)?.lowercased() ?? "").split(separator: " ").contains("author") {
                    let name = Self.personName(doc.rawText(of: n))
                    if !name.isEmpty, !relAuthors.contains(name) { relAuthors.append(name) }
                }
                if let prop = doc.attribute(.itemprop, of: n)?.lowercased(), prop.split(separator: " ").contains("author") {
                    let name = Self.personName(Self.itempropName(doc, n) ?? doc.rawText(of: n))
                    if !name.isEmpty, name.count < 100, !itempropAuthors.contains(name) { itempropAuthors.append(name) }
                }
                if byline == nil, hints.isByline(n) {
                    let name = Self.personName(Self.itempropName(doc, n) ?? doc.rawText(of: n))
                    if !name.isEmpty, name.count < 100 { byline = name }
                }
            }
            n += 1
        }
        func first(_ keys: String...) -> String? {
            for k in keys {
                if let v = meta[k]?.first(where: { !$0.trimmingSpaces.isEmpty }) { return v }
            }
            return nil
        }
        let ld = JSONLDArticle(blocks: doc.jsonLD)

        // Title: JSON-LD, metadata titles, <title> without its site part, the <h1> (PageTitle).
        var candidates = PageTitle.Candidates()
        candidates.jsonLDHeadline = ld?.headline.map { TextNormalizer.paragraph($0) }.flatMap { $0.isEmpty ? nil : $0 }
        candidates.jsonLDName = ld?.name.map { TextNormalizer.paragraph($0) }.flatMap { $0.isEmpty ? nil : $0 }
        for key in ["dc:title", "dc.title", "dcterm:title", "dcterms.title", "og:title", "weibo:article:title",
                    "weibo:webpage:title", "title", "twitter:title", "parsely-title"] {
            if let t = meta[key]?.lazy.map({ TextNormalizer.paragraph($0) }).first(where: { !$0.isEmpty }) {
                candidates.metaTitles.append(t)
            }
        }
        candidates.titleElement = titleText.map { TextNormalizer.paragraph($0) }
        candidates.h1s = h1s
        candidates.h2s = h2s
        title = PageTitle.choose(candidates)

        // Author: JSON-LD names, author metadata, rel=author links, itemprop=author, a byline
        // element (class/id `byline`, `author`, `dateline`).
        var authors = ld?.authors.map { Self.personName($0) }.filter { !$0.isEmpty && !Self.isURL($0) } ?? []
        if authors.isEmpty, let a = first("dc:creator", "dc.creator", "dcterm:creator", "dcterms.creator", "author",
                                          "article:author", "parsely-author", "byl", "sailthru.author") {
            let name = Self.personName(a)
            if !name.isEmpty && !Self.isURL(name) { authors = [name] }
        }
        if authors.isEmpty { authors = relAuthors }
        if authors.isEmpty { authors = itempropAuthors }
        if authors.isEmpty, let byline { authors = [byline] }
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

    /// The text of the first `itemprop="name"` inside `n` (a schema.org Person).
    private static func itempropName(_ doc: HTMLDocument, _ n: Int) -> String? {
        for m in (n + 1)..<doc.subtreeEnd(n) where doc.tags[m] != .text {
            if doc.attribute(.itemprop, of: m)?.lowercased() == "name" { return doc.rawText(of: m) }
        }
        return nil
    }

    /// A byline as a name: white space normalized, a leading "By" / "Par" / "Von" / "Written
    /// by" dropped (the record's `author` is the person, not the phrase).
    static func personName(_ raw: String) -> String {
        var name = TextNormalizer.paragraph(raw)
        for prefix in ["written by ", "posted by ", "by ", "par ", "von ", "por ", "door "] {
            if name.count > prefix.count, name.lowercased().hasPrefix(prefix) {
                name = String(name.dropFirst(prefix.count))
                break
            }
        }
        return name
    }

    private static func isURL(_ s: String) -> Bool { s.hasPrefix("http://") || s.hasPrefix("https://") }

    /// `en_US` → `en-US`; BCP 47 uses hyphens.
    static func bcp47(_ s: String) -> String {
        s.split(separator: ",").first.map { String($0).replacingOccurrences(of: "_", with: "-") } ?? s
    }
}
