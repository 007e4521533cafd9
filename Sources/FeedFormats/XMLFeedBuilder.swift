import Foundation
import ParserSupport
import FeedModel

/// Turns the SAX events of an RSS 0.9x/2.0, RSS 1.0/0.90 (RDF) or Atom 1.0/0.3 document into
/// entry drafts. One builder serves all XML dialects: they share most element names, and real
/// feeds mix them (atom:link in RSS, dc:creator in Atom).
final class XMLFeedBuilder: XMLEventSink {
    private(set) var rootFormat: InputFormat?
    private(set) var rootName: String?
    private(set) var feed = FeedDraft() {
        didSet { feedVersion += 1 }
    }
    private(set) var openEntryAtEnd = false

    /// Entries become articles as soon as they end, so a feed's raw entry text is never all held
    /// at once (a 50 MB feed would otherwise be held three times: bytes, drafts, articles).
    /// What an article took from the feed level (the link as base, authors, language) may still
    /// change if the feed says more after its entries; an entry that took something that can
    /// still change keeps its short fields (`late`) and the feed version it saw, and `finish`
    /// redoes those fields where the feed changed since.
    private var articles: [Article] = []
    private var late: [(index: Int, version: Int, draft: EntryDraft)] = []
    private var feedVersion = 0

    private let documentBase: String?
    private var rootNamespace: XMLNamespace?
    private var stack: [Frame] = []
    /// Frames on `stack` with the role `.ignored` and `.source`, kept as counts so that asking
    /// "inside an ignored element / an Atom source?" costs O(1) per element, not O(depth):
    /// a scan of the stack made 200,000 nested elements a quadratic 50 s parse.
    private var ignoredFrames = 0
    private var sourceFrames = 0
    private var entry: EntryDraft?
    private var field: Field?
    /// Child elements open inside the field being captured (re-serialized as markup).
    private var captureNesting = 0

    private enum Role {
        case root, channel, item, author, source, ignored, other
    }

    private struct Frame {
        var role: Role
        var base: String?
        var language: String?
    }

    /// Where a captured text goes once its element ends.
    private enum Key {
        case title, summary, content, fallbackSummary, otherSummary, mediaTitle, mediaCategory
        case rssLink, guid, atomID, origLink
        case rssAuthor, author, authorName
        case published, publishedIfAbsent, updated, updatedIfAbsent
        case tag, keywords, language
        case feedTitle, feedLink, feedLanguage
    }

    private struct Field {
        var key: Key
        var kind: FeedText.Kind
        var base64 = false
        var base: String?
    }

    init(documentBase: String?) {
        self.documentBase = documentBase
    }

    /// The feed's own link, resolved against its xml:base or the document URL.
    var feedLink: String? {
        feed.link.map { URLNormalizer.resolve($0.href, against: $0.base ?? documentBase) }
    }

    /// Articles in document order; a truncated document's open entry is kept (what was read of it).
    func finish() -> [Article] {
        if let entry {
            finishEntry(entry)
            self.entry = nil
            openEntryAtEnd = true
        }
        let link = feedLink
        for (i, version, draft) in late where version != feedVersion {
            draft.applyFeedFields(to: &articles[i], feedLink: link, documentBase: documentBase, feed: feed)
        }
        late = []
        return articles
    }

    private var cachedFeedLink: (version: Int, link: String?) = (-1, nil)

    private func finishEntry(_ draft: EntryDraft) {
        if cachedFeedLink.version != feedVersion { cachedFeedLink = (feedVersion, feedLink) }
        let article = draft.article(feedLink: cachedFeedLink.link, documentBase: documentBase, feed: feed)
        if draft.mayChangeWithFeed(article, documentBase: documentBase, feed: feed) {
            late.append((articles.count, feedVersion, draft.withoutText))
        }
        articles.append(article)
    }

    // MARK: Events

