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
    /// itunes:summary, a second summary element: with a `description` and no content element,
    /// the one written first is the summary and the other the text (feedparser's reading).
    var otherSummary: FeedText?
    var otherSummaryFirst = false
    /// media:category's `label`, used when the element has no text.
    var pendingLabel: String?
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
        let t = FeedText.normalizedParagraph(tag)
        if !t.isEmpty, !tags.contains(t) { tags.append(t) }
    }

    mutating func addAuthor(_ name: String, to list: WritableKeyPath<EntryDraft, [String]>) {
        let n = FeedText.normalizedParagraph(name)
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
    /// The feed's `rel="self"` link: the last-resort base for relative links (RFC 3986 §5.1.3:
    /// the URI the representation was retrieved from), used when nothing else makes one absolute.
    var selfLink: String?
}

extension EntryDraft {
    /// The normalized article (SPEC §3): optional fields nil when empty.
    func article(feedLink: String?, documentBase: String?, feed: FeedDraft) -> Article {
        var a = Article()
        a.title = title?.paragraph() ?? ""
        if a.title.isEmpty, let mediaTitle { a.title = mediaTitle.paragraph() }

        var content = content, summary = summary
        if content == nil, let other = otherSummary, let first = summary, !first.isBlank {
            (summary, content) = otherSummaryFirst ? (other, first) : (first, other)
        }
        let bodySource = content ?? summary ?? fallbackSummary
        a.text = bodySource?.body() ?? ""
        if content != nil, let summaryText = (summary ?? fallbackSummary)?.paragraph(),
           !summaryText.isEmpty, summaryText != a.text {
            a.summary = summaryText
        }

        a.guid = Self.identifier(guid, base: guidIsPermaLink ? guidBase ?? documentBase : nil, xmlBase: guidBase != nil)
            ?? Self.identifier(atomID, base: atomIDBase ?? documentBase, xmlBase: atomIDBase != nil)
            ?? Self.nonEmpty(about)

        // Relative links resolve against xml:base, else the URL the document came from (RFC
        // 3986 §5.1), else the feed's own <link> (all a local file has).
        a.published = published.flatMap { DateParser.parse($0) }
        a.updated = updated.flatMap { DateParser.parse($0) }
        a.tags = tags
        applyFeedFields(to: &a, feedLink: feedLink, documentBase: documentBase, feed: feed)
        return a
    }

    /// The fields that may come from the feed level: the link (the feed's link or self link as
    /// the base), the author (the feed's when the entry names none) and the language.
    func applyFeedFields(to a: inout Article, feedLink: String?, documentBase: String?, feed: FeedDraft) {
        let base = link?.base ?? documentBase ?? feedLink
        a.url = url(base: base)
        if a.url == nil, let selfLink = feed.selfLink {
            a.url = url(base: URLNormalizer.resolve(base ?? selfLink, against: selfLink))
        }

        let names = !authors.isEmpty ? authors : !sourceAuthors.isEmpty ? sourceAuthors : feed.authors
        a.author = names.isEmpty ? nil : names.joined(separator: ", ")
        a.language = Self.nonEmpty(inheritedLanguage) ?? Self.nonEmpty(language) ?? Self.nonEmpty(feed.language)
    }

    /// Whether what `applyFeedFields` gave `a` could still change when the feed says more
    /// (its link, self link, authors or language after this entry). Usually not: the entry has
    /// its own author, an absolute link, and the feed's language came first.
    func mayChangeWithFeed(_ a: Article, documentBase: String?, feed: FeedDraft) -> Bool {
        if authors.isEmpty, sourceAuthors.isEmpty { return true }
        if Self.nonEmpty(inheritedLanguage) == nil, Self.nonEmpty(language) == nil, feed.language == nil { return true }
        guard a.url != nil else { return true }
        if link?.base != nil || documentBase != nil { return false }
        let href = Self.nonEmpty(origLink) ?? link?.href ?? guid ?? ""
        return !Self.isAbsoluteHTTP(href)
    }

