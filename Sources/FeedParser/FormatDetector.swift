import FeedModel
import ParserSupport
/// Guesses the format of an input from its first bytes (SPEC §4: from content, not only the file
/// name). Looks at what a human would: a JSON object, the XML root element, HTML markup, else text.
enum FormatDetector {
    /// `bytes` are UTF-8 (after charset conversion). The file name only breaks ties.
    ///
    /// The whole prolog is read, however long: feeds with long comments or DTDs before the root
    /// exist, and reading up to the root element costs no more than the prolog itself. Text that
    /// does not start with `<` or `{` is decided at its first byte.
    static func detect(_ bytes: [UInt8], fileName: String?) -> InputFormat {
        let head = bytes[...]
        var i = head.startIndex
        while i < head.endIndex, isSpaceOrBOM(head, i) { i += head[i] == 0xEF ? 3 : 1 }
        guard i < head.endIndex else { return .text }

        if head[i] == UInt8(ascii: "{") {
            return .jsonfeed
        }
        if head[i] == UInt8(ascii: "<"), let root = firstElementName(head, from: i) {
            let name = root.lowercased()
            switch name {
            case "rss", "channel": return .rss
            case "rdf:rdf", "rdf": return .rdf
            case "feed": return .atom
            case "html", "head", "body":
                return wrapsAtomFeed(head) ? .atom : .html
            default:
                if root.hasSuffix(":rss") { return .rss }
                if root.hasSuffix(":feed") { return .atom }
                if root.hasSuffix(":rdf") { return .rdf }
                if root.hasSuffix(":html") { return wrapsAtomFeed(head) ? .atom : .html }
                // XML whose root is no HTML element (`<note>`, `<x:doc>`) is no page: the XML
                // reader takes it, and refuses it unless a feed element is inside.
                return htmlElements.contains(name) ? .html : .rss
            }
        }
        if let fileName = fileName?.lowercased() {
            if fileName.hasSuffix(".html") || fileName.hasSuffix(".htm") { return .html }
        }
        return .text
    }

    /// An Atom feed served inside an XHTML page (`<html xmlns="http://www.w3.org/1999/xhtml">
    /// … <feed xmlns="http://www.w3.org/2005/Atom">`): the feed element and the Atom namespace
    /// both appear in the window.
    static func wrapsAtomFeed(_ head: ArraySlice<UInt8>) -> Bool {
        contains(head, "http://www.w3.org/2005/Atom") && (contains(head, "<feed") || contains(head, ":feed"))
    }