    func startElement(_ name: XMLName, attributes: XMLAttributes, driver: XMLSAXDriver) {
        if let field {
            // Escaped HTML (`type="html"`) is markup source already; anything else collected so
            // far is literal text that must stay text once tags are mixed in.
            if !driver.escapeText, field.kind != .html { driver.escapeCollectedText() }
            driver.appendStartTag(name, attributes: attributes)
            captureNesting += 1
            return
        }
        let parent = stack.last
        var frame = Frame(role: .other, base: parent?.base, language: parent?.language)
        if let base = attributes.value("base", namespace: .xml) {
            frame.base = URLNormalizer.resolve(base, against: parent?.base ?? documentBase)
        }
        if let lang = attributes.value("lang", namespace: .xml) { frame.language = lang }

        if stack.isEmpty || (rootFormat == nil && Self.feedFormat(of: name) != nil) {
            // The document element, or a feed element inside a wrapper that is no feed (an Atom
            // feed served inside an XHTML page): the feed starts there.
            detectRoot(name)
            frame.role = .root
            push(frame)
            return
        }
        frame.role = classifyContainer(name, parent: parent?.role ?? .root)
        push(frame)
        switch frame.role {
        case .item:
            var draft = EntryDraft()
            draft.inheritedLanguage = frame.language
            if let about = attributes.value("about", namespace: .rdf) { draft.about = about }
            entry = draft
            return
        case .channel, .author, .source, .ignored, .root:
            return
        case .other:
            break
        }
        if ignoredFrames > 0 { return }
        startField(name, attributes: attributes, frame: frame, driver: driver)
    }

    func endElement(_ name: XMLName, driver: XMLSAXDriver) {
        if let field {
            if captureNesting > 0 {
                driver.appendEndTag(name)
                captureNesting -= 1
                return
            }
            let value = String(decoding: driver.text, as: UTF8.self)
            driver.text.removeAll(keepingCapacity: true)
            driver.captureText = false
            let sawMarkup = driver.escapeText
            driver.escapeText = false
            self.field = nil
            var kind = field.kind
            if sawMarkup, kind == .plain || kind == .guessTitle || kind == .guessBody { kind = .html }
            apply(field, value: field.base64 ? Self.decodeBase64(value) : value, kind: kind)
        }
        guard let frame = pop() else { return }
        if frame.role == .item, let done = entry {
            entry = nil
            finishEntry(done)
        }
    }

    // MARK: Classification

    private func detectRoot(_ name: XMLName) {
        rootNamespace = name.namespace
        if rootName == nil { rootName = name.local }
        rootFormat = Self.feedFormat(of: name)
    }

    private static func feedFormat(of name: XMLName) -> InputFormat? {
        switch (name.namespace, name.element) {
        case (.rdf, .rdf?): return .rdf
        case (.atom10, .feed?), (.atom03, .feed?), (.none, .feed?): return .atom
        case (_, .rss?), (_, .channel?): return .rss
        default: return nil
        }
    }

    /// RSS elements are un-namespaced, or in the RSS 1.0 / 0.90 namespace, or (rarely) in the
    /// namespace of the root element (`<r:rss xmlns:r="http://backend.userland.com/rss2">`).
    private func isCore(_ ns: XMLNamespace) -> Bool {
        guard rootFormat != .atom else { return false }
        return ns == .none || ns == .rss10 || ns == .rss090 || (ns.id >= 100 && ns == rootNamespace)
    }

    /// Atom elements, including those of an Atom document that forgot its namespace.
    private func isAtom(_ ns: XMLNamespace) -> Bool {
        ns == .atom10 || ns == .atom03 || (rootFormat == .atom && ns == rootNamespace)
    }

    private func classifyContainer(_ name: XMLName, parent: Role) -> Role {
        let ns = name.namespace
        switch name.element {
        case .channel? where isCore(ns): return .channel
        case .item? where isCore(ns) && entry == nil: return .item
        case .entry? where isAtom(ns) && entry == nil: return .item
        case .author? where isAtom(ns): return .author
        case .source? where isAtom(ns) && entry != nil: return .source
        case .image? where isCore(ns), .textinput? where isCore(ns): return .ignored
        case .contributor? where isAtom(ns): return .ignored
        case .owner? where ns == .itunes: return .ignored
        default: return .other
        }
    }

    private var inSource: Bool { sourceFrames > 0 }

    private func push(_ frame: Frame) {
        stack.append(frame)
        if frame.role == .ignored { ignoredFrames += 1 }
        if frame.role == .source { sourceFrames += 1 }
    }

    private func pop() -> Frame? {
        guard let frame = stack.popLast() else { return nil }
        if frame.role == .ignored { ignoredFrames -= 1 }
        if frame.role == .source { sourceFrames -= 1 }
        return frame
    }

