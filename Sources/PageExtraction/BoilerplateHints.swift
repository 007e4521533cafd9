import ParserSupport
import HTMLToText
/// What an element's `class`, `id` and `role` say about it: the readability-style hints that
/// tell article body from page furniture. Matching is on lowercase words and word prefixes, so
/// `ad` matches `ad-slot` but not `header` or `download`.
struct BoilerplateHints {
    let document: HTMLDocument
    /// Per node, the word lists its class/id match (bits of `List`).
    private let classes: [List]

    struct List: OptionSet {
        var rawValue: UInt16
        static let negative = List(rawValue: 1 << 0)
        static let positive = List(rawValue: 1 << 1)
        static let unlikely = List(rawValue: 1 << 2)
        static let maybeContent = List(rawValue: 1 << 3)
        static let boilerplate = List(rawValue: 1 << 4)
        static let bodyName = List(rawValue: 1 << 5)
        static let embed = List(rawValue: 1 << 6)
    }

    fileprivate static let matcher = NameMatcher(lists: [negative, positive, unlikely, maybeContent, boilerplate, bodyNames, embeds])

    init(document: HTMLDocument) {
        self.document = document
        var classes = [List](repeating: [], count: document.count)
        var cache = NameCache(document)
        for n in 0..<document.count where document.tags[n] != .text {
            // A name's lists are the union of its tokens' lists: `class` and `id` tokens share
            // one cache, and class tokens repeat across the page.
            var found = List()
            if let cls = document.attributeRange(.class, of: n) { found.formUnion(cache.lists(of: cls)) }
            if let id = document.attributeRange(.id, of: n) { found.formUnion(cache.lists(of: id)) }
            classes[n] = found
        }
        self.classes = classes
    }

    /// Each distinct whitespace-separated token (compared as lowercase ASCII) classified once
    /// per page: a name's lists are the union of its tokens' lists, and utility-class pages
    /// combine a few hundred tokens into thousands of distinct `class` values.
    ///
    /// An open-addressing table keyed by a 64-bit hash of the token; a hit is checked byte by
    /// byte against the token it was made for, so a collision costs a classification, never a
    /// wrong answer.
    private struct NameCache {
        let text: [UInt8]
        private var hashes: [UInt64]
        private var starts: [Int32]
        private var counts: [Int32]
        private var found: [List]
        private var used = 0
        private var scratch: [UInt8] = []

        init(_ document: HTMLDocument) {
            text = document.attributeText
            hashes = Array(repeating: 0, count: 256)
            starts = Array(repeating: -1, count: 256)
            counts = Array(repeating: 0, count: 256)
            found = Array(repeating: [], count: 256)
        }

        mutating func lists(of range: Range<Int>) -> List {
            var result = List()
            var i = range.lowerBound
            let end = range.upperBound
            while i < end {
                while i < end, ASCIIBytes.isSpace(text[i]) { i += 1 }
                let tokenStart = i
                while i < end, !ASCIIBytes.isSpace(text[i]) { i += 1 }
                if i > tokenStart { result.formUnion(tokenLists(tokenStart..<i)) }
            }
            return result
        }

        private mutating func tokenLists(_ range: Range<Int>) -> List {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for i in range {
                hash = (hash ^ UInt64(ASCIIBytes.lower(text[i]))) &* 0x100_0000_01b3
            }
            let mask = hashes.count - 1
            var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
            while starts[slot] >= 0 {
                if hashes[slot] == hash, sameLowercase(Int(starts[slot])..<Int(starts[slot] + counts[slot]), range) {
                    return found[slot]
                }
                slot = (slot + 1) & mask
            }
            scratch.removeAll(keepingCapacity: true)
            for i in range { scratch.append(ASCIIBytes.lower(text[i])) }
            let lists = List(rawValue: BoilerplateHints.matcher.classify(scratch))
            hashes[slot] = hash
            starts[slot] = Int32(range.lowerBound)
            counts[slot] = Int32(range.count)
            found[slot] = lists
            used += 1
            if used * 2 > hashes.count { grow() }
            return lists
        }

        /// Doubles the table, keeping it at most half full so probes stay short.
        private mutating func grow() {
            let oldHashes = hashes, oldStarts = starts, oldCounts = counts, oldFound = found
            let size = hashes.count * 2
            hashes = Array(repeating: 0, count: size)
            starts = Array(repeating: -1, count: size)
            counts = Array(repeating: 0, count: size)
            found = Array(repeating: [], count: size)
            let mask = size - 1
            for k in oldStarts.indices where oldStarts[k] >= 0 {
                let hash = oldHashes[k]
                var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
                while starts[slot] >= 0 { slot = (slot + 1) & mask }
                hashes[slot] = hash
                starts[slot] = oldStarts[k]
                counts[slot] = oldCounts[k]
                found[slot] = oldFound[k]
            }
        }

