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
struct XMLFastReader<Sink: XMLEventSink> {
    // The reader's state is internal rather than private only so that its tag half
    // (`XMLFastReader+Tags.swift`) can reach it; nothing outside the reader touches it.
    let p: UnsafePointer<UInt8>
    let n: Int
    let document: UnsafeBufferPointer<UInt8>
    let driver: XMLSAXDriver
    /// Held strongly and by its type: the events go to it by direct calls.
    let sink: Sink
    private let state: UnsafeMutablePointer<XMLSAXDriver.CallbackState>
    var i = 0

    /// In-scope `xmlns` declarations, innermost last; the default namespace has an empty prefix.
    struct Binding {
        var prefixStart: Int
        var prefixCount: Int
        var namespace: XMLNamespace
    }
    var bindings: [Binding] = []

    struct OpenElement {
        var qnameStart: Int
        var qnameCount: Int
        var bindingsBefore: Int
        var name: XMLName
    }
    var open: [OpenElement] = []
    var attributes: [ScannedAttribute] = []
    var values: [UInt8] = []
    /// The first binding declared by the tag being read.
    var tagBindingsStart = 0
    /// Namespace names met so far, by bytes (see `namespace(_:)`).
    var knownURIs: [(uri: [UInt8], namespace: XMLNamespace)] = []

    /// Element names by namespace and raw local name, direct-mapped: a feed uses a few dozen.
    var nameCache = [(namespace: XMLNamespace, local: [UInt8], name: XMLName)?](repeating: nil, count: 64)

    static var maxDepth: Int { 200 }
    static var maxToken: Int { 1 << 20 }

    private init(_ document: UnsafeBufferPointer<UInt8>, driver: XMLSAXDriver, sink: Sink) {
        self.document = document
        p = document.baseAddress!
        n = document.count
        self.driver = driver
        self.sink = sink
        state = driver.state
    }

    /// True when the whole document was read and its events delivered.
    static func read(_ document: UnsafeBufferPointer<UInt8>, driver: XMLSAXDriver, sink: Sink) -> Bool {
        guard document.count > 0, document.baseAddress != nil else { return false }
        var reader = XMLFastReader(document, driver: driver, sink: sink)
        return reader.readDocument()
    }

    /// Where the reader gave up on a document (nil when it read it): for tests and tuning.
    static func declineOffset(_ document: UnsafeBufferPointer<UInt8>, driver: XMLSAXDriver, sink: Sink) -> Int? {
        guard document.count > 0, document.baseAddress != nil else { return 0 }
        var reader = XMLFastReader(document, driver: driver, sink: sink)
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
            i = XMLBytes.plainEnd(p, from: i, to: n, UInt8(ascii: "<"), UInt8(ascii: "&"), UInt8(ascii: "]"))
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
                guard let length = XMLBytes.characterLength(p, at: i, end: n) else { return false }
                i += length
            } else {
                return false
            }
        }
        if capture { deliver(start, i) }
        return true
    }

    private static var newline: StaticString { "\n" }
    private static var lessThan: StaticString { "<" }
    private static var ampersand: StaticString { "&" }
    private static var greaterThan: StaticString { ">" }

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

    /// A reference in text at `i` (an `&`): decoded and delivered; a bare `&` is the character
    /// `&`. False for what libxml2 would not expand.
    private mutating func reference(capture: Bool) -> Bool {
        // `&lt;` and `&gt;`: escaped HTML is mostly these.
        if i + 3 < n, p[i + 3] == UInt8(ascii: ";"), p[i + 2] == UInt8(ascii: "t"),
           p[i + 1] == UInt8(ascii: "l") || p[i + 1] == UInt8(ascii: "g") {
            if capture { deliver(p[i + 1] == UInt8(ascii: "l") ? Self.lessThan : Self.greaterThan) }
            i += 4
            return true
        }
        switch readReference() {
        case nil:
            return false
        case .bareAmpersand:
            if capture { deliver(Self.ampersand) }
        case .character(let scalar):
            if capture { deliver(scalar) }
        case .named(let name):
            if let predefined = XMLBytes.predefined(name) {
                if capture { deliver(predefined) }
            } else if let html = XMLSAXDriver.htmlEntityText(name) {
                if capture { deliver(html) }
            } else {
                return false
            }
        }
        return true
    }

    /// A reference as text and attribute values both read it.
    enum Reference {
        /// No reference by `XMLRepair`'s measure: that `&` is the character itself.
        case bareAmpersand
        /// `&#…;` naming a character XML allows.
        case character(Unicode.Scalar)
        /// `&name;`: the name's bytes.
        case named(UnsafeBufferPointer<UInt8>)
    }

    /// Reads the reference at `i` (an `&`) and moves past it; nil for a character reference
    /// libxml2 refuses.
    mutating func readReference() -> Reference? {
        guard let length = XMLRepair.referenceLength(document, at: i, upperX: true) else {
            i += 1
            return .bareAmpersand
        }
        let body = UnsafeBufferPointer(start: p + i + 1, count: length - 2)
        i += length
        guard body[0] == UInt8(ascii: "#") else { return .named(body) }
        return XMLBytes.characterReference(body).map(Reference.character)
    }

    private func deliver(_ scalar: Unicode.Scalar) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4) { buffer in
            var count = 0
            for unit in UTF8.encode(scalar)! {
                buffer[count] = unit
                count += 1
            }
            deliver(UnsafeBufferPointer(rebasing: buffer[..<count]))
        }
    }

    /// Checks `start..<end` as character data of a comment, section or instruction.
    private func checkCharacters(_ start: Int, _ end: Int) -> Bool {
        var k = start
        while k < end {
            k = XMLBytes.plainEnd(p, from: k, to: end, 0, 0, 0)
            guard k < end else { return true }
            let b = p[k]
            if b == 0x0A || b == 0x09 || b == 0x0D {
                k += 1
            } else if b >= 0x80, let length = XMLBytes.characterLength(p, at: k, end: n) {
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
            guard let name = pseudoAttribute("encoding"), let first = name.first, XMLBytes.isLetter(first),
                  name.allSatisfy({ XMLBytes.isLetter($0) || XMLBytes.isDigit($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") })
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

    // MARK: Bytes

    @discardableResult
    mutating func skipSpace() -> Bool {
        let start = i
        while i < n, isSpace(p[i]) { i += 1 }
        return i > start
    }

    @inline(__always)
    func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D
    }

    func startsWith(_ s: StaticString) -> Bool {
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
