import CLibXML2
import ParserSupport

/// A feed entry's HTML → text in one pass over its bytes, with the text `HTMLStreamRenderer`
/// gets from libxml2's HTML parser; `nil` for input the scan does not reproduce exactly, which
/// then takes the libxml2 path.
///
/// Why: creating a libxml2 parser context per summary and per body, stripping the entry first
/// and libxml2 decoding it a character at a time was a fifth of `feedwatch parse`; entries are
/// written with a small part of HTML, which a byte scan reads the way libxml2 does.
///
/// "The way libxml2 does" is libxml2 2.9's HTML parser in recovery mode, measured on the linked
/// library: blanks before the content skipped; an `<html><head></head><body>` wrapper; text
/// before any element inside an implied `<p>`; names lowercased; a start tag first ends the
/// open elements its start-close table says it ends (`startCloses`, measured for every pair of
/// the scan's tags); an end tag ends the elements above its own unless one of them ranks higher
/// (`endPriority`), and is ignored when its element is not open; `br`, `img`, `hr`, `col` and
/// `<x/>` end at once; `<script>`/`<style>` bodies are raw text up to their end tag; names
/// libxml2 does not know (HTML5's `figure`, MathML, SVG) are plain elements no rule touches;
/// `&name;` from libxml2's own entity table, `&#…` as `htmlParseCharRef` reads it, a `&` or `<`
/// that starts nothing is text. The scan gives up (nil) on comments it cannot delimit,
/// declarations, a misplaced wrapper tag, tags libxml2 knows that are not measured here (forms,
/// `xmp`, `textarea` …), attribute syntax it does not read exactly, references inside the
/// attribute values the renderer reads, and C0 controls (libxml2 drops them; the assembler would
/// read VT and FF as spaces). Rendering is `HTMLStreamRenderer`'s: the same skip, `<pre>` and
/// break rules on the same events.
enum HTMLFastText {
    static func text(_ src: UnsafeBufferPointer<UInt8>, singleParagraph: Bool) -> String? {
        var scan = FastScan(src: src, singleParagraph: singleParagraph)
        guard scan.run() else { return nil }
        return scan.out.finish()
    }
}

private struct FastScan {
    let src: UnsafeBufferPointer<UInt8>
    let singleParagraph: Bool
    var out: TextAssembler
    /// Open elements below `<html><body>`, and whether each is skipped (non-content, hidden).
    var stack: [(tag: HTMLTag, skipped: Bool, id: UInt16)] = []
    /// Elements neither libxml2 nor the renderer know (`<use>` in SVG) are told apart by name:
    /// an id per distinct name, 0 for every other element.
    var unknownNames: [String: UInt16] = [:]
    /// Whether the content has started: `<body>` or any element or text (libxml2's current
    /// element is then neither none, `html` nor `head`, so text implies no `<p>`).
    var started = false
    var sawHTML = false
    var skipDepth = 0
    var renderedPre = 0
    var allPre = 0

    init(src: UnsafeBufferPointer<UInt8>, singleParagraph: Bool) {
        self.src = src
        self.singleParagraph = singleParagraph
        out = TextAssembler(capacity: src.count)
        stack.reserveCapacity(16)
    }

    mutating func run() -> Bool {
        let n = src.count
        var i = 0
        // `htmlParseDocument` skips blanks before the content.
        while i < n, ASCIIBytes.isXMLSpace(src[i]) { i += 1 }
        var textStart = i
        let ones = UInt64(0x0101_0101_0101_0101)
        while i < n {
            // Eight bytes at a time while none is `<`, `&` or a C0 control but tab, LF or CR
            // (text between tags, most of an entry's bytes): the checks below pass over them.
            if i + 8 <= n, let base = src.baseAddress {
                let x = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if !ASCIIBytes.hasControlBesidesLineSpace(x), ASCIIBytes.zeroBytes(x ^ (ones &* 0x3C)) | ASCIIBytes.zeroBytes(x ^ (ones &* 0x26)) == 0 {
                    i += 8
                    continue
                }
            }
            let b = src[i]
            if b == UInt8(ascii: "<") {
                let next = i + 1 < n ? src[i + 1] : 0
                if started, !ASCIIBytes.isASCIILetter(next), next != UInt8(ascii: "/"), next != UInt8(ascii: "!"),
                   next != UInt8(ascii: "?"), next != UInt8(ascii: "_"), next != UInt8(ascii: ":"), next != UInt8(ascii: ".") {
                    i += 1 // a `<` that starts nothing: text
                    continue
                }
                text(textStart, i)
                guard let end = markup(at: i) else { return false }
                if end == n + 1 { return finish() }
                i = end
                textStart = i
            } else if b == UInt8(ascii: "&") {
                switch reference(at: i) {
                case .literal(let end):
                    i = end
                case .scalar(let scalar, let end):
                    text(textStart, i)
                    if let scalar { emit(scalar) }
                    i = end
                    textStart = i
                case .unsure:
                    return false
                }
            } else if b < 0x20, b != 0x09, b != 0x0A, b != 0x0D {
                return false
            } else {
                i += 1
            }
        }
        text(textStart, n)
        return finish()
    }

