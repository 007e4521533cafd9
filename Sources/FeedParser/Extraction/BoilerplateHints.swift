/// What an element's `class`, `id` and `role` say about it: the readability-style hints that
/// tell article body from page furniture. Matching is on lowercase words and word prefixes, so
/// `ad` matches `ad-slot` but not `header` or `download`.
struct BoilerplateHints {
    let document: HTMLDocument

    /// The lowercase `class` and `id` of `n`, joined by a space.
    func names(_ n: Int) -> String {
        let cls = document.attribute(.class, of: n) ?? ""
        let id = document.attribute(.id, of: n) ?? ""
        if cls.isEmpty && id.isEmpty { return "" }
        return (cls + " " + id).lowercased()
    }

    /// Readability's class weight: +25 for article-like names, −25 for furniture-like ones.
    func classWeight(_ n: Int) -> Int {
        let s = names(n)
        guard !s.isEmpty else { return 0 }
        var w = 0
        if Self.matches(s, Self.negative) { w -= 25 }
        if Self.matches(s, Self.positive) { w += 25 }
        return w
    }

    /// Page furniture that is dropped before scoring: navigation, menus, sidebars, comment
    /// sections, footers, banners, unless the name also says it is the content.
    func isUnlikelyCandidate(_ n: Int) -> Bool {
        let tag = document.tag(n)
        if tag == .body || tag == .html || tag == .a || tag == .main || tag == .article { return false }
        if let role = document.attribute(.role, of: n)?.lowercased(), Self.unlikelyRoles.contains(role) { return true }
        let s = names(n)
        guard !s.isEmpty else { return false }
        return Self.matches(s, Self.unlikely) && !Self.matches(s, Self.maybeContent) && !Self.matches(s, Self.embeds)
    }

    /// Blocks inside the chosen article that are still not article text: share bars, related
    /// links, newsletter and subscription boxes, cookie notices, comments, ads, bylines,
    /// datelines and captions.
    func isBoilerplate(_ n: Int) -> Bool {
        let tag = document.tag(n)
        if tag == .figcaption || tag == .nav || tag == .aside || tag == .footer || tag == .form { return true }
        if let role = document.attribute(.role, of: n)?.lowercased(), Self.unlikelyRoles.contains(role) { return true }
        if let prop = document.attribute(.itemprop, of: n)?.lowercased(),
           prop.hasPrefix("author") || prop.hasPrefix("date") || prop == "caption" || prop == "publisher" {
            return true
        }
        let s = names(n)
        guard !s.isEmpty else { return false }
        return Self.matches(s, Self.boilerplate) && !Self.matches(s, Self.bodyNames)
    }

    // MARK: Word lists

    /// Patterns against the class/id tokens and their `-`/`_`-separated parts: `=x` an exact
    /// part, `^x` an exact token, `*x` anywhere in a token, plain `x` a prefix of a token or
    /// of a part.
    static func matches(_ name: String, _ patterns: [String]) -> Bool {
        for token in name.split(separator: " ") {
            let parts = token.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == ":" })
            for p in patterns {
                switch p.first {
                case "=":
                    let word = p.dropFirst()
                    if parts.contains(where: { $0 == word }) { return true }
                case "*":
                    if token.contains(p.dropFirst()) { return true }
                case "^":
                    if token == p.dropFirst() { return true }
                default:
                    if token.hasPrefix(p) || parts.contains(where: { $0.hasPrefix(p) }) { return true }
                }
            }
        }
        return false
    }

    static let unlikelyRoles: Set<String> = ["menu", "menubar", "complementary", "navigation", "alert", "alertdialog", "dialog", "banner", "contentinfo", "search"]

    static let positive = ["article", "body", "content", "entry", "hentry", "main", "page", "post", "text", "blog", "story", "*article", "*content", "*story"]
    static let negative = ["=ad", "=ads", "advert", "banner", "combx", "comment", "contact", "foot", "gdpr", "masthead", "meta", "outbrain", "taboola", "promo", "related", "scroll", "share", "shoutbox", "sidebar", "skyscraper", "sponsor", "shopping", "tags", "tool", "widget", "social", "newsletter", "subscribe", "byline", "caption", "credit", "=hidden", "*share", "*related", "*promo", "*newsletter"]
    static let unlikely = ["=ad", "=ads", "ad-break", "advert", "agegate", "banner", "breadcrumb", "combx", "comment", "community", "cover-wrap", "disqus", "extra", "footer", "gdpr", "header", "legends", "menu", "related", "remark", "replies", "rss", "shoutbox", "sidebar", "skyscraper", "social", "sponsor", "supplemental", "pagination", "pager", "popup", "modal", "cookie", "consent", "newsletter", "subscribe", "signup", "share", "sharing", "outbrain", "taboola", "nav", "masthead", "*related", "*newsletter", "*sharing", "*social", "*cookie", "*comment"]
    static let maybeContent = ["and", "article", "body", "column", "content", "main", "shadow", "story", "*article", "*content"]
    static let boilerplate = ["=ad", "=ads", "advert", "adslot", "dfp", "share", "sharing", "social", "related", "recommend", "newsletter", "subscribe", "subscription", "signup", "cookie", "consent", "comment", "disqus", "byline", "dateline", "author", "caption", "credit", "promo", "sponsor", "outbrain", "taboola", "tags", "tag-list", "breadcrumb", "toolbar", "print", "popup", "modal", "paywall", "read-more", "readmore", "more-stories", "more-from", "most-popular", "trending", "timestamp", "published", "updated", "follow", "donate", "donation", "appeal", "inline-ad", "*share", "*related", "*newsletter", "*promo", "*byline", "*caption", "*subscri"]
    static let bodyNames = ["article-body", "articlebody", "story-body", "post-body", "entry-content", "post-content", "article-content", "body-text", "^content", "^text", "^body"] + embeds
    /// Embedded posts (tweets, Instagram) are quoted article content, even in "social" boxes.
    static let embeds = ["*tweet", "*embed", "instagram"]
}
