import Glibc

/// One attribute as `XMLFastReader` found it: offsets into the document (names) and into the
/// reader's value buffer (the value, in the form libxml2 hands to SAX: `&#38;` for an escaped `&`).
struct ScannedAttribute {
    var qnameStart: Int
    var localStart: Int
    var localCount: Int
    var namespace: XMLNamespace
    var valueStart: Int
    var valueCount: Int
}

/// A reader for the XML that feeds almost always are, in one pass over the bytes: namespace-
/// well-formed UTF-8 with no DOCTYPE, whose names are ASCII. It hands `XMLSAXDriver`'s sink the
/// same events and the same text libxml2's push parser would, without libxml2's per-event
/// callbacks (escaped HTML calls `characters` twice per tag) or `XMLRepair`'s separate pass.
///
/// Exactly libxml2's: text and attribute values with references decoded, line ends normalized
/// (`\r\n`, `\r` → `\n`; in attribute values whitespace → space), CDATA passed raw, comments
/// and processing instructions skipped, `XMLRepair`'s two fixes (a bare `&` is text, `&#X41;`
/// is `&#x41;`), the `&#38;` libxml2 leaves for `&amp;` in attribute values, HTML named entities.
///
/// It declines (returns false) at the first thing it does not take exactly as libxml2 would:
/// anything libxml2 reports as an error, a DOCTYPE, non-ASCII names, an undeclared prefix or
/// entity, a namespace name `xmlParseURI` might refuse, nesting deeper than 200, one token
/// (value, comment, section) over 1 MB, a byte-order mark. Declining is never wrong, only
/// slower: `XMLSAXDriver.parse` then runs libxml2 from the start. `XMLFastReaderTests` holds the
/// two readers' events against each other on the corpora and on random documents.
struct XMLFastReader {
    private let p: UnsafePointer<UInt8>
    private let n: Int
    private let document: UnsafeBufferPointer<UInt8>
    private let driver: XMLSAXDriver
    private let state: UnsafeMutablePointer<XMLSAXDriver.CallbackState>
    private var i = 0

    /// In-scope `xmlns` declarations, innermost last; the default namespace has an empty prefix.
    private struct Binding {
        var prefixStart: Int
        var prefixCount: Int
        var namespace: XMLNamespace
    }
    private var bindings: [Binding] = []

    private struct OpenElement {
        var qnameStart: Int
        var qnameCount: Int
        var bindingsBefore: Int
        var name: XMLName
    }
    private var open: [OpenElement] = []
    private var attributes: [ScannedAttribute] = []
    private var values: [UInt8] = []

    /// Element names by namespace and raw local name, direct-mapped: a feed uses a few dozen.
    private var nameCache = [(namespace: XMLNamespace, local: [UInt8], name: XMLName)?](repeating: nil, count: 64)

    static let maxDepth = 200
    static let maxToken = 1 << 20

    private init(_ document: UnsafeBufferPointer<UInt8>, driver: XMLSAXDriver) {
        self.document = document
        p = document.baseAddress!
        n = document.count
        self.driver = driver
        state = driver.state
    }

    /// True when the whole document was read and its events delivered.
    static func read(_ document: UnsafeBufferPointer<UInt8>, driver: XMLSAXDriver) -> Bool {
        guard document.count > 0, document.baseAddress != nil else { return false }
        var reader = XMLFastReader(document, driver: driver)
        return reader.readDocument()
    }

    /// Where the reader gave up on a document (nil when it read it): for tests and tuning.
    static func declineOffset(_ document: UnsafeBufferPointer<UInt8>, driver: XMLSAXDriver) -> Int? {
        guard document.count > 0, document.baseAddress != nil else { return 0 }
        var reader = XMLFastReader(document, driver: driver)
        return reader.readDocument() ? nil : reader.i
    }