        private func sameLowercase(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
            guard a.count == b.count else { return false }
            var j = b.lowerBound
            for i in a {
                if ASCIIBytes.lower(text[i]) != ASCIIBytes.lower(text[j]) { return false }
                j += 1
            }
            return true
        }
    }

    /// Readability's class weight: +25 for article-like names, −25 for furniture-like ones.
    func classWeight(_ n: Int) -> Int {
        let c = classes[n]
        return (c.contains(.negative) ? -25 : 0) + (c.contains(.positive) ? 25 : 0)
    }

    /// Page furniture that is dropped before scoring: navigation, menus, sidebars, comment
    /// sections, footers, banners, unless the name also says it is the content.
    func isUnlikelyCandidate(_ n: Int) -> Bool {
        let tag = document.tag(n)
        if tag == .body || tag == .html || tag == .a || tag == .main || tag == .article { return false }
        if hasUnlikelyRole(n) { return true }
        let c = classes[n]
        return c.contains(.unlikely) && !c.contains(.maybeContent) && !c.contains(.embed)
    }

    /// Blocks inside the chosen article that are still not article text: share bars, related
    /// links, newsletter and subscription boxes, cookie notices, comments, ads, bylines,
    /// datelines and captions.
    func isBoilerplate(_ n: Int) -> Bool {
        let tag = document.tag(n)
        if tag == .figcaption || tag == .nav || tag == .aside || tag == .footer || tag == .form { return true }
        if hasUnlikelyRole(n) { return true }
        if let prop = document.attribute(.itemprop, of: n)?.lowercased(),
           prop.hasPrefix("author") || prop.hasPrefix("date") || prop == "caption" || prop == "publisher" {
            return true
        }
        let c = classes[n]
        return c.contains(.boilerplate) && !c.contains(.bodyName) && !c.contains(.embed)
    }

    private func hasUnlikelyRole(_ n: Int) -> Bool {
        guard let role = document.attribute(.role, of: n) else { return false }
        return Self.unlikelyRoles.contains(role.lowercased())
    }

    // MARK: Word lists

    static let unlikelyRoles: Set<String> = ["menu", "menubar", "complementary", "navigation", "alert", "alertdialog", "dialog", "banner", "contentinfo", "search"]

    static let positive = ["article", "body", "content", "entry", "hentry", "main", "page", "post", "text", "blog", "story", "*article", "*content", "*story"]
    static let negative = ["=ad", "=ads", "advert", "banner", "combx", "comment", "contact", "foot", "gdpr", "masthead", "meta", "outbrain", "taboola", "promo", "related", "scroll", "share", "shoutbox", "sidebar", "skyscraper", "sponsor", "shopping", "tags", "tool", "widget", "social", "newsletter", "subscribe", "byline", "caption", "credit", "=hidden", "*share", "*related", "*promo", "*newsletter"]
    static let unlikely = ["=ad", "=ads", "ad-break", "advert", "agegate", "banner", "breadcrumb", "combx", "comment", "community", "cover-wrap", "disqus", "extra", "footer", "gdpr", "header", "legends", "menu", "related", "remark", "replies", "rss", "shoutbox", "sidebar", "skyscraper", "social", "sponsor", "supplemental", "pagination", "pager", "popup", "modal", "cookie", "consent", "newsletter", "subscribe", "signup", "share", "sharing", "outbrain", "taboola", "nav", "masthead", "*related", "*newsletter", "*sharing", "*social", "*cookie", "*comment"]
    static let maybeContent = ["and", "article", "body", "column", "content", "main", "shadow", "story", "*article", "*content"]
    static let boilerplate = ["=ad", "=ads", "advert", "adslot", "dfp", "share", "sharing", "social", "related", "recommend", "newsletter", "subscribe", "subscription", "signup", "cookie", "consent", "comment", "disqus", "byline", "dateline", "author", "caption", "credit", "promo", "sponsor", "outbrain", "taboola", "tags", "tag-list", "breadcrumb", "toolbar", "print", "popup", "modal", "paywall", "read-more", "readmore", "more-stories", "more-from", "most-popular", "trending", "timestamp", "published", "updated", "follow", "donate", "donation", "appeal", "inline-ad", "*share", "*related", "*newsletter", "*promo", "*byline", "*caption", "*subscri"]
    static let bodyNames = ["article-body", "articlebody", "story-body", "post-body", "entry-content", "post-content", "article-content", "body-text", "^content", "^text", "^body"]
    /// Embedded posts (tweets, Instagram) are quoted article content, even in "social" boxes.
    static let embeds = ["*tweet", "*embed", "instagram"]
}
