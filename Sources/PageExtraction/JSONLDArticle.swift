import Foundation

/// The article facts a page states in its `<script type="application/ld+json">` blocks
/// (schema.org `NewsArticle`, `BlogPosting`, … possibly inside `@graph` or an array).
struct JSONLDArticle {
    var headline: String?
    /// schema.org `name`: usually the headline again, sometimes the site or a description.
    var name: String?
    var authors: [String] = []
    var datePublished: String?
    var dateModified: String?
    var keywords: [String] = []
    var description: String?
    var language: String?
    var url: String?

    private static let articleTypes: Set<String> = [
        "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
        "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "techarticle",
        "scholarlyarticle", "socialmediaposting", "liveblogposting", "webpage", "report",
    ]

    /// The first article-typed object across the blocks; `nil` when none parses.
    init?(blocks: [String]) {
        for block in blocks {
            guard let data = Self.unwrappingCDATA(block).data(using: .utf8),
                  let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            else { continue }
            if let found = Self.find(in: json, depth: 0) {
                self = found
                return
            }
        }
        return nil
    }

    private init() {}

    /// Script bodies written for XHTML wrap the JSON in `<![CDATA[ … ]]>` (Wikipedia, Atlas
    /// Obscura): what is inside is the JSON.
    static func unwrappingCDATA(_ block: String) -> String {
        var s = Substring(block.trimmingCharacters(in: .whitespacesAndNewlines))
        if s.hasPrefix("<![CDATA[") { s = s.dropFirst(9) }
        if s.hasSuffix("]]>") { s = s.dropLast(3) }
        return String(s)
    }

    private static func find(in json: Any, depth: Int) -> JSONLDArticle? {
        guard depth < 8 else { return nil }
        if let array = json as? [Any] {
            // Prefer a real article type over a generic WebPage anywhere in the list.
            let found = array.compactMap { find(in: $0, depth: depth + 1) }
            return found.first(where: { ($0.headline ?? $0.name) != nil && !$0.authors.isEmpty }) ?? found.first
        }
        guard let object = json as? [String: Any] else { return nil }
        if let graph = object["@graph"], let found = find(in: graph, depth: depth + 1) { return found }
        let types: [String]
        if let t = object["@type"] as? String { types = [t] } else { types = object["@type"] as? [String] ?? [] }
        guard types.contains(where: { articleTypes.contains($0.lowercased()) }) else { return nil }
        var a = JSONLDArticle()
        a.headline = string(object["headline"])
        a.name = string(object["name"])
        a.authors = names(object["author"])
        a.datePublished = string(object["datePublished"])
        a.dateModified = string(object["dateModified"])
        a.description = string(object["description"])
        a.language = string(object["inLanguage"])
        a.url = string(object["url"]) ?? string((object["mainEntityOfPage"] as? [String: Any])?["@id"])
            ?? string(object["mainEntityOfPage"])
        if let k = object["keywords"] as? String {
            a.keywords = k.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        } else if let k = object["keywords"] as? [Any] {
            a.keywords = k.compactMap { string($0) }
        }
        return a
    }

    private static func string(_ v: Any?) -> String? {
        guard let s = v as? String else { return nil }
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.isEmpty ? nil : t
    }

    private static func names(_ v: Any?) -> [String] {
        if let s = string(v) { return [s] }
        if let o = v as? [String: Any] { return string(o["name"]).map { [$0] } ?? [] }
        if let a = v as? [Any] { return a.flatMap { names($0) } }
        return []
    }
}