    private mutating func readDocument() -> Bool {
        if p[0] == 0xEF { return false } // a byte-order mark (or a stray byte): libxml2's business
        if startsWith("<?xml"), i + 5 < n, isSpace(p[i + 5]) {
            guard xmlDeclaration() else { return false }
        }
        // Prolog: whitespace, comments, processing instructions, then the root element.
        while true {
            skipSpace()
            guard i + 1 < n, p[i] == UInt8(ascii: "<") else { return false }
            if p[i + 1] == UInt8(ascii: "?") {
                guard processingInstruction() else { return false }
            } else if p[i + 1] == UInt8(ascii: "!") {
                guard startsWith("<!--"), comment() else { return false }
            } else {
                break
            }
        }
        guard startTag() else { return false }
        while !open.isEmpty {
            guard text(), i + 1 < n else { return false }
            switch p[i + 1] {
            case UInt8(ascii: "/"):
                guard endTag() else { return false }
            case UInt8(ascii: "!"):
                if startsWith("<!--") {
                    guard comment() else { return false }
                } else if startsWith("<![CDATA[") {
                    guard cdata() else { return false }
                } else {
                    return false
                }
            case UInt8(ascii: "?"):
                guard processingInstruction() else { return false }
            default:
                guard startTag() else { return false }
            }
        }
        // Epilog: whitespace, comments, processing instructions.
        while true {
            skipSpace()
            if i == n { return true }
            guard i + 1 < n, p[i] == UInt8(ascii: "<") else { return false }
            if p[i + 1] == UInt8(ascii: "?") {
                guard processingInstruction() else { return false }
            } else {
                guard startsWith("<!--"), comment() else { return false }
            }
        }
    }

    // MARK: Text

    /// Character data up to the next `<` (or the end), delivered to the driver's text buffer
    /// when the sink collects text, and checked either way.
    private mutating func text() -> Bool {
        let capture = state.pointee.captureText
        var start = i
        while true {
            i = plainEnd(from: i, UInt8(ascii: "<"), UInt8(ascii: "&"), UInt8(ascii: "]"))
            guard i < n else { break }
            let b = p[i]
            if b == UInt8(ascii: "<") { break }
            if b == UInt8(ascii: "&") {
                if capture { deliver(start, i) }
                guard reference(capture: capture) else { return false }
                start = i
            } else if b == UInt8(ascii: "]") {
                if i + 2 < n, p[i + 1] == UInt8(ascii: "]"), p[i + 2] == UInt8(ascii: ">") { return false }
                i += 1
            } else if b == 0x0A || b == 0x09 {
                i += 1
            } else if b == 0x0D {
                if capture {
                    deliver(start, i)
                    deliver(Self.newline)
                }
                i += 1
                if i < n, p[i] == 0x0A { i += 1 }
                start = i
            } else if b >= 0x80 {
                guard let length = characterLength(at: i) else { return false }
                i += length
            } else {
                return false
            }
        }
        if capture { deliver(start, i) }
        return true
    }

