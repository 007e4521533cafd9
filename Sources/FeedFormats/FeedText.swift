import Glibc
import HTMLToText
import ParserSupport
/// A text value from a feed together with how it must be read, decided where the value was found
/// (Atom `type`, RSS element, JSON key) and applied only once the entry is complete.
struct FeedText: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// Literal text: Atom `type="text"`, JSON `content_text`. `<blink>` stays `<blink>`.
        case plain
        /// Escaped or inline HTML/XHTML: reduced to text by `HTMLText`'s rules.
        case html
        /// RSS titles: HTML only when it looks like HTML by feedparser's rule (a closing tag or a
        /// character reference, and only known HTML elements), otherwise literal.
        case guessTitle
        /// RSS descriptions and `content:encoded`: HTML when any markup or reference is present,
        /// else plain text whose blank lines separate paragraphs.
        case guessBody
    }

    var value: String
    var kind: Kind

    /// Nothing but white space (an empty `<title/>` a later one may fill).
    var isBlank: Bool { value.utf8.allSatisfy(ASCIIBytes.isSpace) }

    /// One paragraph (title, summary).
    func paragraph() -> String {
        let value = Self.windows1252Controls(value)
        return isHTML ? HTMLText.entryText(fromHTML: value, singleParagraph: true) : Self.normalizedParagraph(value)
    }

    /// Body text: paragraphs joined by "\n\n".
    func body() -> String {
        let value = Self.windows1252Controls(value)
        if isHTML { return HTMLText.entryText(fromHTML: value, singleParagraph: false) }
        return Self.paragraphsAtBlankLines(value)
    }

    /// `TextNormalizer.paragraphs(blankLineSeparated(s))` in one buffer: each part between
    /// blank lines normalized by `ParagraphBytes` straight after the previous one, empty parts
    /// left out, "\n\n" between the others; no Substring or String per part. Plain-text RSS
    /// descriptions (the class: feeds that write paragraphs as blank-line-separated text) are
    /// the values this runs on.
    static func paragraphsAtBlankLines(_ s: String) -> String {
        var s = s
        return s.withUTF8 { b -> String in
            guard let base = b.baseAddress else { return "" }
            let n = b.count
            var out = [UInt8]()
            out.reserveCapacity(n)
            func part(_ lo: Int, _ hi: Int) {
                let separated = !out.isEmpty
                if separated { out.append(contentsOf: [0x0A, 0x0A]) }
                if !ParagraphBytes.append(UnsafeBufferPointer(rebasing: b[lo..<hi]), to: &out), separated {
                    out.removeLast(2)
                }
            }
            var start = 0
            var lineStart = 0
            // Line by line (`memchr` to each "\n"): a line of nothing but ASCII blanks (not VT:
            // `blankLineSeparated`'s set) ends the part before it.
            while lineStart < n, let hit = memchr(base + lineStart, 0x0A, n - lineStart) {
                let lineEnd = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                var k = lineStart
                while k < lineEnd, b[k] == 0x20 || b[k] == 0x09 || b[k] == 0x0D || b[k] == 0x0C { k += 1 }
                if k == lineEnd, lineStart > start {
                    part(start, lineStart)
                    start = lineEnd + 1
                }
                lineStart = lineEnd + 1
            }
            part(start, n)
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// `TextNormalizer.paragraph(s)`, answered without it when `s` is already normalized text
    /// it would return unchanged: printable ASCII and Latin letters (U+00A1…U+02FF: no spaces,
    /// controls or NFC changes), single spaces between words, none at the ends. Most titles,
    /// ids, links, names and dates are; the scalar-by-scalar normalizer was a twelfth of `parse`.
    static func normalizedParagraph<S: StringProtocol>(_ s: S) -> String {
        if let unchanged = s.utf8.withContiguousStorageIfAvailable(isNormalizedParagraph), unchanged {
            return String(s)
        }
        return TextNormalizer.paragraph(s)
    }

    static func isNormalizedParagraph(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = b.first, let last = b.last, first != 0x20, last != 0x20, let base = b.baseAddress else { return false }
        var previousSpace = false
        var i = 0
        while i < b.count {
            // Eight bytes at a time while they are visible ASCII and single spaces.
            if i + 8 <= b.count {
                let x = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if ASCIIBytes.isPrintableASCII(x) {
                    let spaces = ASCIIBytes.zeroBytes(x ^ 0x2020_2020_2020_2020)
                    if spaces & (spaces << 8) == 0, !(previousSpace && spaces & 0x80 != 0) {
                        previousSpace = spaces >> 63 != 0
                        i += 8
                        continue
                    }
                }
            }
            let c = b[i]
            if c == 0x20 {
                if previousSpace { return false }
                previousSpace = true
                i += 1
                continue
            }
            previousSpace = false
            if c > 0x20, c < 0x7F {
                i += 1
            } else if c == 0xC2, i + 1 < b.count, b[i + 1] >= 0xA1, b[i + 1] <= 0xBF {
                i += 2
            } else if c >= 0xC3, c <= 0xCB, i + 1 < b.count, b[i + 1] & 0xC0 == 0x80 {
                i += 2
            } else {
                return false
            }
        }
        return true
    }

    /// C1 control characters in feed text are almost always windows-1252 punctuation that went
    /// through a Latin-1 decoder (`don\u{92}t` meant `don’t`); read them as windows-1252 would,
    /// as feedparser and browsers do, instead of deleting them as controls.
    static func windows1252Controls(_ s: String) -> String {
        guard s.utf8.withContiguousStorageIfAvailable(containsC1) ?? containsC1(Array(s.utf8)) else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if u.value >= 0x80, u.value <= 0x9F, let mapped = Unicode.Scalar(c1Windows1252[Int(u.value - 0x80)]),
               mapped.value != 0 {
                out.append(mapped)
            } else {
                out.append(u)
            }
        }
        return String(out)
    }

    /// U+0080…U+009F are encoded as C2 80…C2 9F. Runs over every feed value: `memchr` to each
    /// C2 byte (rare outside Latin text), then one look at the next.
    private static func containsC1(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = b.baseAddress else { return false }
        var i = 0
        while i + 1 < b.count, let hit = memchr(base + i, 0xC2, b.count - i - 1) {
            let k = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if b[k + 1] >= 0x80, b[k + 1] <= 0x9F { return true }
            i = k + 1
        }
        return false
    }

    private static func containsC1(_ b: [UInt8]) -> Bool { b.withUnsafeBufferPointer { containsC1($0) } }

    /// windows-1252 for 0x80…0x9F; 0 where it defines nothing (left as is, removed later).
    private static let c1Windows1252: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]

    var isHTML: Bool {
        switch kind {
        case .plain: return false
        case .html: return true
        case .guessTitle: return Self.looksLikeHTML(value)
        case .guessBody: return Self.containsMarkup(value)
        }
    }

    /// Splits plain text at blank lines (a line holding only white space counts as blank).
    /// Works on UTF-8 bytes: line breaks and ASCII white space are single bytes.
    static func blankLineSeparated(_ s: String) -> [Substring] {
        let utf8 = s.utf8
        var parts: [Substring] = []
        var start = utf8.startIndex
        var lineStart = utf8.startIndex
        var lineBlank = true
        var i = utf8.startIndex
        while i < utf8.endIndex {
            let b = utf8[i]
            if b == 0x0A {
                if lineBlank, lineStart > start {
                    parts.append(s[start..<lineStart])
                    start = utf8.index(after: i)
                }
                lineBlank = true
                lineStart = utf8.index(after: i)
            } else if b != 0x20, b != 0x09, b != 0x0D, b != 0x0C {
                lineBlank = false
            }
            i = utf8.index(after: i)
        }
        parts.append(s[start...])
        return parts
    }

    /// Any tag-like `<x`, `</`, `<!` or a character reference `&…;`. On the contiguous UTF-8
    /// of the value, no copy: this runs on every RSS body.
    static func containsMarkup(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { b in
            // `memchr` from one `<` to the next: bodies can be long, and most `<` start a tag.
            guard let base = b.baseAddress else { return false }
            var i = 0
            while i < b.count, let hit = memchr(base + i, Int32(UInt8(ascii: "<")), b.count - i) {
                let k = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                guard k + 1 < b.count else { break }
                let c = b[k + 1]
                if ASCIIBytes.isASCIILetter(c) || c == UInt8(ascii: "/") || c == UInt8(ascii: "!") { return true }
                i = k + 1
            }
            return hasCharacterReference(b)
        }
    }

    /// feedparser's `_looks_like_html`: a closing tag or a reference, and every tag a known element.
    static func looksLikeHTML(_ s: String) -> Bool {
        var s = s
        return s.withUTF8(looksLikeHTML)
    }

    private static func looksLikeHTML(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        // Without a `<` or a `&` (most titles) neither rule can hold.
        guard b.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&") }) else { return false }
        var hasClose = false
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "<") {
                var j = i + 1
                let closing = j < b.count && b[j] == UInt8(ascii: "/")
                if closing { j += 1 }
                let nameStart = j
                while j < b.count, ASCIIBytes.isASCIILetter(b[j]) || (j > nameStart && ASCIIBytes.isDigit(b[j])) { j += 1 }
                if j > nameStart {
                    let name = String(decoding: b[nameStart..<j], as: UTF8.self).lowercased()
                    guard acceptableElements.contains(name) else { return false }
                    if closing, j < b.count, b[j] == UInt8(ascii: ">") { hasClose = true }
                }
                i = j
            } else {
                i += 1
            }
        }
        return hasClose || hasCharacterReference(b)
    }

    /// `&name;`, `&#123;` or `&#x1F;`.
    static func hasCharacterReference(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { hasCharacterReference($0) }
    }

    static func hasCharacterReference(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = b.baseAddress else { return false }
        var i = 0
        // `memchr` from one `&` to the next.
        while i < b.count, let hit = memchr(base + i, Int32(UInt8(ascii: "&")), b.count - i) {
            var j = base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
            if j < b.count, b[j] == UInt8(ascii: "#") { j += 1 }
            let start = j
            while j < b.count, ASCIIBytes.isASCIILetter(b[j]) || ASCIIBytes.isDigit(b[j]) { j += 1 }
            if j > start, j < b.count, b[j] == UInt8(ascii: ";") { return true }
            i = j
        }
        return false
    }

    /// feedparser's sanitizer whitelist, the list `_looks_like_html` checks tags against.
    static let acceptableElements: Set<String> = [
        "a", "abbr", "acronym", "address", "area", "article", "aside", "audio", "b", "big", "blockquote",
        "br", "button", "canvas", "caption", "center", "cite", "code", "col", "colgroup", "command",
        "datagrid", "datalist", "dd", "del", "details", "dfn", "dialog", "dir", "div", "dl", "dt", "em",
        "fieldset", "figcaption", "figure", "font", "footer", "form", "h1", "h2", "h3", "h4", "h5",
        "h6", "header", "hr", "i", "img", "input", "ins", "kbd", "keygen", "label", "legend", "li", "m",
        "map", "menu", "meter", "multicol", "nav", "nextid", "noscript", "ol", "optgroup", "option",
        "output", "p", "pre", "progress", "q", "s", "samp", "section", "select", "small", "sound",
        "source", "spacer", "span", "strike", "strong", "sub", "sup", "table", "tbody", "td",
        "textarea", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul", "var", "video",
    ]
}
