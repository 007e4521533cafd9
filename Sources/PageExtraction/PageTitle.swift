/// The article's title from what a page offers, in order of trust: JSON-LD (`headline` or
/// `name`), the metadata titles (Dublin Core, OpenGraph, `<meta name=title>`, Twitter,
/// Parse.ly), `<title>` with its site part removed, the page's only `<h1>`.
///
/// The rules are Readability.js's (`_getArticleMetadata`, `_getArticleTitle`), so the title is
/// the one a reader view shows, and the candidates are checked against each other: JSON-LD
/// `headline` and `name` disagree on some sites (one is the site or a description), and the one
/// that reads like the `<title>` wins.
enum PageTitle {
    struct Candidates {
        var jsonLDHeadline: String?
        var jsonLDName: String?
        /// Metadata titles in order of trust (already normalized, empty ones left out).
        var metaTitles: [String] = []
        var titleElement: String?
        var h1s: [String] = []
        var h2s: [String] = []
    }

    static func choose(_ c: Candidates) -> String {
        if let ld = jsonLD(c), !ld.isEmpty { return ld }
        if let meta = c.metaTitles.first { return meta }
        if let title = c.titleElement, !title.isEmpty { return articleTitle(title, c) }
        return c.h1s.first(where: { !$0.isEmpty }) ?? ""
    }

    /// Readability: with both and different, `headline` when it resembles the `<title>` and
    /// `name` does not, else `name`.
    private static func jsonLD(_ c: Candidates) -> String? {
        switch (c.jsonLDHeadline, c.jsonLDName) {
        case let (headline?, name?) where headline != name:
            let title = c.titleElement.map { articleTitle($0, c) } ?? ""
            let headlineMatches = similarity(headline, title) > 0.75
            let nameMatches = similarity(name, title) > 0.75
            return headlineMatches && !nameMatches ? headline : name
        case let (headline?, _): return headline
        case let (nil, name?): return name
        case (nil, nil): return nil
        }
    }

    private static let separators: Set<Character> = ["|", "-", "–", "—", "\\", "/", ">", "»"]
    private static let hierarchical: Set<Character> = ["\\", "/", ">", "»"]

    /// Readability's `<title>` rule: cut the part after the last " | " (or " - ", " – ", " » ",
    /// …), or before the first when that leaves under three words; on "Site: Headline" keep the
    /// part after the colon unless a heading repeats the whole title; fall back to the only
    /// `<h1>` when the title is very short or long; and keep the whole title when cutting
    /// leaves four words or fewer (a short headline is more likely cut than a long site name).
    static func articleTitle(_ original: String, _ c: Candidates) -> String {
        let orig = Array(original)
        var separatorPositions = [Int]()
        if orig.count >= 3 {
            for i in 1..<(orig.count - 1) where separators.contains(orig[i]) && orig[i - 1] == " " && orig[i + 1] == " " {
                separatorPositions.append(i)
            }
        }
        var current = original
        var hadHierarchical = false
        if let last = separatorPositions.last {
            hadHierarchical = separatorPositions.contains { hierarchical.contains(orig[$0]) }
            current = String(orig[..<(last - 1)])
            if wordCount(current) < 3, let first = orig.firstIndex(where: { separators.contains($0) }) {
                current = String(orig[(first + 1)...])
            }
        } else if original.contains(": ") {
            if !(c.h1s + c.h2s).contains(original) {
                let afterLast = original.lastIndex(of: ":").map { String(original[original.index(after: $0)...]) } ?? original
                current = afterLast
                if wordCount(afterLast) < 3, let first = original.firstIndex(of: ":") {
                    current = String(original[original.index(after: first)...])
                } else if let first = original.firstIndex(of: ":"), wordCount(String(original[..<first])) > 5 {
                    current = original
                }
            }
        } else if original.count > 150 || original.count < 15, c.h1s.count == 1 {
            current = c.h1s[0]
        }
        current = current.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        let words = wordCount(current)
        let originalWithoutSeparators = String(original.filter { !separators.contains($0) })
        if words <= 4 && (!hadHierarchical || words != wordCount(originalWithoutSeparators) - 1) {
            return original
        }
        return current
    }

    private static func wordCount(_ s: String) -> Int {
        s.split(whereSeparator: { $0.isWhitespace }).count
    }

    /// Readability's `_textSimilarity`: the share of `b`'s text (by word characters) made of
    /// words that `a` also has.
    static func similarity(_ a: String, _ b: String) -> Double {
        let wordsA = Set(words(a))
        let wordsB = words(b)
        guard !wordsB.isEmpty else { return 0 }
        let total = wordsB.joined(separator: " ").count
        let unique = wordsB.filter { !wordsA.contains($0) }.joined(separator: " ").count
        return 1 - Double(unique) / Double(total)
    }

    private static func words(_ s: String) -> [String] {
        s.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" }).map(String.init)
    }
}