    // MARK: Fields

    private func startField(_ name: XMLName, attributes: XMLAttributes, frame: Frame, driver: XMLSAXDriver) {
        let ns = name.namespace
        let element = name.element
        let parentRole = stack.count >= 2 ? stack[stack.count - 2].role : .root

        if parentRole == .author {
            if isAtom(ns), element == .name { capture(.authorName, .plain, frame, driver) }
            return
        }
        if inSource { return }

        // Only direct children of an item or the feed are its fields (`<entry><image><id>` is not
        // the entry's id); media:group is transparent.
        let parentIsOwner = parentRole == .item || parentRole == .channel || parentRole == .root
        // iTunes categories nest (`<itunes:category text="Technology"><itunes:category
        // text="Gadgets"/>`): each level is a category, as feedparser reads them.
        let nestedCategory = element == .category && ns == .itunes && stack.dropLast().contains { $0.role == .item }
        guard parentIsOwner || ns == .media || nestedCategory else { return }

        // Attribute-only elements.
        if isAtom(ns), element == .link {
            if !addAtomLink(attributes, base: frame.base) { capture(.rssLink, .plain, frame, driver) }
            return
        }
        if element == .category, isAtom(ns) {
            if let term = attributes.value("term") ?? attributes.value("label") { entry?.addTag(term) }
            return
        }
        if element == .category, ns == .itunes {
            if let text = attributes.value("text") { entry?.addTag(text) }
            return
        }

        guard entry != nil else {
            startFeedField(name, attributes: attributes, frame: frame, driver: driver)
            return
        }
        let core = isCore(ns), atom = isAtom(ns)
        switch element {
        case .title? where core || ns == .dc:
            capture(.title, .guessTitle, frame, driver)
        case .title? where atom:
            captureAtomText(.title, attributes, frame, driver)
        case .title? where ns == .media:
            capture(.mediaTitle, .guessTitle, frame, driver)
        case .link? where core:
            capture(.rssLink, .plain, frame, driver)
        case .guid? where core:
            entry?.guidIsPermaLink = attributes.value("ispermalink")?.lowercased() != "false"
            capture(.guid, .plain, frame, driver)
        case .id? where atom:
            capture(.atomID, .plain, frame, driver)
        case .description? where core || ns == .dc:
            capture(.summary, .guessBody, frame, driver)
        case .summary? where atom:
            captureAtomText(.summary, attributes, frame, driver)
        case .summary? where ns == .itunes:
            capture(.otherSummary, .guessBody, frame, driver)
        case .description? where ns == .media:
            capture(.fallbackSummary, .guessBody, frame, driver)
        case .encoded? where ns == .content, .fullitem? where core:
            capture(.content, .guessBody, frame, driver)
        case .content? where atom:
            if attributes.value("src") == nil { captureAtomText(.content, attributes, frame, driver) }
        case .body? where ns == .xhtml || core:
            capture(.content, .html, frame, driver)
            driver.escapeText = true
            driver.appendStartTag(name, attributes: attributes)
        case .author? where core:
            capture(.rssAuthor, .plain, frame, driver)
        case .creator? where ns == .dc, .author? where ns == .dc, .author? where ns == .itunes:
            // dc:author is no Dublin Core term, but feeds write it and feedparser and gofeed read it.
            capture(.rssAuthor, .plain, frame, driver)
        case .pubdate? where core, .published? where atom, .issued? where atom:
            capture(.published, .plain, frame, driver)
        case .issued? where ns == .dcterms, .created? where ns == .dcterms, .created? where atom:
            // Atom 0.3's `created` (when the entry was written) stands in only for a missing `issued`.
            capture(.publishedIfAbsent, .plain, frame, driver)
        case .updated? where atom, .modified? where atom, .modified? where core, .date? where ns == .dc:
            capture(.updated, .plain, frame, driver)
        case .modified? where ns == .dcterms:
            capture(.updatedIfAbsent, .plain, frame, driver)
        case .category? where core, .subject? where ns == .dc:
            capture(.tag, .plain, frame, driver)
        case .category? where ns == .media:
            // The category is the text; an empty element names it in `label` (Media RSS §5.11).
            entry?.pendingLabel = attributes.value("label")
            capture(.mediaCategory, .plain, frame, driver)
        case .keywords? where ns == .media || ns == .itunes:
            capture(.keywords, .plain, frame, driver)
        case .language? where ns == .dc || core:
            capture(.language, .plain, frame, driver)
        case .origlink? where ns == .feedburner:
            capture(.origLink, .plain, frame, driver)
        default:
            return
        }
    }