    private mutating func finish() -> Bool {
        while !stack.isEmpty { close() }
        return true
    }

    /// Character data. Outside any content element it implies `<p>` (`htmlCheckParagraph`),
    /// unless it is blanks before a tag or the end (`areBlanks`: ignorable white space).
    private mutating func text(_ start: Int, _ end: Int) {
        guard end > start else { return }
        if !started {
            if end == src.count || src[end] == UInt8(ascii: "<"),
               UnsafeBufferPointer(rebasing: src[start..<end]).allSatisfy(ASCIIBytes.isXMLSpace) {
                return
            }
            impliedParagraph()
        }
        guard skipDepth == 0 else { return }
        out.append(bytes: UnsafeBufferPointer(rebasing: src[start..<end]), preserve: renderedPre > 0 && !singleParagraph)
    }

    private mutating func impliedParagraph() {
        guard !started else { return }
        started = true
        open(.p, hidden: false)
    }

    // MARK: Markup

    /// The markup at `src[start] == "<"`: the index after it, `src.count + 1` when the document
    /// ends there (`</body>`, `</html>` and nothing but blanks after), nil to fall back.
    private mutating func markup(at start: Int) -> Int? {
        let n = src.count
        var i = start + 1
        guard i < n else { return nil }
        let c = src[i]
        if c == UInt8(ascii: "!") {
            // A comment: no event. `<!-->` and declarations are left to libxml2.
            guard i + 3 < n, src[i + 1] == UInt8(ascii: "-"), src[i + 2] == UInt8(ascii: "-"),
                  src[i + 3] != UInt8(ascii: ">"),
                  !(src[i + 3] == UInt8(ascii: "-") && i + 4 < n && src[i + 4] == UInt8(ascii: ">"))
            else { return nil }
            var j = i + 3
            while j + 2 < n {
                if src[j] == UInt8(ascii: "-"), src[j + 1] == UInt8(ascii: "-"), src[j + 2] == UInt8(ascii: ">") { return j + 3 }
                j += 1
            }
            return nil
        }
        if c == UInt8(ascii: "/") {
            i += 1
            guard let (tag, end, id) = name(at: i) else { return nil }
            i = end
            while i < n, ASCIIBytes.isXMLSpace(src[i]) { i += 1 }
            guard i < n, src[i] == UInt8(ascii: ">") else { return nil }
            i += 1
            switch tag {
            case .body, .html:
                // Only as the document's end.
                var j = i
                while j < n {
                    if ASCIIBytes.isXMLSpace(src[j]) {
                        j += 1
                    } else if let after = Self.wrapperEndTag(src, at: j) {
                        j = after
                    } else {
                        return nil
                    }
                }
                return n + 1
            case .head, .script, .style:
                return nil
            default:
                endTag(tag, id: id)
                return i
            }
        }
        guard let (tag, end, id) = name(at: i) else { return nil }
        i = end
        guard let (afterAttributes, selfClosing, hidden) = attributes(from: i) else { return nil }
        i = afterAttributes
        if hidden, tag == .html || tag == .head || tag == .body { return nil }
        switch tag {
        case .html:
            guard !started, !sawHTML else { return nil }
            sawHTML = true
            return i
        case .head:
            // Only an empty head, before the content.
            guard !started else { return nil }
            if selfClosing { return i }
            var j = i
            while j < n, ASCIIBytes.isXMLSpace(src[j]) { j += 1 }
            guard j + 1 < n, src[j] == UInt8(ascii: "<"), src[j + 1] == UInt8(ascii: "/"),
                  let (endName, afterName, _) = name(at: j + 2), endName == .head else { return nil }
            j = afterName
            while j < n, ASCIIBytes.isXMLSpace(src[j]) { j += 1 }
            guard j < n, src[j] == UInt8(ascii: ">") else { return nil }
            return j + 1
        case .body:
            guard !started else { return nil }
            started = true
            return i
        default:
            break
        }
        // `<script>` (and the other head elements) before the content would imply a `<head>`:
        // left to libxml2.
        if tag == .script || tag == .style || tag == .meta || tag == .link, !started { return nil }
        started = true
        while let top = stack.last, HTMLParserRules.startCloses(tag, top: top.tag) { close() }
        open(tag, hidden: hidden, id: id)
        if HTMLParserRules.isVoid(tag) || selfClosing {
            close()
        } else if tag == .script || tag == .style {
            // Raw text up to `</name` in any case; the end tag must then be exactly that.
            guard let bodyEnd = Self.rawTextEnd(src, from: i, tag: tag) else { return nil }
            close()
            return bodyEnd
        } else {
            guard stack.count < 200 else { return nil } // well below libxml2's depth limit
        }
        return i
    }