    private static func isAbsoluteHTTP(_ s: String) -> Bool {
        // Lazily, without arrays: this runs once per entry.
        let t = s.utf8.drop { ASCIIBytes.isSpace($0) }.lazy.map { ASCIIBytes.lower($0) }
        return t.starts(with: "http://".utf8) || t.starts(with: "https://".utf8)
    }

    /// The draft without its texts (title, summary, body): what `applyFeedFields` reads.
    var withoutText: EntryDraft {
        var d = self
        d.title = nil
        d.mediaTitle = nil
        d.summary = nil
        d.content = nil
        d.fallbackSummary = nil
        d.otherSummary = nil
        return d
    }

    private func url(base: String?) -> String? {
        if let orig = Self.nonEmpty(origLink) {
            return URLNormalizer.articleURL(orig, base: base)
        } else if let link {
            return URLNormalizer.articleURL(link.href, base: base)
        } else if guidIsPermaLink, let guid = Self.nonEmpty(guid),
                  Self.looksLikeURL(guid) || Self.isRelativePath(guid) {
            return URLNormalizer.articleURL(guid, base: guidBase ?? base)
        }
        return nil
    }

    static func nonEmpty(_ s: String?) -> String? {
        guard let s else { return nil }
        let t = FeedText.normalizedParagraph(s)
        return t.isEmpty ? nil : t
    }

    /// An entry id as written, except that a relative path (`/relative/link`, `./x`, `../x`) is
    /// resolved against the xml:base or document URL in effect, as feedparser and Atom's IRI rule
    /// read it. Opaque ids (`12345`, `tag:…`, `urn:…`) are never touched, and neither is a
    /// permalink="false" guid (the caller passes no base), so identities stay what the feed wrote.
    /// Under an explicit xml:base, a relative path without a leading `/` or `.` (`relative/link`)
    /// resolves too: the feed said what its relative references are relative to (XML Base §4).
    static func identifier(_ raw: String?, base: String?, xmlBase: Bool = false) -> String? {
        guard let id = nonEmpty(raw) else { return nil }
        guard let base, !base.isEmpty, isRelativePath(id) || (xmlBase && isSegmentPath(id)) else { return id }
        return URLNormalizer.resolve(id, against: base)
    }

    /// `segment/more`: a relative path whose first segment holds no `:` (so no scheme, RFC 3986
    /// §4.2) and nothing that cannot stand in a URI; opaque ids like `12345` have no `/`.
    static func isSegmentPath(_ s: String) -> Bool {
        guard let slash = s.utf8.firstIndex(of: UInt8(ascii: "/")), slash != s.utf8.startIndex else { return false }
        return !s.utf8[..<slash].contains(UInt8(ascii: ":"))
            && !s.utf8.contains { $0 <= 0x20 || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "\"") }
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
        let s = FeedText.normalizedParagraph(raw)
        // The common case, a bare name, has neither bracket: skip the String searches below
        // (every rule needs a `<` or a `(`).
        if !s.utf8.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "(") }) { return s }
        // Some blog engines put an Atom-like person record, escaped, into <author>.
        if let open = s.range(of: "<name>"), let close = s.range(of: "</name>"), open.upperBound <= close.lowerBound {
            let name = FeedText.normalizedParagraph(s[open.upperBound..<close.lowerBound])
            if !name.isEmpty { return name }
        }
        if let open = s.firstIndex(of: "("), s.hasSuffix(")") {
            let inside = FeedText.normalizedParagraph(s[s.index(after: open)..<s.index(before: s.endIndex)])
            let outside = FeedText.normalizedParagraph(s[..<open])
            if outside.contains("@"), !inside.isEmpty { return inside }
            if inside.contains("@"), !outside.isEmpty { return outside }
        }
        if let open = s.firstIndex(of: "<"), s.hasSuffix(">"), s[open...].contains("@") {
            let trimmed = FeedText.normalizedParagraph(s[..<open])
            if !trimmed.isEmpty { return trimmed }
        }
        return s
    }
}