    private func startFeedField(_ name: XMLName, attributes: XMLAttributes, frame: Frame, driver: XMLSAXDriver) {
        let ns = name.namespace
        let parentRole = stack.count >= 2 ? stack[stack.count - 2].role : .root
        guard parentRole == .channel || parentRole == .root else { return }
        switch name.element {
        case .title? where isCore(ns) || ns == .dc:
            capture(.feedTitle, .guessTitle, frame, driver)
        case .title? where isAtom(ns):
            captureAtomText(.feedTitle, attributes, frame, driver)
        case .link? where isCore(ns):
            capture(.feedLink, .plain, frame, driver)
        case .language? where isCore(ns) || ns == .dc:
            capture(.feedLanguage, .plain, frame, driver)
        default:
            return
        }
    }

    private func capture(_ key: Key, _ kind: FeedText.Kind, _ frame: Frame, _ driver: XMLSAXDriver,
                         base64: Bool = false) {
        field = Field(key: key, kind: kind, base64: base64, base: frame.base)
        captureNesting = 0
        driver.text.removeAll(keepingCapacity: true)
        driver.captureText = true
        driver.escapeText = false
    }

    /// Atom text constructs: `type` text|html|xhtml or a MIME type (Atom 0.3 adds `mode`
    /// xml|escaped|base64).
    private func captureAtomText(_ key: Key, _ attributes: XMLAttributes, _ frame: Frame, _ driver: XMLSAXDriver) {
        let type = attributes.value("type")?.lowercased() ?? "text"
        let mode = attributes.value("mode")?.lowercased()
        let kind: FeedText.Kind
        var inlineMarkup = false
        switch type {
        case "text", "text/plain": kind = .plain
        case "html", "text/html": kind = .html
        case "xhtml", "application/xhtml+xml":
            kind = .html
            inlineMarkup = true
        default:
            if type.hasSuffix("xml") {
                kind = .html
                inlineMarkup = true
            } else {
                kind = .plain
            }
        }
        // RFC 4287 §4.1.3.3: content of any other media type (not text/*, not XML) is base64.
        // feedparser and gofeed decode titles and summaries of such a type the same way.
        let binary = type.contains("/") && !type.hasPrefix("text/") && !type.hasSuffix("xml")
        capture(key, kind, frame, driver, base64: mode == "base64" || (mode == nil && binary))
        if inlineMarkup, mode != "escaped", mode != "base64" { driver.escapeText = true }
    }

    /// Returns false for an alternate link without `href`, whose text content is then read as
    /// the link (an old, broken, but existing form).
    private func addAtomLink(_ attributes: XMLAttributes, base: String?) -> Bool {
        let rel = attributes.value("rel")?.lowercased() ?? "alternate"
        if rel == "self", entry == nil, feed.selfLink == nil, let href = attributes.value("href"), !href.isEmpty {
            feed.selfLink = URLNormalizer.resolve(Self.trimmed(href), against: base ?? documentBase)
        }
        guard rel == "alternate" || rel == "http://www.iana.org/assignments/relation/alternate" else { return true }
        guard let href = attributes.value("href"), !href.isEmpty else { return false }
        let type = attributes.value("type")?.lowercased()
        let rank = type == nil || type == "text/html" || type == "application/xhtml+xml" ? 0 : 1
        let link = RawLink(href: href, base: base, rank: rank)
        if entry != nil {
            if entry?.link.map({ rank < $0.rank }) ?? true { entry?.link = link }
        } else if feed.link.map({ rank < $0.rank }) ?? true {
            feed.link = link
        }
        return true
    }

