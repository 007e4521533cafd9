import FeedModel
import Foundation
import ParserSupport

/// What a feed said about one entry, raw, as it was collected in document order. Turned into an
/// `Article` only when the whole feed is read, because relative links resolve against the feed
/// link and author fallbacks come from the feed level, both of which may come later.
struct EntryDraft: Sendable {
    var title: FeedText?
    var mediaTitle: FeedText?
    var summary: FeedText?
    var content: FeedText?
    /// media:description, itunes:summary: used when the entry has no description of its own.
    var fallbackSummary: FeedText?
    var link: RawLink?
    var origLink: String?
    var guid: String?
    var guidIsPermaLink = false
    /// xml:base in effect on `<guid>` / `<id>`: a relative id resolves against it.
    var guidBase: String?
    var atomID: String?
    var atomIDBase: String?
    var about: String?
    var authors: [String] = []
    var sourceAuthors: [String] = []
    var published: String?
    var updated: String?
    var tags: [String] = []
    var language: String?
    /// xml:lang in effect on the entry element.
    var inheritedLanguage: String?

    mutating func addTag(_ tag: String) {
        let t = TextNormalizer.paragraph(tag)
        if !t.isEmpty, !tags.contains(t) { tags.append(t) }
    }

    mutating func addAuthor(_ name: String, to list: WritableKeyPath<EntryDraft, [String]>) {
        let n = TextNormalizer.paragraph(name)
        if !n.isEmpty, !self[keyPath: list].contains(n) { self[keyPath: list].append(n) }
    }
}

/// A link candidate: the href as written, the xml:base in effect, and how good a choice it is
/// (lower wins; ties keep the first, as Atom readers do).
struct RawLink: Sendable {
    var href: String
    var base: String?
    var rank: Int
}

/// What the feed says about itself, needed to finish entries.
struct FeedDraft: Sendable {
    var title: FeedText?
    var link: RawLink?
    var language: String?
    var authors: [String] = []
}

extension EntryDraft {
    /// The normalized article (SPEC §3): optional fields nil when empty.
    func article(feedLink: String?, documentBase: String?, feed: FeedDraft) -> Article {
        var a = Article()
        a.title = title?.paragraph() ?? ""
        if a.title.isEmpty, let mediaTitle { a.title = mediaTitle.paragraph() }

        let bodySource = content ?? summary ?? fallbackSummary
        a.text = bodySource?.body() ?? ""
        if content != nil, let summaryText = (summary ?? fallbackSummary)?.paragraph(),
           !summaryText.isEmpty, summaryText != a.text {
            a.summary = summaryText
        }

        a.guid = Self.identifier(guid, base: guidIsPermaLink ? guidBase ?? documentBase : nil)
            ?? Self.identifier(atomID, base: atomIDBase ?? documentBase)
            ?? Self.nonEmpty(about)

        // Relative links resolve against xml:base, else the URL the document came from (RFC
        // 3986 §5.1), else the feed's own <link> (all a local file has).
        let base = link?.base ?? documentBase ?? feedLink
        if let orig = Self.nonEmpty(origLink) {
            a.url = URLNormalizer.articleURL(orig, base: base)
        } else if let link {
            a.url = URLNormalizer.articleURL(link.href, base: base)
        } else if guidIsPermaLink, let guid = Self.nonEmpty(guid),
                  Self.looksLikeURL(guid) || Self.isRelativePath(guid) {
            a.url = URLNormalizer.articleURL(guid, base: guidBase ?? base)
        }

        let names = !authors.isEmpty ? authors : !sourceAuthors.isEmpty ? sourceAuthors : feed.authors
        a.author = names.isEmpty ? nil : names.joined(separator: ", ")

        a.published = published.flatMap { DateParser.parse($0) }
        a.updated = updated.flatMap { DateParser.parse($0) }
        a.tags = tags
        a.language = Self.nonEmpty(inheritedLanguage) ?? Self.nonEmpty(language) ?? Self.nonEmpty(feed.language)
        return a
    }

    static func nonEmpty(_ s: String?) -> String? {
        guard let s else { return nil }
        let t = TextNormalizer.paragraph(s)
        return t.isEmpty ? nil : t
    }

    /// An entry id as written, except that a relative path (`/relative/link`, `./x`, `../x`) is
    /// resolved against the xml:base or document URL in effect, as feedparser and Atom's IRI rule
    /// read it. Opaque ids (`12345`, `tag:…`, `urn:…`) are never touched, and neither is a
    /// permalink="false" guid (the caller passes no base), so identities stay what the feed wrote.
    static func identifier(_ raw: String?, base: String?) -> String? {
        guard let id = nonEmpty(raw) else { return nil }
        guard let base, !base.isEmpty, isRelativePath(id) else { return id }
        return URLNormalizer.resolve(id, against: base)
    }

    static func isRelativePath(_ s: String) -> Bool {
        (s.hasPrefix("/") && !s.hasPrefix("//")) || s.hasPrefix("./") || s.hasPrefix("../")
    }

    static func looksLikeURL(_ s: String) -> Bool {
        s.hasPrefix("http://") || s.hasPrefix("https://") || s.hasPrefix("//")
    }

    /// RSS `<author>` holds "email (Name)", "Name (email)" or "Name <email>" by convention: the
    /// name is what a reader shows.
    static func authorName(fromRSS raw: String) -> String {
        let s = TextNormalizer.paragraph(raw)
        // Some blog engines put an Atom-like person record, escaped, into <author>.
        if let open = s.range(of: "<name>"), let close = s.range(of: "</name>"), open.upperBound <= close.lowerBound {
            let name = TextNormalizer.paragraph(s[open.upperBound..<close.lowerBound])
            if !name.isEmpty { return name }
        }
        if let open = s.firstIndex(of: "("), s.hasSuffix(")") {
            let inside = TextNormalizer.paragraph(s[s.index(after: open)..<s.index(before: s.endIndex)])
            let outside = TextNormalizer.paragraph(s[..<open])
            if outside.contains("@"), !inside.isEmpty { return inside }
            if inside.contains("@"), !outside.isEmpty { return outside }
        }
        if let open = s.firstIndex(of: "<"), s.hasSuffix(">"), s[open...].contains("@") {
            let trimmed = TextNormalizer.paragraph(s[..<open])
            if !trimmed.isEmpty { return trimmed }
        }
        return s
    }
}