    private static func contains(_ b: ArraySlice<UInt8>, _ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        let needle = UnsafeBufferPointer(start: s.utf8Start, count: n)
        guard b.count >= n else { return false }
        var i = b.startIndex
        while i + n <= b.endIndex {
            if b[i] == needle[0], b[i..<(i + n)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }

    /// HTML element names (HTML Living Standard plus the obsolete ones pages still start with).
    static let htmlElements: Set<String> = [
        "a", "abbr", "acronym", "address", "applet", "area", "article", "aside", "audio", "b", "base", "basefont",
        "bdi", "bdo", "big", "blink", "blockquote", "br", "button", "canvas", "caption", "center", "cite", "code",
        "col", "colgroup", "data", "datalist", "dd", "del", "details", "dfn", "dialog", "dir", "div", "dl", "dt",
        "em", "embed", "fieldset", "figcaption", "figure", "font", "footer", "form", "frame", "frameset", "h1",
        "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "i", "iframe", "img", "input", "ins", "kbd",
        "label", "legend", "li", "link", "main", "map", "mark", "marquee", "menu", "meta", "meter", "nav",
        "nobr", "noframes", "noscript", "object", "ol", "optgroup", "option", "output", "p", "param", "picture",
        "pre", "progress", "q", "rp", "rt", "ruby", "s", "samp", "script", "search", "section", "select",
        "slot", "small", "source", "span", "strike", "strong", "style", "sub", "summary", "sup", "svg", "table",
        "tbody", "td", "template", "textarea", "tfoot", "th", "thead", "time", "title", "tr", "track", "tt",
        "u", "ul", "var", "video", "wbr", "math",
    ]

    private static func isSpaceOrBOM(_ b: ArraySlice<UInt8>, _ i: Int) -> Bool {
        if ASCIIBytes.isXMLSpace(b[i]) { return true }
        return b[i] == 0xEF && i + 2 < b.endIndex && b[i + 1] == 0xBB && b[i + 2] == 0xBF
    }

    /// The name of the first element, skipping the XML declaration, processing instructions,
    /// comments and the DOCTYPE (an HTML doctype answers "html" at once).
    static func firstElementName(_ b: ArraySlice<UInt8>, from start: Int) -> String? {
        var i = start
        while i < b.endIndex {
            guard b[i] == UInt8(ascii: "<") else { i += 1; continue }
            let next = i + 1 < b.endIndex ? b[i + 1] : 0
            if next == UInt8(ascii: "?") {
                i = skip(past: Array("?>".utf8), in: b, from: i + 2)
            } else if next == UInt8(ascii: "!") {
                if starts(b, at: i, with: "<!--") {
                    i = skip(past: Array("-->".utf8), in: b, from: i + 4)
                } else {
                    if starts(b, at: i, with: "<!doctype html") { return "html" }
                    i = skipDoctype(b, from: i + 2)
                }
            } else {
                var j = i + 1
                while j < b.endIndex, !isNameEnd(b[j]) { j += 1 }
                guard j > i + 1 else { return nil }
                return String(decoding: b[(i + 1)..<j], as: UTF8.self)
            }
        }
        return nil
    }

    private static func isNameEnd(_ c: UInt8) -> Bool {
        ASCIIBytes.isXMLSpace(c) || c == UInt8(ascii: ">") || c == UInt8(ascii: "/")
    }

    private static func starts(_ b: ArraySlice<UInt8>, at i: Int, with s: String) -> Bool {
        var j = i
        for c in s.utf8 {
            guard j < b.endIndex else { return false }
            let x = b[j] >= 0x41 && b[j] <= 0x5A ? b[j] | 0x20 : b[j]
            if x != c { return false }
            j += 1
        }
        return true
    }

    private static func skip(past end: [UInt8], in b: ArraySlice<UInt8>, from i: Int) -> Int {
        var j = i
        while j + end.count <= b.endIndex {
            if b[j..<(j + end.count)].elementsEqual(end) { return j + end.count }
            j += 1
        }
        return b.endIndex
    }

    /// A DOCTYPE may carry an internal subset in brackets, which may contain `>`.
    private static func skipDoctype(_ b: ArraySlice<UInt8>, from i: Int) -> Int {
        var j = i
        var bracket = 0
        while j < b.endIndex {
            switch b[j] {
            case UInt8(ascii: "["): bracket += 1
            case UInt8(ascii: "]"): bracket -= 1
            case UInt8(ascii: ">") where bracket <= 0: return j + 1
            default: break
            }
            j += 1
        }
        return j
    }

    /// Binary data, not text: NUL bytes, or many control bytes, in the first 8 KB of what should be
    /// UTF-8 (UTF-16/32 are converted before this is asked).
    static func looksBinary(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { all in
            let head = UnsafeBufferPointer(rebasing: all.prefix(8192))
            guard let base = head.baseAddress else { return false }
            var controls = 0
            var i = 0
            while i < head.count {
                // Eight bytes at a time while none is a control (tab, LF and CR aside).
                if i + 8 <= head.count,
                   !ASCIIBytes.hasControlBesidesLineSpace(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) {
                    i += 8
                    continue
                }
                let b = head[i]
                if b == 0 { return true }
                if b < 0x20, b != 0x09, b != 0x0A, b != 0x0D, b != 0x0C { controls += 1 }
                i += 1
            }
            return controls * 10 > head.count
        }
    }
}