    private func apply(_ field: Field, value: String, kind: FeedText.Kind) {
        let text = FeedText(value: value, kind: kind)
        // Only short values (links, ids, dates) are trimmed; bodies can be hundreds of KB.
        var trimmed: String { Self.trimmed(value) }
        switch field.key {
        // A repeated title, summary or body keeps the first non-blank one (as feedparser does for
        // RSS): a later extension element (dc:title, a second content:encoded) never replaces it.
        case .title: if entry?.title?.isBlank ?? true { entry?.title = text }
        case .mediaTitle: if entry?.mediaTitle == nil { entry?.mediaTitle = text }
        case .summary: if entry?.summary?.isBlank ?? true { entry?.summary = text }
        case .content: if entry?.content?.isBlank ?? true { entry?.content = text }
        case .fallbackSummary: if entry?.fallbackSummary == nil { entry?.fallbackSummary = text }
        case .otherSummary:
            if entry?.fallbackSummary == nil { entry?.fallbackSummary = text }
            if entry?.otherSummary == nil, !text.isBlank {
                let first = entry?.summary?.isBlank ?? true
                entry?.otherSummary = text
                entry?.otherSummaryFirst = first
            }
        case .mediaCategory:
            let label = entry?.pendingLabel
            entry?.pendingLabel = nil
            if !text.isBlank { entry?.addTag(value) } else if let label { entry?.addTag(label) }
        case .rssLink:
            if !trimmed.isEmpty, entry?.link.map({ $0.rank > 0 }) ?? true {
                entry?.link = RawLink(href: trimmed, base: field.base, rank: 0)
            }
        case .guid:
            entry?.guid = trimmed
            entry?.guidBase = field.base
        case .atomID:
            entry?.atomID = trimmed
            entry?.atomIDBase = field.base
        case .origLink: entry?.origLink = trimmed
        case .rssAuthor: entry?.addAuthor(EntryDraft.authorName(fromRSS: value), to: \.authors)
        case .author: entry?.addAuthor(value, to: \.authors)
        case .authorName:
            if entry == nil {
                let n = FeedText.normalizedParagraph(value)
                if !n.isEmpty, !feed.authors.contains(n) { feed.authors.append(n) }
            } else if inSource {
                entry?.addAuthor(value, to: \.sourceAuthors)
            } else {
                entry?.addAuthor(value, to: \.authors)
            }
        case .published: entry?.published = trimmed
        case .publishedIfAbsent: if entry?.published == nil { entry?.published = trimmed }
        case .updated: entry?.updated = trimmed
        case .updatedIfAbsent: if entry?.updated == nil { entry?.updated = trimmed }
        case .tag: entry?.addTag(value)
        case .keywords:
            // media:keywords / itunes:keywords: one comma-separated list.
            // ASCII lists (nearly all) are split on bytes: the same pieces as the Character
            // split, since no ASCII grapheme holds a comma with another scalar.
            if value.utf8.allSatisfy({ $0 < 0x80 }) {
                for keyword in value.utf8.split(separator: UInt8(ascii: ",")) {
                    entry?.addTag(String(Substring(keyword)))
                }
            } else {
                for keyword in value.split(separator: ",") { entry?.addTag(String(keyword)) }
            }
        case .language: entry?.language = trimmed
        case .feedTitle: if feed.title == nil { feed.title = text }
        case .feedLink:
            if !trimmed.isEmpty, feed.link.map({ $0.rank > 0 }) ?? true {
                feed.link = RawLink(href: trimmed, base: field.base, rank: 0)
            }
        case .feedLanguage: if feed.language == nil, !trimmed.isEmpty { feed.language = trimmed }
        }
    }

    // MARK: Helpers

    /// ASCII white space off both ends, on bytes (ids, links and dates are short and ASCII-edged).
    private static func trimmed(_ s: String) -> String {
        let utf8 = s.utf8
        guard let first = utf8.firstIndex(where: { !ASCIIBytes.isSpace($0) }),
              let last = utf8.lastIndex(where: { !ASCIIBytes.isSpace($0) }) else { return "" }
        if first == utf8.startIndex, utf8.index(after: last) == utf8.endIndex { return s }
        return String(decoding: utf8[first...last], as: UTF8.self)
    }

    /// Base64 that decodes to UTF-8 text; anything else (not base64, or binary data) stays as
    /// written, as feedparser keeps it (gofeed leaves `type="application/x-custom"` text alone too).
    private static func decodeBase64(_ s: String) -> String {
        let compact = s.filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: compact, options: .ignoreUnknownCharacters),
              let text = String(validating: data, as: UTF8.self) else { return s }
        return text
    }
}
