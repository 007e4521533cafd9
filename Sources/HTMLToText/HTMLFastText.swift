import CLibXML2
import ParserSupport

/// A feed entry's HTML → text in one pass over its bytes, for the markup entries mostly hold
/// (paragraphs, lists, headings, links, emphasis, images, line breaks, character references),
/// with the same text `HTMLStreamRenderer` gets from libxml2's HTML parser; `nil` for anything
/// else, which then takes the libxml2 path.
///
/// Why: creating a libxml2 parser context per summary and per body, and libxml2 decoding the
/// entry a character at a time, was a fifth of `feedwatch parse`; most entries are simple
/// enough that a byte scan gives the same events.
///
/// "The same events" is libxml2 2.9's HTML parser on this subset: leading blanks skipped; text
/// before any element inside an implied `<p>`; tag and attribute names lowercased; a start tag
/// first closes the open element it ends by libxml2's start-close table (`startCloses`, measured
/// on the linked libxml2 for every pair of the tags below); void elements and `<x/>` end at once;
/// `&name;` by libxml2's own entity table. Anything the scan does not reproduce exactly gives
/// `nil`: comments, declarations, `<` not starting a tag, tags outside the list (tables, forms,
/// scripts, `<pre>`, MathML …), an end tag that is not the open element's, attributes it cannot
/// read or that hide the element, references libxml2 would not decode, C0 controls libxml2
/// drops (the assembler would read VT and FF as spaces).
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
    /// Open elements below the implied `<html><body>`.
    var stack: [HTMLTag] = []
    /// Whether any element, implied or not, was opened (libxml2's `ctxt->name != NULL`).
    var started = false

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
        while i < n {
            let b = src[i]
            if b == UInt8(ascii: "<") {
                text(textStart, i)
                guard let next = tag(at: i) else { return false }
                i = next
                textStart = i
            } else if b == UInt8(ascii: "&") {
                text(textStart, i)
                guard let next = reference(at: i) else { return false }
                i = next
                textStart = i
            } else if b < 0x20, b != 0x09, b != 0x0A, b != 0x0D {
                return false
            } else {
                i += 1
            }
        }
        text(textStart, n)
        while let top = stack.popLast() { closed(top) }
        return true
    }

    /// Character data: the first outside any element implies `<p>` (`htmlCheckParagraph`).
    private mutating func text(_ start: Int, _ end: Int) {
        guard end > start else { return }
        impliedParagraph()
        out.append(UnsafeBufferPointer(rebasing: src[start..<end]))
    }

    private mutating func impliedParagraph() {
        guard !started else { return }
        started = true
        stack.append(.p)
        opened(.p)
    }

    // MARK: Tags

    /// The tag at `src[i] == "<"`; the index after it, or nil to fall back.
    private mutating func tag(at start: Int) -> Int? {
        let n = src.count
        var i = start + 1
        guard i < n else { return nil }
        if src[i] == UInt8(ascii: "/") {
            i += 1
            guard let (tag, end) = name(at: i) else { return nil }
            i = end
            while i < n, ASCIIBytes.isXMLSpace(src[i]) { i += 1 }
            guard i < n, src[i] == UInt8(ascii: ">") else { return nil }
            endTag(tag)
            return i + 1
        }
        guard let (tag, end) = name(at: i) else { return nil }
        i = end
        var selfClosing = false
        // Attributes: only whether they hide the element matters.
        while true {
            while i < n, ASCIIBytes.isXMLSpace(src[i]) { i += 1 }
            guard i < n else { return nil }
            let c = src[i]
            if c == UInt8(ascii: ">") { i += 1; break }
            if c == UInt8(ascii: "/") {
                guard i + 1 < n, src[i + 1] == UInt8(ascii: ">") else { return nil }
                selfClosing = true
                i += 2
                break
            }
            guard ASCIIBytes.isASCIILetter(c) || c == UInt8(ascii: "_") || c == UInt8(ascii: ":") else { return nil }
            let nameStart = i
            i += 1
            while i < n, Self.isNameByte(src[i]) { i += 1 }
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
            if let attribute = HTMLAttributeName(attributeName) {
                switch attribute {
                case .hidden: return nil
                case .ariaHidden, .style:
                    // libxml2 decodes references in values; the scan does not.
                    guard hasValue, !value.contains(UInt8(ascii: "&")) else { return nil }
                    if case .ariaHidden = attribute, ASCIIBytes.equals(value, "true") { return nil }
                    if case .style = attribute, HTMLDocument.hidesElement(style: value) { return nil }
                case .kept: break
                }
            }
        }
        started = true
        while let top = stack.last, Self.startCloses(tag, top: top) {
            stack.removeLast()
            closed(top)
        }
        opened(tag)
        if Self.isVoid(tag) || selfClosing {
            closed(tag)
        } else {
            guard stack.count < 200 else { return nil }
            stack.append(tag)
        }
        return i
    }

    /// `htmlParseEndTag` with `htmlAutoCloseOnClose`: an end tag for no open element is ignored;
    /// one for an element below the top closes the ones above it, unless one of those ranks
    /// higher by libxml2's end priority (`div` over the scan's other tags), which ignores it.
    private mutating func endTag(_ tag: HTMLTag) {
        guard let index = stack.lastIndex(of: tag) else { return }
        let priority = Self.endPriority(tag)
        for k in (index + 1)..<stack.count where Self.endPriority(stack[k]) > priority { return }
        while stack.count > index {
            closed(stack.removeLast())
        }
    }

    private static func endPriority(_ tag: HTMLTag) -> Int { tag == .div ? 150 : 100 }

    /// A tag name at `i` (libxml2's `htmlParseHTMLName`: letters, digits, `:-_.`, lowercased),
    /// when it is one of the scan's tags; the tag and the index after the name.
    private func name(at start: Int) -> (HTMLTag, Int)? {
        let n = src.count
        guard start < n, ASCIIBytes.isASCIILetter(src[start]) else { return nil }
        var i = start
        var key: UInt64 = 0
        while i < n, Self.isNameByte(src[i]) {
            guard i - start < 8 else { return Self.longName(src, start, &i) }
            key = key << 8 | UInt64(ASCIIBytes.lower(src[i]))
            i += 1
        }
        guard let tag = Self.tags[key] else { return nil }
        return (tag, i)
    }

    /// Names of nine bytes or more: only `blockquote` and `figcaption` are in the list.
    private static func longName(_ src: UnsafeBufferPointer<UInt8>, _ start: Int, _ i: inout Int) -> (HTMLTag, Int)? {
        let n = src.count
        while i < n, isNameByte(src[i]) { i += 1 }
        let name = UnsafeBufferPointer(rebasing: src[start..<i])
        if ASCIIBytes.equals(name, "blockquote") { return (.blockquote, i) }
        if ASCIIBytes.equals(name, "figcaption") { return (.figcaption, i) }
        return nil
    }

    @inline(__always)
    private static func isNameByte(_ b: UInt8) -> Bool {
        ASCIIBytes.isASCIILetter(b) || ASCIIBytes.isDigit(b) || b == UInt8(ascii: ":") || b == UInt8(ascii: "-")
            || b == UInt8(ascii: "_") || b == UInt8(ascii: ".")
    }

    /// The tags the scan reads, by their name packed into a `UInt64` (at most eight bytes).
    private static let tags: [UInt64: HTMLTag] = {
        let list: [HTMLTag] = [
            .a, .abbr, .b, .bdi, .bdo, .cite, .code, .data, .dfn, .em, .i, .kbd, .mark, .q, .s, .samp, .small,
            .span, .strong, .sub, .sup, .time, .u, .var, .font, .del, .ins, .tt, .big, .strike, .nobr,
            .br, .wbr, .img, .hr, .p, .div, .ol, .ul, .li, .dl, .dt, .dd, .figure, .main, .article,
            .section, .aside, .header, .footer, .address, .h1, .h2, .h3, .h4, .h5, .h6, .center,
        ]
        var table = [UInt64: HTMLTag]()
        for tag in list {
            var key: UInt64 = 0
            for b in String(describing: tag).utf8 { key = key << 8 | UInt64(b) }
            table[key] = tag
        }
        return table
    }()

    private static func isVoid(_ tag: HTMLTag) -> Bool {
        tag == .br || tag == .wbr || tag == .img || tag == .hr
    }

    /// libxml2 2.9's `htmlStartClose` on the scan's tags: whether starting `tag` first ends the
    /// open element `top` (measured: `<top>x<tag>` gives `</top>` before `<tag>`).
    private static func startCloses(_ tag: HTMLTag, top: HTMLTag) -> Bool {
        switch top {
        case .p:
            switch tag {
            case .hr, .p, .div, .blockquote, .ol, .ul, .li, .dl, .dt, .dd, .address,
                 .h1, .h2, .h3, .h4, .h5, .h6, .center:
                return true
            default: return false
            }
        case .li: return tag == .li
        case .a: return tag == .a
        case .b, .i: return tag == .p || tag == .center
        case .big, .s, .small, .strike, .tt, .u: return tag == .p
        case .font: return tag == .center
        case .h1, .h2, .h3, .h4, .h5, .h6: return tag == .p || tag == .li
        case .dd: return tag == .dt
        case .dt: return tag == .dl || tag == .dd
        case .dl: return tag == .li
        case .ol: return tag == .ul
        case .ul: return tag == .ol || tag == .address
        case .address: return tag == .ul || tag == .li || tag == .dl || tag == .dt || tag == .dd
        default: return false
        }
    }

    // MARK: Events (`HTMLStreamRenderer`'s rules, nothing skipped, no `<pre>`)

    private mutating func opened(_ tag: HTMLTag) {
        if tag.isBlock {
            if singleParagraph { out.wordBreak() } else { out.paragraphBreak() }
        } else if tag == .br {
            if singleParagraph { out.wordBreak() } else { out.lineBreak() }
        } else if tag.separatesWords {
            out.wordBreak()
        }
    }

    private mutating func closed(_ tag: HTMLTag) {
        if tag.isBlock {
            if singleParagraph { out.wordBreak() } else { out.paragraphBreak() }
        } else if tag.separatesWords {
            out.wordBreak()
        }
    }

    // MARK: References

    /// `&…` at `start`, decoded as libxml2's `htmlParseReference` would; nil to fall back.
    private mutating func reference(at start: Int) -> Int? {
        let n = src.count
        var i = start + 1
        guard i < n else { return nil }
        let c = src[i]
        if c == UInt8(ascii: "#") {
            i += 1
            let hex = i < n && (src[i] | 0x20) == UInt8(ascii: "x")
            if hex { i += 1 }
            let digitsStart = i
            var value: UInt32 = 0
            while i < n, i - digitsStart < 7 {
                let d = src[i]
                if ASCIIBytes.isDigit(d) {
                    value = value * (hex ? 16 : 10) + UInt32(d - 0x30)
                } else if hex, case let l = d | 0x20, l >= UInt8(ascii: "a"), l <= UInt8(ascii: "f") {
                    value = value * 16 + UInt32(l - 0x57)
                } else {
                    break
                }
                i += 1
            }
            guard i > digitsStart, i < n, src[i] == UInt8(ascii: ";"), Self.isXMLChar(value),
                  let scalar = Unicode.Scalar(value) else { return nil }
            emit(scalar)
            return i + 1
        }
        if c < 0x80, !ASCIIBytes.isASCIILetter(c), c != UInt8(ascii: "_"), c != UInt8(ascii: ":") {
            // No name: libxml2 passes the `&` on as text.
            impliedParagraph()
            out.append(CollectionOfOne(UInt8(ascii: "&")))
            return i
        }
        guard ASCIIBytes.isASCIILetter(c) else { return nil }
        let nameStart = i
        while i < n, i - nameStart < 32, ASCIIBytes.isASCIILetter(src[i]) || ASCIIBytes.isDigit(src[i]) { i += 1 }
        guard i < n, src[i] == UInt8(ascii: ";") else { return nil }
        guard let value = Self.entity(UnsafeBufferPointer(rebasing: src[nameStart..<i])),
              let scalar = Unicode.Scalar(value) else { return nil }
        emit(scalar)
        return i + 1
    }

    private mutating func emit(_ scalar: Unicode.Scalar) {
        impliedParagraph()
        var buffer: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &buffer) { raw in
            var k = 0
            for unit in UTF8.encode(scalar)! {
                raw[k] = unit
                k += 1
            }
            out.append(UnsafeRawBufferPointer(rebasing: raw[0..<k]))
        }
    }

    /// XML's `Char`: what libxml2 accepts from a numeric reference.
    private static func isXMLChar(_ v: UInt32) -> Bool {
        v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD)
            || (v >= 0x10000 && v <= 0x10FFFF)
    }

    /// libxml2's HTML 4 entity table (`htmlEntityLookup`), the common names answered first.
    private static func entity(_ name: UnsafeBufferPointer<UInt8>) -> UInt32? {
        switch name.count {
        case 2:
            if name[0] == UInt8(ascii: "l"), name[1] == UInt8(ascii: "t") { return 0x3C }
            if name[0] == UInt8(ascii: "g"), name[1] == UInt8(ascii: "t") { return 0x3E }
        case 3:
            if name[0] == UInt8(ascii: "a"), name[1] == UInt8(ascii: "m"), name[2] == UInt8(ascii: "p") { return 0x26 }
        default: break
        }
        return withUnsafeTemporaryAllocation(of: xmlChar.self, capacity: name.count + 1) { buffer in
            for k in 0..<name.count { buffer[k] = name[k] }
            buffer[name.count] = 0
            guard let found = htmlEntityLookup(buffer.baseAddress), found.pointee.value > 0 else { return nil }
            return UInt32(found.pointee.value)
        }
    }
}
