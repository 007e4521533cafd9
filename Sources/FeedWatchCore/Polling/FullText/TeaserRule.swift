import FeedModel

/// `full_text = "auto"`: which feed entries are teasers, worth a request for their page.
///
/// The class of input: news feeds that carry a title, a sentence or a short paragraph and a
/// link ("Read more", an ellipsis, WordPress's `[…]`), as opposed to feeds whose
/// `content:encoded` (or Atom `content`) carries the whole article. An entry is a teaser when
/// any of these holds:
/// - its text is short: fewer than `maxWords` words (a teaser is a sentence or a paragraph; an
///   article, even a brief, is longer);
/// - it ends in an ellipsis (`…`, `...`, `[…]`): the feed cut the text;
/// - it ends in a "read more" link's words (`readMoreMarkers`).
/// Whether the feed's text is a prefix of the page's text is only known once the page is
/// fetched: `ArticlePageCheck` asks it then (the teaser's words must be in the page's text).
enum TeaserRule {
    static let maxWords = 100

    /// The last words of a "read more" link, lowercased, as feeds write them.
    static let readMoreMarkers: [[String]] = [
        ["read", "more"], ["continue", "reading"], ["keep", "reading"], ["read", "the", "rest"],
        ["read", "full", "story"], ["read", "the", "full", "story"], ["read", "full", "article"],
        ["read", "the", "full", "article"], ["full", "story"], ["more"],
    ]

    static func isTeaser(_ entry: Article) -> Bool {
        let text = entry.text.isEmpty ? (entry.summary ?? "") : entry.text
        return TextWords.count(text) < maxWords || endsCut(text) || readMoreWords(at: text) > 0
    }

    /// The text ends in an ellipsis, bare or bracketed, before any closing punctuation.
    static func endsCut(_ text: String) -> Bool {
        var tail = Substring(text)
        while let last = tail.last, last.isWhitespace || "])}»›\"'”’".contains(last) { tail = tail.dropLast() }
        return tail.hasSuffix("…") || tail.hasSuffix("...")
    }

    /// How many of the text's last words are a "read more" link (0 when none): those words are
    /// not the teaser's, so the page check leaves them out. A lone "more" counts only as the
    /// text's last paragraph or after an ellipsis, where it is a link and not a sentence's end.
    static func readMoreWords(at text: String) -> Int {
        let words = TextWords.lowercased(text)
        for marker in readMoreMarkers where words.count >= marker.count && Array(words.suffix(marker.count)) == marker {
            if marker.count > 1 { return marker.count }
            let lastParagraph = text.split(separator: "\n\n").last.map { TextWords.lowercased(String($0)) } ?? []
            let before = text.dropLast(text.reversed().prefix { !$0.isLetter }.count).dropLast(4)
            if lastParagraph == marker || endsCut(String(before)) { return 1 }
        }
        return 0
    }
}

/// Words as the full-text rules compare them: runs of letters and digits, lowercased.
enum TextWords {
    static func lowercased(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for scalar in text.unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                words.append(current.lowercased())
                current = ""
            }
        }
        if !current.isEmpty { words.append(current.lowercased()) }
        return words
    }

    static func count(_ text: String) -> Int {
        var count = 0, inWord = false
        for scalar in text.unicodeScalars {
            let isWord = scalar.properties.isAlphabetic || scalar.properties.numericType != nil
            if isWord && !inWord { count += 1 }
            inWord = isWord
        }
        return count
    }
}