    /// `</body>` or `</html>` at `i`: the index after it.
    private static func wrapperEndTag(_ src: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        let n = src.count
        guard start + 2 < n, src[start] == UInt8(ascii: "<"), src[start + 1] == UInt8(ascii: "/") else { return nil }
        var i = start + 2
        let nameStart = i
        while i < n, HTMLParserRules.isNameByte(src[i]) { i += 1 }
        let name = UnsafeBufferPointer(rebasing: src[nameStart..<i])
        guard ASCIIBytes.equals(name, "body") || ASCIIBytes.equals(name, "html") else { return nil }
        while i < n, ASCIIBytes.isXMLSpace(src[i]) { i += 1 }
        guard i < n, src[i] == UInt8(ascii: ">") else { return nil }
        return i + 1
    }

    /// After a `<script>` or `<style>` start tag at `start`: the index after its end tag (the
    /// first `</name` in any case, as `htmlParseScript` reads in recovery mode).
    private static func rawTextEnd(_ src: UnsafeBufferPointer<UInt8>, from start: Int, tag: HTMLTag) -> Int? {
        let word: StaticString = tag == .script ? "script" : "style"
        let w = word.utf8CodeUnitCount
        let n = src.count
        var i = start
        // libxml2's content loop looks for an end tag, and for a start tag that would end the
        // element, before it reads raw text, and again after each character it stops at (C0
        // controls): a body starting with `<` (other than its own end tag) or holding such a
        // character is left to libxml2.
        if i + 1 < n, src[i] == UInt8(ascii: "<"),
           !(src[i + 1] == UInt8(ascii: "/") && i + 2 + w <= n
             && ASCIIBytes.equals(UnsafeBufferPointer(rebasing: src[(i + 2)..<(i + 2 + w)]), word)) {
            return nil
        }
        while i + 2 + w <= n {
            if src[i] < 0x20, src[i] != 0x09, src[i] != 0x0A, src[i] != 0x0D { return nil }
            if src[i] == UInt8(ascii: "<"), src[i + 1] == UInt8(ascii: "/"),
               ASCIIBytes.equals(UnsafeBufferPointer(rebasing: src[(i + 2)..<(i + 2 + w)]), word) {
                var j = i + 2 + w
                if j < n, HTMLParserRules.isNameByte(src[j]) { return nil }
                while j < n, ASCIIBytes.isXMLSpace(src[j]) { j += 1 }
                guard j < n, src[j] == UInt8(ascii: ">") else { return nil }
                return j + 1
            }
            i += 1
        }
        return nil
    }