    /// The first index at or after `from` whose byte is not printable ASCII, or is `a`, `b` or
    /// `c`: eight bytes at a time (feed text is long runs of plain ASCII between few stops).
    /// Each test below flags its first matching byte exactly (borrows only flag bytes above a
    /// true match), so the lowest flagged byte of all of them is the first stop.
    @inline(__always)
    private func plainEnd(from: Int, _ a: UInt8, _ b: UInt8, _ c: UInt8, limit: Int? = nil) -> Int {
        let n = limit ?? self.n
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let raw = UnsafeRawPointer(p)
        var k = from
        while k + 8 <= n {
            let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: k, as: UInt64.self))
            let xa = w ^ (ones &* UInt64(a)), xb = w ^ (ones &* UInt64(b)), xc = w ^ (ones &* UInt64(c))
            let below = (w &- ones &* 0x20) & ~w
            let stops = (w | below | ((xa &- ones) & ~xa) | ((xb &- ones) & ~xb) | ((xc &- ones) & ~xc)) & highs
            if stops != 0 { return k + stops.trailingZeroBitCount >> 3 }
            k += 8
        }
        while k < n {
            let v = p[k]
            if v < 0x20 || v >= 0x80 || v == a || v == b || v == c { return k }
            k += 1
        }
        return n
    }

    private static let newline: StaticString = "\n"
    private static let lessThan: StaticString = "<"
    private static let greaterThan: StaticString = ">"

    @inline(__always)
    private func deliver(_ start: Int, _ end: Int) {
        guard end > start else { return }
        deliver(UnsafeBufferPointer(start: p + start, count: end - start))
    }

    @inline(__always)
    private func deliver(_ s: StaticString) {
        deliver(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// What libxml2's `characters` callback does with one run (`XMLSAXDriver.run`).
    private func deliver(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard state.pointee.captureText, !bytes.isEmpty else { return }
        if state.pointee.escapeText {
            XMLSAXDriver.appendEscaped(bytes, to: &state.pointee.text)
        } else {
            state.pointee.text.append(contentsOf: bytes)
        }
    }

    /// A reference in text at `i` (an `&`): decoded and delivered; a bare `&` (no reference by
    /// `XMLRepair`'s measure) is the character `&`. False for what libxml2 would not expand.
    private mutating func reference(capture: Bool) -> Bool {
        // `&lt;` and `&gt;`: escaped HTML is mostly these.
        if i + 3 < n, p[i + 3] == UInt8(ascii: ";"), p[i + 2] == UInt8(ascii: "t"),
           p[i + 1] == UInt8(ascii: "l") || p[i + 1] == UInt8(ascii: "g") {
            if capture { deliver(p[i + 1] == UInt8(ascii: "l") ? Self.lessThan : Self.greaterThan) }
            i += 4
            return true
        }
        guard let length = XMLRepair.referenceLength(document, at: i, upperX: true) else {
            if capture { deliver(i, i + 1) }
            i += 1
            return true
        }
        let body = UnsafeBufferPointer(start: p + i + 1, count: length - 2)
        i += length
        if body[0] == UInt8(ascii: "#") {
            guard let scalar = Self.characterReference(body) else { return false }
            if capture {
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4) { buffer in
                    var count = 0
                    for unit in UTF8.encode(scalar)! {
                        buffer[count] = unit
                        count += 1
                    }
                    deliver(UnsafeBufferPointer(rebasing: buffer[..<count]))
                }
            }
            return true
        }
        if let predefined = Self.predefined(body) {
            if capture { deliver(predefined) }
            return true
        }
        guard let html = XMLSAXDriver.htmlEntityText(body) else { return false }
        if capture { deliver(html) }
        return true
    }

    /// `amp`, `lt`, `gt`, `quot`, `apos`.
    private static func predefined(_ name: UnsafeBufferPointer<UInt8>) -> StaticString? {
        switch name.count {
        case 2:
            if name[1] != UInt8(ascii: "t") { return nil }
            if name[0] == UInt8(ascii: "l") { return "<" }
            if name[0] == UInt8(ascii: "g") { return ">" }
        case 3:
            if name[0] == UInt8(ascii: "a"), name[1] == UInt8(ascii: "m"), name[2] == UInt8(ascii: "p") { return "&" }
        case 4:
            if name.elementsEqual("quot".utf8) { return "\"" }
            if name.elementsEqual("apos".utf8) { return "'" }
        default:
            break
        }
        return nil
    }

    /// `#123` or `#x1F` (`#X1F` after `XMLRepair`'s fix): the character, when it is one XML allows
    /// (libxml2's `xmlParseCharRef` refuses the rest, and clamps values past U+10FFFF).
    private static func characterReference(_ body: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar? {
        var value: UInt32 = 0
        if body.count > 1, body[1] | 0x20 == UInt8(ascii: "x") {
            for b in body[2...] {
                let digit = b <= 0x39 ? b &- 0x30 : (b | 0x20) &- 0x61 &+ 10
                value = min(value &* 16 &+ UInt32(digit), 0x110000)
            }
        } else {
            for b in body[1...] { value = min(value &* 10 &+ UInt32(b &- 0x30), 0x110000) }
        }
        guard isXMLCharacter(value) else { return nil }
        return Unicode.Scalar(value)
    }

    @inline(__always)
    private static func isXMLCharacter(_ c: UInt32) -> Bool {
        c >= 0x20 ? (c <= 0xD7FF || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF))
            : (c == 0x09 || c == 0x0A || c == 0x0D)
    }

    /// The length of the UTF-8 sequence at `at` when it is well-formed and an XML character
    /// (libxml2 refuses overlong forms, surrogates, U+FFFE and U+FFFF).
    private func characterLength(at: Int) -> Int? {
        let b0 = p[at]
        @inline(__always) func continuation(_ k: Int) -> UInt32? {
            guard at + k < n else { return nil }
            let b = p[at + k]
            return b & 0xC0 == 0x80 ? UInt32(b & 0x3F) : nil
        }
        switch b0 {
        case 0xC2...0xDF:
            return continuation(1) != nil ? 2 : nil
        case 0xE0...0xEF:
            guard let c1 = continuation(1), let c2 = continuation(2) else { return nil }
            let c = UInt32(b0 & 0x0F) << 12 | c1 << 6 | c2
            return c >= 0x800 && Self.isXMLCharacter(c) ? 3 : nil
        case 0xF0...0xF4:
            guard let c1 = continuation(1), let c2 = continuation(2), let c3 = continuation(3) else { return nil }
            let c = UInt32(b0 & 0x07) << 18 | c1 << 12 | c2 << 6 | c3
            return c >= 0x10000 && c <= 0x10FFFF ? 4 : nil
        default:
            return nil
        }
    }

    /// Checks `start..<end` as character data of a comment, section or instruction.
    private func checkCharacters(_ start: Int, _ end: Int) -> Bool {
        var k = start
        while k < end {
            k = plainEnd(from: k, 0, 0, 0, limit: end)
            guard k < end else { return true }
            let b = p[k]
            if b == 0x0A || b == 0x09 || b == 0x0D {
                k += 1
            } else if b >= 0x80, let length = characterLength(at: k) {
                k += length
            } else {
                return false
            }
        }
        return true
    }

    // MARK: Markup

    /// `<![CDATA[…]]>`: passed raw (libxml2's push parser hands the section over unnormalized).
    private mutating func cdata() -> Bool {
        let start = i + 9
        guard let end = find("]]>", from: start), end - start <= Self.maxToken, checkCharacters(start, end) else { return false }
        deliver(start, end)
        i = end + 3
        return true
    }

    /// `<!--…-->`: the first `--` must close it.
    private mutating func comment() -> Bool {
        let start = i + 4
        guard let dashes = find("--", from: start), dashes - start <= Self.maxToken,
              dashes + 2 < n, p[dashes + 2] == UInt8(ascii: ">"), checkCharacters(start, dashes)
        else { return false }
        i = dashes + 3
        return true
    }

    /// `<?target …?>`, target an ASCII name other than `xml` and without a colon; no `<`
    /// inside (so `XMLRepair`'s view of sections and comments stays the same as ours).
    private mutating func processingInstruction() -> Bool {
        i += 2
        let targetStart = i
        guard let target = ncName() else { return false }
        // `xml` in any case is reserved (libxml2 reports it); `xml-stylesheet` only draws a warning.
        if target == 3, p[targetStart] | 0x20 == UInt8(ascii: "x"), p[targetStart + 1] | 0x20 == UInt8(ascii: "m"),
           p[targetStart + 2] | 0x20 == UInt8(ascii: "l") { return false }
        if startsWith("?>") {
            i += 2
            return true
        }
        guard i < n, isSpace(p[i]), let end = find("?>", from: i), end - i <= Self.maxToken,
              checkCharacters(i, end), UnsafeBufferPointer(start: p + i, count: end - i).firstIndex(of: UInt8(ascii: "<")) == nil
        else { return false }
        i = end + 2
        return true
    }

    /// `<?xml version="1.0" (encoding="…")? (standalone="yes|no")? ?>`, strictly; the encoding is
    /// ignored (the caller converted to UTF-8), as libxml2 does with `XML_PARSE_IGNORE_ENC`.
    private mutating func xmlDeclaration() -> Bool {
        i += 5
        guard skipSpace(), let version = pseudoAttribute("version"), version == Array("1.0".utf8) else { return false }
        var hadSpace = skipSpace()
        if hadSpace, startsWith("encoding") {
            guard let name = pseudoAttribute("encoding"), let first = name.first, Self.isLetter(first),
                  name.allSatisfy({ Self.isLetter($0) || Self.isDigit($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") })
            else { return false }
            hadSpace = skipSpace()
        }
        if hadSpace, startsWith("standalone") {
            guard let value = pseudoAttribute("standalone"), value == Array("yes".utf8) || value == Array("no".utf8) else { return false }
            skipSpace()
        }
        guard startsWith("?>") else { return false }
        i += 2
        return true
    }

    private mutating func pseudoAttribute(_ name: StaticString) -> [UInt8]? {
        guard startsWith(name) else { return nil }
        i += name.utf8CodeUnitCount
        skipSpace()
        guard i < n, p[i] == UInt8(ascii: "=") else { return nil }
        i += 1
        skipSpace()
        guard i < n, p[i] == UInt8(ascii: "\"") || p[i] == UInt8(ascii: "'") else { return nil }
        let quote = p[i]
        let start = i + 1
        var k = start
        while k < n, k - start < 64, p[k] != quote {
            guard p[k] >= 0x20, p[k] < 0x80 else { return nil }
            k += 1
        }
        guard k < n, p[k] == quote else { return nil }
        i = k + 1
        return Array(UnsafeBufferPointer(start: p + start, count: k - start))
    }

    // MARK: Elements

    private mutating func startTag() -> Bool {
        i += 1
        let qnameStart = i
        guard let (prefixCount, qnameCount) = qname() else { return false }
        attributes.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        let bindingsBefore = bindings.count
        tagBindingsStart = bindingsBefore
        var empty = false
        while true {
            let hadSpace = skipSpace()
            guard i < n else { return false }
            if p[i] == UInt8(ascii: ">") {
                i += 1
                break
            }
            if p[i] == UInt8(ascii: "/") {
                guard i + 1 < n, p[i + 1] == UInt8(ascii: ">") else { return false }
                i += 2
                empty = true
                break
            }
            guard hadSpace, attribute() else { return false }
        }
        guard open.count < Self.maxDepth, resolveAttributes(), let name = elementName(qnameStart, prefixCount, qnameCount)
        else { return false }
        open.append(OpenElement(qnameStart: qnameStart, qnameCount: qnameCount, bindingsBefore: bindingsBefore, name: name))
        attributes.withUnsafeBufferPointer { scanned in
            values.withUnsafeBufferPointer { values in
                // The buffers may be empty (no base address); the attributes view reads neither then.
                let valueBase = values.baseAddress ?? p
                driver.sink.startElement(name, attributes: XMLAttributes(scanned: scanned, document: p, values: valueBase, driver: driver),
                                         driver: driver)
            }
        }
        if empty { closeElement() }
        return true
    }

    private mutating func endTag() -> Bool {
        i += 2
        guard let element = open.last, i + element.qnameCount <= n,
              memcmp(p + i, p + element.qnameStart, element.qnameCount) == 0 else { return false }
        i += element.qnameCount
        skipSpace()
        guard i < n, p[i] == UInt8(ascii: ">") else { return false }
        i += 1
        closeElement()
        return true
    }

    private mutating func closeElement() {
        let element = open.removeLast()
        bindings.removeSubrange(element.bindingsBefore...)
        driver.sink.endElement(element.name, driver: driver)
    }

    /// One `name="value"` of a start tag: an `xmlns` declaration becomes a binding, anything
    /// else an attribute whose prefix is resolved once the tag is read.
    private mutating func attribute() -> Bool {
        let qnameStart = i
        guard let (prefixCount, qnameCount) = qname() else { return false }
        skipSpace()
        guard i < n, p[i] == UInt8(ascii: "=") else { return false }
        i += 1
        skipSpace()
        let valueStart = values.count
        guard attributeValue() else { return false }
        let valueCount = values.count - valueStart

        let isXMLNS = (prefixCount == 5 || (prefixCount == 0 && qnameCount == 5)) && memcmp(p + qnameStart, "xmlns", 5) == 0
        if isXMLNS {
            let prefixStart = prefixCount == 0 ? qnameStart : qnameStart + 6
            let prefixLength = prefixCount == 0 ? 0 : qnameCount - 6
            guard declare(prefixStart, prefixLength, valueStart, valueCount) else { return false }
            values.removeSubrange(valueStart...)
            return true
        }
        let localStart = prefixCount == 0 ? qnameStart : qnameStart + prefixCount + 1
        attributes.append(ScannedAttribute(qnameStart: qnameStart, localStart: localStart,
                                           localCount: qnameStart + qnameCount - localStart,
                                           namespace: .none, valueStart: valueStart, valueCount: valueCount))
        return true
    }

    /// A quoted attribute value appended to `values` as libxml2 builds it.
    private mutating func attributeValue() -> Bool {
        guard i < n, p[i] == UInt8(ascii: "\"") || p[i] == UInt8(ascii: "'") else { return false }
        let quote = p[i]
        i += 1
        let first = i
        var start = i
        while true {
            guard i < n, i - first <= Self.maxToken else { return false }
            i = plainEnd(from: i, quote, UInt8(ascii: "<"), UInt8(ascii: "&"))
            guard i < n else { return false }
            let b = p[i]
            if b == quote { break }
            if b == UInt8(ascii: "<") { return false }
            if b == UInt8(ascii: "&") {
                values.append(contentsOf: UnsafeBufferPointer(start: p + start, count: i - start))
                guard attributeReference() else { return false }
                start = i
            } else if b == 0x09 || b == 0x0A || b == 0x0D {
                values.append(contentsOf: UnsafeBufferPointer(start: p + start, count: i - start))
                values.append(UInt8(ascii: " "))
                i += 1
                if b == 0x0D, i < n, p[i] == 0x0A { i += 1 }
                start = i
            } else if b >= 0x80 {
                guard let length = characterLength(at: i) else { return false }
                i += length
            } else {
                return false
            }
        }
        values.append(contentsOf: UnsafeBufferPointer(start: p + start, count: i - start))
        i += 1
        return true
    }

    /// libxml2 (without entity substitution) leaves `&#38;` for `&` in an attribute value and puts
    /// in only the first byte of any other entity it treats as predefined: HTML names decline.
    private mutating func attributeReference() -> Bool {
        guard let length = XMLRepair.referenceLength(document, at: i, upperX: true) else {
            values.append(contentsOf: "&#38;".utf8)
            i += 1
            return true
        }
        let body = UnsafeBufferPointer(start: p + i + 1, count: length - 2)
        i += length
        if body[0] == UInt8(ascii: "#") {
            guard let scalar = Self.characterReference(body) else { return false }
            if scalar == "&" {
                values.append(contentsOf: "&#38;".utf8)
            } else {
                values.append(contentsOf: UTF8.encode(scalar)!)
            }
            return true
        }
        guard let predefined = Self.predefined(body) else { return false }
        if predefined.utf8Start[0] == UInt8(ascii: "&") {
            values.append(contentsOf: "&#38;".utf8)
        } else {
            values.append(predefined.utf8Start[0])
        }
        return true
    }

    /// An `xmlns` or `xmlns:prefix` declaration. Declines what libxml2 reports: a prefix bound to
    /// nothing, a redeclaration on one element, the reserved `xml`/`xmlns` names and namespaces,
    /// and any namespace name its URI parser might refuse.
    private mutating func declare(_ prefixStart: Int, _ prefixCount: Int, _ valueStart: Int, _ valueCount: Int) -> Bool {
        let uri = values[valueStart..<(valueStart + valueCount)]
        if prefixCount > 0 {
            guard !uri.isEmpty else { return false }
            let prefix = UnsafeBufferPointer(start: p + prefixStart, count: prefixCount)
            if prefix.elementsEqual("xml".utf8) || prefix.elementsEqual("xmlns".utf8) { return false }
        }
        for b in bindings[tagBindingsStart...]
        where b.prefixCount == prefixCount && memcmp(p + b.prefixStart, p + prefixStart, prefixCount) == 0 {
            return false
        }
        guard let namespace = uri.isEmpty ? XMLNamespace.none : namespace(uri) else { return false }
        bindings.append(Binding(prefixStart: prefixStart, prefixCount: prefixCount, namespace: namespace))
        return true
    }

    /// The namespace of a declared namespace name, nil when the name is one to decline. Atom
    /// entries declare XHTML on every `<div>`: the few names of a feed are remembered by bytes.
    private mutating func namespace(_ uri: ArraySlice<UInt8>) -> XMLNamespace? {
        for known in knownURIs where known.uri.elementsEqual(uri) { return known.namespace }
        guard Self.isPlainURI(uri) else { return nil }
        let string = String(decoding: uri, as: UTF8.self)
        if string == "http://www.w3.org/XML/1998/namespace" || string == "http://www.w3.org/2000/xmlns/" { return nil }
        let namespace = driver.namespace(uri: string)
        if knownURIs.count < 32 { knownURIs.append((Array(uri), namespace)) }
        return namespace
    }
    private var knownURIs: [(uri: [UInt8], namespace: XMLNamespace)] = []

    /// The first binding declared by the tag being read.
    private var tagBindingsStart = 0

    /// A namespace name made only of characters RFC 3986 allows unescaped, with a scheme (if any)
    /// and an authority (if any) of the plain kind: what libxml2's `xmlParseURI` surely accepts.
    private static func isPlainURI(_ uri: ArraySlice<UInt8>) -> Bool {
        var fragments = 0
        for b in uri {
            if isLetter(b) || isDigit(b) { continue }
            switch b {
            case UInt8(ascii: "#"): fragments += 1
            case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: ":"),
                 UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "@"), UInt8(ascii: "!"), UInt8(ascii: "$"),
                 UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"),
                 UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="):
                continue
            default:
                return false
            }
        }
        guard fragments <= 1 else { return false }
        guard let colon = uri.firstIndex(of: UInt8(ascii: ":")) else { return true }
        let scheme = uri[uri.startIndex..<colon]
        // A colon after a slash, `?` or `#` belongs to a path, query or fragment.
        if scheme.contains(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) {
            return true
        }
        guard let first = scheme.first, isLetter(first),
              scheme.allSatisfy({ isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") })
        else { return false }
        let rest = uri[(colon + 1)...]
        guard rest.starts(with: "//".utf8) else { return true }
        let authority = rest.dropFirst(2).prefix { $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }
        var sawColon = false
        for b in authority {
            if b == UInt8(ascii: ":") {
                if sawColon { return false }
                sawColon = true
            } else if sawColon ? !isDigit(b) : !(isLetter(b) || isDigit(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")) {
                return false
            }
        }
        return true
    }

    /// Gives each attribute its namespace (an unprefixed one has none; `xml:` is predefined) and
    /// declines duplicates, which libxml2 reports.
    private mutating func resolveAttributes() -> Bool {
        for k in attributes.indices {
            let a = attributes[k]
            if a.localStart != a.qnameStart {
                let prefixCount = a.localStart - a.qnameStart - 1
                if prefixCount == 3, memcmp(p + a.qnameStart, "xml", 3) == 0 {
                    attributes[k].namespace = .xml
                } else {
                    guard let ns = lookup(a.qnameStart, prefixCount) else { return false }
                    attributes[k].namespace = ns
                }
            }
            for j in 0..<k {
                let b = attributes[j]
                if b.localCount == a.localCount, memcmp(p + b.localStart, p + a.localStart, a.localCount) == 0,
                   b.namespace == attributes[k].namespace || (b.localStart - b.qnameStart == a.localStart - a.qnameStart
                       && memcmp(p + b.qnameStart, p + a.qnameStart, a.localStart - a.qnameStart) == 0) {
                    return false
                }
            }
        }
        return true
    }

    /// The namespace bound to a prefix (empty: the default namespace), innermost first.
    private func lookup(_ prefixStart: Int, _ prefixCount: Int) -> XMLNamespace? {
        var k = bindings.count
        while k > 0 {
            k -= 1
            let b = bindings[k]
            if b.prefixCount == prefixCount, memcmp(p + b.prefixStart, p + prefixStart, prefixCount) == 0 { return b.namespace }
        }
        return prefixCount == 0 ? XMLNamespace.none : nil
    }

    /// The `XMLName` libxml2's driver would give this element (`XMLSAXDriver.name`).
    private mutating func elementName(_ qnameStart: Int, _ prefixCount: Int, _ qnameCount: Int) -> XMLName? {
        if prefixCount == 3, memcmp(p + qnameStart, "xml", 3) == 0 { return nil }
        guard let namespace = lookup(qnameStart, prefixCount) else { return nil }
        let localStart = prefixCount == 0 ? qnameStart : qnameStart + prefixCount + 1
        let local = UnsafeBufferPointer(start: p + localStart, count: qnameStart + qnameCount - localStart)
        let slot = (local.count &* 31 &+ Int(local[0]) &* 7 &+ Int(local[local.count - 1]) &+ namespace.id &* 13) & 63
        if let cached = nameCache[slot], cached.namespace == namespace, cached.local.elementsEqual(local) { return cached.name }
        let lowered = String(decoding: local.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        let name = XMLName(namespace: namespace, local: lowered, element: FeedElement(rawValue: lowered))
        nameCache[slot] = (namespace, Array(local), name)
        return name
    }

    /// An ASCII QName at `i`: (prefix length or 0, whole length). At most one colon, both parts
    /// NCNames; anything else (non-ASCII names included) declines.
    private mutating func qname() -> (Int, Int)? {
        let start = i
        guard ncName() != nil else { return nil }
        var prefix = 0
        if i < n, p[i] == UInt8(ascii: ":") {
            prefix = i - start
            i += 1
            guard ncName() != nil else { return nil }
        }
        guard i < n, i - start <= 1000 else { return nil }
        let next = p[i]
        // A name must end at markup or space; a non-ASCII byte means a Unicode name.
        guard isSpace(next) || next == UInt8(ascii: ">") || next == UInt8(ascii: "/") || next == UInt8(ascii: "=")
            || next == UInt8(ascii: "?") else { return nil }
        return (prefix, i - start)
    }

    private mutating func ncName() -> Int? {
        let start = i
        guard i < n, Self.isLetter(p[i]) || p[i] == UInt8(ascii: "_") else { return nil }
        i += 1
        while i < n {
            let b = p[i]
            guard Self.isLetter(b) || Self.isDigit(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: "_")
            else { break }
            i += 1
        }
        return i - start
    }

    // MARK: Bytes

    @discardableResult
    private mutating func skipSpace() -> Bool {
        let start = i
        while i < n, isSpace(p[i]) { i += 1 }
        return i > start
    }

    @inline(__always)
    private func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D
    }

    @inline(__always)
    private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    @inline(__always)
    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    private func startsWith(_ s: StaticString) -> Bool {
        let count = s.utf8CodeUnitCount
        return i + count <= n && memcmp(p + i, s.utf8Start, count) == 0
    }

    /// The offset of the next `s` at or after `from`.
    private func find(_ s: StaticString, from: Int) -> Int? {
        let count = s.utf8CodeUnitCount
        let first = Int32(s.utf8Start[0])
        var k = from
        while k + count <= n {
            guard let hit = memchr(p + k, first, n - k) else { return nil }
            k = p.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if k + count <= n, memcmp(p + k, s.utf8Start, count) == 0 { return k }
            k += 1
        }
        return nil
    }
}