    /// A start tag's attributes from `start` to its `>`: the index after it, whether it ends in
    /// `/>`, and whether an attribute hides the element (the renderer's `isHidden`).
    private func attributes(from start: Int) -> (Int, Bool, Bool)? {
        let n = src.count
        var i = start
        var hidden = false
        while true {
            while i < n, ASCIIBytes.isXMLSpace(src[i]) { i += 1 }
            guard i < n else { return nil }
            let c = src[i]
            if c == UInt8(ascii: ">") { return (i + 1, false, hidden) }
            if c == UInt8(ascii: "/") {
                guard i + 1 < n, src[i + 1] == UInt8(ascii: ">") else { return nil }
                return (i + 2, true, hidden)
            }
            guard ASCIIBytes.isASCIILetter(c) || c == UInt8(ascii: "_") || c == UInt8(ascii: ":") else { return nil }
            let nameStart = i
            i += 1
            while i < n, HTMLParserRules.isNameByte(src[i]) { i += 1 }
            let attributeName = UnsafeBufferPointer(rebasing: src[nameStart..<i])
            while i < n, ASCIIBytes.isXMLSpace(src[i]) { i += 1 }
            var value = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
            var hasValue = false
            if i < n, src[i] == UInt8(ascii: "=") {
                i += 1
                while i < n, ASCIIBytes.isXMLSpace(src[i]) { i += 1 }
                guard i < n else { return nil }
                let q = src[i]
                if q == UInt8(ascii: "\"") || q == UInt8(ascii: "'") {
                    var j = i + 1
                    while j < n, src[j] != q { j += 1 }
                    guard j < n else { return nil }
                    value = UnsafeBufferPointer(rebasing: src[(i + 1)..<j])
                    i = j + 1
                } else {
                    var j = i
                    while j < n, !ASCIIBytes.isXMLSpace(src[j]), src[j] != UInt8(ascii: ">") { j += 1 }
                    guard j > i else { return nil }
                    value = UnsafeBufferPointer(rebasing: src[i..<j])
                    i = j
                }
                hasValue = true
            }
            guard !hidden, let attribute = HTMLAttributeName(attributeName) else { continue }
            switch attribute {
            case .hidden:
                hidden = true
            case .ariaHidden, .style:
                // libxml2 decodes references in values, and the libxml2 path reads NUL as a
                // space; the scan does neither.
                guard !value.contains(where: { $0 == UInt8(ascii: "&") || $0 < 0x20 }) else { return nil }
                if case .ariaHidden = attribute, hasValue, ASCIIBytes.equals(value, "true") { hidden = true }
                if case .style = attribute, hasValue, HTMLDocument.hidesElement(style: value) { hidden = true }
            case .kept:
                break
            }
        }
    }

    /// `htmlParseEndTag` with `htmlAutoCloseOnClose`: an end tag for no open element is ignored;
    /// one for an element below the top closes the ones above it, unless one of those ranks
    /// higher by libxml2's end priority, which ignores it.
    private mutating func endTag(_ tag: HTMLTag, id: UInt16) {
        guard let index = stack.lastIndex(where: { $0.tag == tag && $0.id == id }) else { return }
        let priority = HTMLParserRules.endPriority(tag)
        for k in (index + 1)..<stack.count where HTMLParserRules.endPriority(stack[k].tag) > priority { return }
        while stack.count > index { close() }
    }

    /// A tag name at `i` (libxml2's `htmlParseHTMLName`: letters, digits, `:-_.`, lowercased),
    /// when the scan can read the element; the tag, the index after the name and the id of a
    /// name nobody knows.
    private mutating func name(at start: Int) -> (HTMLTag, Int, UInt16)? {
        let n = src.count
        guard start < n, ASCIIBytes.isASCIILetter(src[start]) else { return nil }
        var i = start
        var key: UInt64 = 0
        while i < n, HTMLParserRules.isNameByte(src[i]) {
            if i - start < 8 { key = key << 8 | UInt64(ASCIIBytes.lower(src[i])) }
            i += 1
        }
        if i - start <= 8, let tag = HTMLParserRules.commonTag(key) ?? HTMLParserRules.tags[key] { return (tag, i, 0) }
        let raw = UnsafeBufferPointer(rebasing: src[start..<i])
        if ASCIIBytes.equals(raw, "blockquote") { return (.blockquote, i, 0) }
        guard let (tag, name) = Self.otherName(raw) else { return nil }
        guard tag == .unknown else { return (tag, i, 0) }
        if let id = unknownNames[name] { return (tag, i, id) }
        guard unknownNames.count < 1000 else { return nil }
        let id = UInt16(unknownNames.count + 1)
        unknownNames[name] = id
        return (tag, i, id)
    }

    /// A name outside `tags`: an element libxml2 does not know is an element no rule of its
    /// touches (never ended by another's start, never void), rendered by its `HTMLTag`
    /// (`.unknown`: an inline element without effect); with the lowercased name.
    private static func otherName(_ raw: UnsafeBufferPointer<UInt8>) -> (HTMLTag, String)? {
        guard raw.count < 64 else { return nil }
        let name = String(decoding: raw.map(ASCIIBytes.lower), as: UTF8.self)
        let known = name.withCString { htmlTagLookup(UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self)) != nil }
        guard !known else { return nil }
        return (HTMLTag.named(name), name)
    }

    // MARK: Events (`HTMLStreamRenderer`'s rules)

    private mutating func open(_ tag: HTMLTag, hidden: Bool, id: UInt16 = 0) {
        if tag.preservesSpace { allPre += 1 }
        if skipDepth > 0 {
            skipDepth += 1
            stack.append((tag, true, id))
            return
        }
        // Entries render MathML as text (`mathAsText`).
        if (tag.isNonContent && tag != .math) || tag == .nav || hidden {
            if tag.isBlock { paragraphBreak() } else { out.wordBreak() }
            skipDepth = 1
            stack.append((tag, true, id))
            return
        }
        if tag.isBlock {
            paragraphBreak()
        } else if tag == .br {
            if singleParagraph { out.wordBreak() } else { out.lineBreak() }
        } else if tag.separatesWords {
            out.wordBreak()
        }
        if tag.preservesSpace { renderedPre += 1 }
        stack.append((tag, false, id))
    }

    private mutating func close() {
        guard let (tag, skipped, _) = stack.popLast() else { return }
        if tag.preservesSpace { allPre -= 1 }
        if skipped {
            skipDepth -= 1
            return
        }
        if tag.isBlock {
            paragraphBreak()
        } else if tag.separatesWords {
            out.wordBreak()
        }
        if tag.preservesSpace { renderedPre -= 1 }
    }

    private mutating func paragraphBreak() {
        if singleParagraph { out.wordBreak() } else { out.paragraphBreak() }
    }

    // MARK: References

    enum Reference {
        /// Text as written, up to `end`.
        case literal(end: Int)
        /// A decoded character (nil: libxml2 drops the reference), the reference ending at `end`.
        case scalar(Unicode.Scalar?, end: Int)
        case unsure
    }

    /// `&…` at `start` as libxml2's `htmlParseReference` reads it.
    private func reference(at start: Int) -> Reference {
        let n = src.count
        var i = start + 1
        guard i < n else { return .literal(end: i) }
        let c = src[i]
        if c == UInt8(ascii: "#") {
            // `htmlParseCharRef`: digits up to the first other byte, a `;` there is consumed;
            // zero or a value that is no XML character gives nothing.
            i += 1
            let hex = i < n && (src[i] | 0x20) == UInt8(ascii: "x")
            if hex { i += 1 }
            var value: UInt32 = 0
            while i < n {
                let d = src[i]
                var digit: UInt32
                if ASCIIBytes.isDigit(d) {
                    digit = UInt32(d - 0x30)
                } else if hex, case let l = d | 0x20, l >= UInt8(ascii: "a"), l <= UInt8(ascii: "f") {
                    digit = UInt32(l - 0x57)
                } else {
                    break
                }
                if value < 0x110000 { value = value * (hex ? 16 : 10) + digit }
                i += 1
            }
            if i < n, src[i] == UInt8(ascii: ";") { i += 1 }
            return .scalar(HTMLParserRules.isXMLChar(value) ? Unicode.Scalar(value) : nil, end: i)
        }
        // `htmlParseEntityRef`: a name found in the table with its `;` is the character;
        // anything else (no name, no `;`, an unknown name) is passed on as written.
        var plain = true
        while i < n {
            let d = src[i]
            if ASCIIBytes.isASCIILetter(d) || ASCIIBytes.isDigit(d) {
                i += 1
            } else if d == UInt8(ascii: "_") || d == UInt8(ascii: ":") || d == UInt8(ascii: ".") || d == UInt8(ascii: "-") {
                plain = false
                i += 1
            } else {
                break
            }
        }
        if i < n, src[i] >= 0x80 { return .unsure }
        let name = UnsafeBufferPointer(rebasing: src[(start + 1)..<i])
        guard plain, !name.isEmpty, ASCIIBytes.isASCIILetter(name[0]), i < n, src[i] == UInt8(ascii: ";"),
              let value = HTMLParserRules.entity(name), let scalar = Unicode.Scalar(value) else { return .literal(end: i) }
        return .scalar(scalar, end: i + 1)
    }

    private mutating func emit(_ scalar: Unicode.Scalar) {
        impliedParagraph()
        guard skipDepth == 0 else { return }
        var buffer: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        let preserve = renderedPre > 0 && !singleParagraph
        withUnsafeMutableBytes(of: &buffer) { raw in
            var k = 0
            for unit in UTF8.encode(scalar)! {
                raw[k] = unit
                k += 1
            }
            out.append(UnsafeRawBufferPointer(rebasing: raw[0..<k]), preserve: preserve)
        }
    }
}
