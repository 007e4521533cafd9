import CLibXML2
import ParserSupport

/// One recoverable problem libxml2 reported, with its code (5 premature end, 9 bad UTF-8,
/// 26 undeclared entity, 68 bare `&`, …) so callers don't have to trust a Bool.
struct XMLIssue: Sendable, Hashable {
    let code: Int32
    let line: Int32
    let message: String

    /// Issues that belong to no place in the document (a summary, a parser that could not
    /// start) have line 0 and say no line.
    var description: String { line > 0 ? "XML error \(code) at line \(line): \(message)" : "XML: \(message)" }
}

/// Receives the parse as element events; text is collected by the driver into `driver.text`
/// while `driver.captureText` is on.
protocol XMLEventSink: AnyObject {
    func startElement(_ name: XMLName, attributes: XMLAttributes, driver: XMLSAXDriver)
    func endElement(_ name: XMLName, driver: XMLSAXDriver)
}

/// The attributes of the element being started. Only valid inside `startElement`: it points into
/// libxml2's buffers, or into the fast reader's.
struct XMLAttributes {
    private enum Storage {
        /// libxml2's five pointers per attribute: local name, prefix, URI, value start, value end.
        /// The driver maps URIs to namespaces; it outlives every `XMLAttributes` (they live only
        /// inside `startElement`), so it is held without reference counting.
        case libxml2(UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, count: Int, driver: Unmanaged<XMLSAXDriver>)
        /// `XMLFastReader`'s attributes: names point into the document, values into its value buffer
        /// (already in the form libxml2 hands over, `&#38;` included).
        case scanned(UnsafeBufferPointer<ScannedAttribute>, document: UnsafePointer<UInt8>, values: UnsafePointer<UInt8>)
    }
    private let storage: Storage

    fileprivate init(base: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, count: Int, driver: XMLSAXDriver) {
        storage = .libxml2(base, count: count, driver: Unmanaged.passUnretained(driver))
    }

    init(scanned: UnsafeBufferPointer<ScannedAttribute>, document: UnsafePointer<UInt8>, values: UnsafePointer<UInt8>) {
        storage = .scanned(scanned, document: document, values: values)
    }

    /// The value of the attribute `local` (ASCII, lowercase compared case-insensitively) in `namespace`
    /// (`.none` = unprefixed).
    func value(_ local: String, namespace: XMLNamespace = .none) -> String? {
        switch storage {
        case .libxml2(let base, let count, let driver):
            guard let base else { return nil }
            for i in 0..<count {
                guard let name = base[i * 5], let start = base[i * 5 + 3], let end = base[i * 5 + 4] else { continue }
                if driver._withUnsafeGuaranteedRef({ $0.namespace(of: base[i * 5 + 2]) }) != namespace { continue }
                if !XMLSAXDriver.equalsIgnoringCase(name, local) { continue }
                return XMLSAXDriver.attributeString(UnsafeBufferPointer(start: start, count: max(0, end - start)))
            }
        case .scanned(let attributes, let document, let values):
            for a in attributes where a.namespace == namespace {
                let name = UnsafeBufferPointer(start: document + a.localStart, count: a.localCount)
                if XMLSAXDriver.equalsIgnoringCase(name, local) {
                    return XMLSAXDriver.attributeString(UnsafeBufferPointer(start: values + a.valueStart, count: a.valueCount))
                }
            }
        }
        return nil
    }

    /// Every attribute as (qualified name, value), for re-serializing inline XHTML.
    func forEach(_ body: (String, String) -> Void) {
        switch storage {
        case .libxml2(let base, let count, _):
            guard let base else { return }
            for i in 0..<count {
                guard let name = base[i * 5], let start = base[i * 5 + 3], let end = base[i * 5 + 4] else { continue }
                var qname = String(cString: name)
                if let prefix = base[i * 5 + 1] { qname = String(cString: prefix) + ":" + qname }
                body(qname, XMLSAXDriver.attributeString(UnsafeBufferPointer(start: start, count: max(0, end - start))))
            }
        case .scanned(let attributes, let document, let values):
            for a in attributes {
                let qname = String(decoding: UnsafeBufferPointer(start: document + a.qnameStart, count: a.localStart + a.localCount - a.qnameStart),
                                   as: UTF8.self)
                body(qname, XMLSAXDriver.attributeString(UnsafeBufferPointer(start: values + a.valueStart, count: a.valueCount)))
            }
        }
    }
}

/// libxml2's SAX2 push parser behind a Swift face. This file holds all of the feed parser's
/// unsafe pointer code: callbacks, entity objects, the context.
///
/// Security: `XML_PARSE_NONET | XML_PARSE_RECOVER`, never `NOENT` or `DTDLOAD`; an external-entity
/// loader that refuses everything; declared entities are honoured only when internal, free of
/// markup and references (so they cannot nest: no billion laughs) and under a total expansion
/// budget (no quadratic blowup). HTML named entities come from `NamedCharacterReferences` via `getEntity`.
final class XMLSAXDriver {
    /// Text collected since the sink last cleared it; the sink decides when to collect.
    var text: [UInt8] {
        get { state.pointee.text }
        _modify { yield &state.pointee.text }
    }
    var captureText: Bool {
        get { state.pointee.captureText }
        set { state.pointee.captureText = newValue }
    }
    /// When set, character data is XML-escaped as it is collected (inline XHTML being rebuilt).
    var escapeText: Bool {
        get { state.pointee.escapeText }
        set { state.pointee.escapeText = newValue }
    }

    /// What the per-event callbacks touch, behind a pointer the driver owns: libxml2 calls
    /// `characters` once per text run and once per entity reference (escaped HTML is mostly
    /// `&lt;`…`&gt;`), and through the pointer those calls pay no exclusivity check, uniqueness
    /// check or reference counting, which cost as much as the copying itself.
    struct CallbackState {
        var text: [UInt8] = []
        var captureText = false
        var escapeText = false
        var context: xmlParserCtxtPtr?
        /// Recent names by their interned pointers, direct-mapped: a feed uses a few dozen
        /// names, and hashing three pointers per event cost more than the rest of `name`.
        var nameCache = [(key: NameKey, name: XMLName)?](repeating: nil, count: 64)
    }
    let state: UnsafeMutablePointer<CallbackState>
    private var context: xmlParserCtxtPtr? {
        get { state.pointee.context }
        set { state.pointee.context = newValue }
    }

    unowned let sink: any XMLEventSink
    private(set) var issues: [XMLIssue] = []
    private(set) var issueCount = 0
    private var names: [NameKey: XMLName] = [:]
    private var namespaces: [Int: XMLNamespace] = [:]
    private var otherNamespaces: [String: XMLNamespace] = [:]
    private var declared: [String: UnsafeMutablePointer<xmlEntity>] = [:]
    private var literals: [String: UnsafeMutablePointer<xmlEntity>] = [:]
    private var expandedBytes = 0
    private var refused: UnsafeMutablePointer<xmlEntity>?

    static let chunkSize = 4 << 20
    static let maxIssues = 10
    static let maxDeclaredEntities = 256
    static let maxEntityLength = 4096
    static let maxExpandedBytes = 256 << 10

    struct NameKey: Hashable {
        let local: UnsafeRawPointer
        let prefix: UnsafeRawPointer?
        let uri: UnsafeRawPointer?
    }

    private init(sink: any XMLEventSink) {
        self.sink = sink
        state = .allocate(capacity: 1)
        state.initialize(to: CallbackState())
    }

    deinit {
        state.deinitialize(count: 1)
        state.deallocate()
        for entity in declared.values { Self.freeEntity(entity) }
        for entity in literals.values { Self.freeEntity(entity) }
        if let refused { Self.freeEntity(refused) }
    }

    /// A driver for `sink` that has read nothing, for tests that drive a reader themselves.
    static func forTesting(_ sink: any XMLEventSink) -> XMLSAXDriver { XMLSAXDriver(sink: sink) }

    /// Parses UTF-8 `bytes` (any encoding declaration is ignored: the caller converted), calling
    /// a sink from `makeSink` for each element. Returns the sink that saw the whole document and
    /// what libxml2 complained about.
    ///
    /// The fast reader (`XMLFastReader`) takes the documents it reads exactly as libxml2 would
    /// and declines the rest part-way; its sink is then dropped, and a fresh one sees libxml2 read
    /// the document from the start, after `XMLRepair` (whose fixes the fast reader makes as it goes).
    static func parse<Sink: XMLEventSink>(utf8 bytes: [UInt8], makeSink: () -> Sink) -> (sink: Sink, issues: [XMLIssue]) {
        parse(utf8: bytes, only: .fast, makeSink: makeSink) ?? parse(utf8: bytes, only: .libxml2, makeSink: makeSink)!
    }

    /// One of the two readers alone, so tests can hold one against the other.
    enum Reader {
        case fast, libxml2
    }

    /// `nil` when the fast reader declined the document (libxml2 never declines).
    static func parse<Sink: XMLEventSink>(utf8 bytes: [UInt8], only reader: Reader,
                                          makeSink: () -> Sink) -> (sink: Sink, issues: [XMLIssue])? {
        _ = globalSetUp
        let sink = makeSink()
        let driver = XMLSAXDriver(sink: sink)
        switch reader {
        case .fast:
            return bytes.withUnsafeBufferPointer({ XMLFastReader.read($0, driver: driver, sink: sink) }) ? (sink, []) : nil
        case .libxml2:
            driver.run(XMLRepair.repair(bytes))
            var issues = driver.issues
            if driver.issueCount > issues.count {
                issues.append(XMLIssue(code: 0, line: 0, message: "\(driver.issueCount - issues.count) more XML errors"))
            }
            return (sink, issues)
        }
    }

    private func run(_ bytes: [UInt8]) {
        var sax = xmlSAXHandler()
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        sax.startElementNs = { ctx, localname, prefix, uri, _, _, nbAttributes, _, attributes in
            guard let ctx, let localname else { return }
            let d = Unmanaged<XMLSAXDriver>.fromOpaque(ctx).takeUnretainedValue()
            d.keepReadingReferences()
            let name = d.name(localname, prefix, uri)
            d.sink.startElement(name, attributes: XMLAttributes(base: attributes, count: Int(nbAttributes), driver: d), driver: d)
        }
        sax.endElementNs = { ctx, localname, prefix, uri in
            guard let ctx, let localname else { return }
            let d = Unmanaged<XMLSAXDriver>.fromOpaque(ctx).takeUnretainedValue()
            d.keepReadingReferences()
            d.sink.endElement(d.name(localname, prefix, uri), driver: d)
        }
        let characters: charactersSAXFunc = { ctx, ch, len in
            guard let ctx, let ch, len > 0 else { return }
            let state = Unmanaged<XMLSAXDriver>.fromOpaque(ctx)._withUnsafeGuaranteedRef { $0.state }
            state.pointee.context?.pointee.wellFormed = 1 // `keepReadingReferences`
            guard state.pointee.captureText else { return }
            let buffer = UnsafeBufferPointer(start: ch, count: Int(len))
            if state.pointee.escapeText {
                XMLSAXDriver.appendEscaped(buffer, to: &state.pointee.text)
            } else {
                state.pointee.text.append(contentsOf: buffer)
            }
        }
        sax.characters = characters
        sax.cdataBlock = characters
        sax.getEntity = { ctx, name in
            guard let ctx, let name else { return nil }
            return Unmanaged<XMLSAXDriver>.fromOpaque(ctx).takeUnretainedValue().entity(named: name)
        }
        sax.entityDecl = { ctx, name, type, _, _, content in
            guard let ctx, let name else { return }
            Unmanaged<XMLSAXDriver>.fromOpaque(ctx).takeUnretainedValue()
                .declare(name: name, type: type, content: content)
        }
        sax.serror = { ctx, error in
            guard let ctx, let error else { return }
            Unmanaged<XMLSAXDriver>.fromOpaque(ctx).takeUnretainedValue().record(error.pointee)
        }

        let userData = Unmanaged.passUnretained(self).toOpaque()
        guard let ctxt = xmlCreatePushParserCtxt(&sax, userData, nil, 0, nil) else {
            issues.append(XMLIssue(code: -1, line: 0, message: "libxml2 could not create a parser context"))
            issueCount += 1
            return
        }
        context = ctxt
        defer {
            context = nil
            xmlFreeParserCtxt(ctxt)
        }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_RECOVER.rawValue | XML_PARSE_IGNORE_ENC.rawValue
            | XML_PARSE_NOWARNING.rawValue)
        _ = xmlCtxtUseOptions(ctxt, options)
        _ = xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8)

        // Large chunks, the last one terminating: with the whole input at hand the push parser
        // skips the look-ahead scans it makes for partial input (with 64 KB chunks a 26 MB feed
        // took 12 s instead of 7.6). Chunks stay under libxml2's 10 MB look-ahead limit, past
        // which it reports "Huge input lookup".
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else {
                _ = xmlParseChunk(ctxt, nil, 0, 1)
                return
            }
            base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { chars in
                var offset = 0
                repeat {
                    let n = min(Self.chunkSize, buffer.count - offset)
                    let last = offset + n == buffer.count
                    _ = xmlParseChunk(ctxt, chars + offset, Int32(n), last ? 1 : 0)
                    offset += n
                    if last || ctxt.pointee.instate == XML_PARSER_EOF { return }
                } while true
            }
        }
    }

    /// libxml2 stops expanding entity references (even `&amp;`) once `wellFormed` is 0, so in
    /// recovery mode one early error would strip every later `&eacute;` from the feed. Errors are
    /// recorded by `serror`; the flag is reset so the rest of the document reads normally.
    @inline(__always)
    private func keepReadingReferences() {
        context?.pointee.wellFormed = 1
    }

    // MARK: Names

    private func name(_ localname: UnsafePointer<xmlChar>, _ prefix: UnsafePointer<xmlChar>?,
                      _ uri: UnsafePointer<xmlChar>?) -> XMLName {
        // libxml2 interns names, prefixes and namespace URIs in the context's dictionary, so the
        // pointers identify the name for the whole parse: one String per distinct name, not per event.
        let key = NameKey(local: UnsafeRawPointer(localname), prefix: prefix.map(UnsafeRawPointer.init),
                          uri: uri.map(UnsafeRawPointer.init))
        let slot = Int(truncatingIfNeeded: (UInt(bitPattern: localname) >> 3) ^ (UInt(bitPattern: uri) >> 4)) & 63
        if let cached = state.pointee.nameCache[slot], cached.key == key { return cached.name }
        if let known = names[key] {
            state.pointee.nameCache[slot] = (key, known)
            return known
        }
        let local = Self.lowercased(localname)
        var ns = namespace(of: uri)
        if uri == nil, let prefix { ns = undeclaredNamespace(prefix: String(cString: prefix)) }
        let name = XMLName(namespace: ns, local: local, element: FeedElement(rawValue: local))
        names[key] = name
        state.pointee.nameCache[slot] = (key, name)
        return name
    }

    fileprivate func namespace(of uri: UnsafePointer<xmlChar>?) -> XMLNamespace {
        guard let uri else { return .none }
        let address = Int(bitPattern: uri)
        if let known = namespaces[address] { return known }
        let ns = namespace(uri: String(cString: uri))
        namespaces[address] = ns
        return ns
    }

    /// The namespace class of a namespace name: a known feed namespace (compared the lenient way
    /// `XMLNamespace.known` describes), else one id per distinct URI within this parse.
    func namespace(uri string: String) -> XMLNamespace {
        let trimmed = string.hasSuffix("/") ? String(string.dropLast()) : string
        for (candidate, ns) in XMLNamespace.known {
            let c = candidate.hasSuffix("/") ? String(candidate.dropLast()) : candidate
            if c.utf8.count == trimmed.utf8.count, c.lowercased() == trimmed.lowercased() { return ns }
        }
        if let other = otherNamespaces[string] { return other }
        let other = XMLNamespace(id: 100 + otherNamespaces.count)
        otherNamespaces[string] = other
        return other
    }

    /// A prefix used without an `xmlns:` declaration (libxml2 reports it and passes no URI). Feeds
    /// that write `<content:encoded>` or `<dc:creator>` undeclared mean the well-known namespace
    /// of that prefix, and feedparser and gofeed both read them so. Any other undeclared prefix
    /// gets a namespace of its own (one per prefix), so `<foo:title>` is never read as `<title>`.
    private func undeclaredNamespace(prefix: String) -> XMLNamespace {
        let lower = prefix.lowercased()
        if let known = XMLNamespace.conventionalPrefixes[lower] { return known }
        let key = "\u{0}undeclared:" + lower
        if let other = otherNamespaces[key] { return other }
        let other = XMLNamespace(id: 100 + otherNamespaces.count)
        otherNamespaces[key] = other
        return other
    }

    private static func lowercased(_ p: UnsafePointer<xmlChar>) -> String {
        var bytes = [UInt8]()
        var i = 0
        while p[i] != 0 {
            let b = p[i]
            bytes.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
            i += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    fileprivate static func equalsIgnoringCase(_ name: UnsafeBufferPointer<UInt8>, _ s: String) -> Bool {
        guard name.count == s.utf8.count else { return false }
        var i = 0
        for b in s.utf8 {
            let c = name[i]
            if (c >= 0x41 && c <= 0x5A ? c | 0x20 : c) != b { return false }
            i += 1
        }
        return true
    }

    fileprivate static func equalsIgnoringCase(_ p: UnsafePointer<xmlChar>, _ s: String) -> Bool {
        equalsIgnoringCase(UnsafeBufferPointer(start: p, count: Int(xmlStrlen(p))), s)
    }

    /// libxml2 without entity substitution leaves `&#38;` for an escaped ampersand in attribute
    /// values (it expects a DOM builder to decode it later); that is the only reference left.
    /// (No Foundation in this file: its ICU module clashes with the ICU headers libxml2 includes.)
    fileprivate static func attributeString(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        guard raw.contains(UInt8(ascii: "&")) else { return String(decoding: raw, as: UTF8.self) }
        let ref = Array("&#38;".utf8)
        var out = [UInt8]()
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            if raw[i] == UInt8(ascii: "&"), i + ref.count <= raw.count, raw[i..<(i + ref.count)].elementsEqual(ref) {
                out.append(UInt8(ascii: "&"))
                i += ref.count
            } else {
                out.append(raw[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Markup capture (inline XHTML / unescaped HTML inside a text element)

    func appendStartTag(_ name: XMLName, attributes: XMLAttributes) {
        text.append(UInt8(ascii: "<"))
        text.append(contentsOf: name.local.utf8)
        attributes.forEach { qname, value in
            text.append(UInt8(ascii: " "))
            text.append(contentsOf: qname.utf8)
            text.append(contentsOf: "=\"".utf8)
            appendEscaped(value.utf8)
            text.append(UInt8(ascii: "\""))
        }
        text.append(UInt8(ascii: ">"))
    }

    func appendEndTag(_ name: XMLName) {
        text.append(contentsOf: "</".utf8)
        text.append(contentsOf: name.local.utf8)
        text.append(UInt8(ascii: ">"))
    }

    /// Markup turned up inside a text element: what was collected so far becomes escaped text,
    /// and so does everything collected from now on.
    func escapeCollectedText() {
        let collected = text
        text.removeAll(keepingCapacity: true)
        escapeText = true
        appendEscaped(collected)
    }

    private func appendEscaped(_ bytes: some Collection<UInt8>) {
        Self.appendEscaped(bytes, to: &state.pointee.text)
    }

    static func appendEscaped(_ bytes: some Collection<UInt8>, to text: inout [UInt8]) {
        for b in bytes {
            switch b {
            case UInt8(ascii: "&"): text.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): text.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): text.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): text.append(contentsOf: "&quot;".utf8)
            default: text.append(b)
            }
        }
    }

    // MARK: Entities

    private func entity(named name: UnsafePointer<xmlChar>) -> xmlEntityPtr? {
        let key = String(cString: name)
        if let entity = declared[key] {
            expandedBytes += Int(entity.pointee.length)
            guard expandedBytes <= Self.maxExpandedBytes else {
                // Past the budget every reference expands to nothing (an unknown entity would
                // cost an error report per reference, which is its own blowup).
                if let refused { return refused }
                note(code: -2, message: "entity expansion over \(Self.maxExpandedBytes) bytes refused")
                let empty = Self.makeEntity(name: key, value: "")
                refused = empty
                return empty
            }
            return entity
        }
        if let html = HTMLEntities.shared.table[key] { return html }
        return literal(key)
    }

    /// The text of an HTML named entity (`nbsp` → U+00A0) as libxml2 is handed it, for the fast
    /// reader; the bytes live as long as the process.
    static func htmlEntityText(_ name: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        guard let entity = HTMLEntities.shared.table[String(decoding: name, as: UTF8.self)],
              let content = entity.pointee.content else { return nil }
        return UnsafeBufferPointer(start: content, count: Int(entity.pointee.length))
    }

    /// An entity nobody declared is kept as the text `&name;` (what a reader of the raw feed
    /// sees, and what feedparser does), instead of silently vanishing. One record per name.
    private func literal(_ name: String) -> xmlEntityPtr? {
        if let known = literals[name] { return known }
        guard literals.count < Self.maxDeclaredEntities, name.utf8.count <= 64 else { return nil }
        note(code: 26, message: "entity '\(name)' is not declared; kept as text")
        let entity = Self.makeEntity(name: name, value: "&\(name);")
        literals[name] = entity
        return entity
    }

    private func declare(name: UnsafePointer<xmlChar>, type: Int32, content: UnsafeMutablePointer<xmlChar>?) {
        guard let content else { return }
        let value = String(cString: content)
        let key = String(cString: name)
        guard type == Int32(XML_INTERNAL_GENERAL_ENTITY.rawValue),
              declared.count < Self.maxDeclaredEntities, declared[key] == nil,
              value.utf8.count <= Self.maxEntityLength,
              !value.utf8.contains(UInt8(ascii: "&")), !value.utf8.contains(UInt8(ascii: "<"))
        else {
            note(code: -3, message: "entity '\(key)' refused (external, nested, markup or too large)")
            return
        }
        declared[key] = Self.makeEntity(name: key, value: value)
    }

    /// An entity libxml2 treats like `&amp;`: its text is passed to `characters` as is, never
    /// parsed, never looked up again.
    fileprivate static func makeEntity(name: String, value: String) -> UnsafeMutablePointer<xmlEntity> {
        let entity = UnsafeMutablePointer<xmlEntity>.allocate(capacity: 1)
        entity.initialize(to: xmlEntity())
        entity.pointee.type = XML_ENTITY_DECL
        entity.pointee.etype = XML_INTERNAL_PREDEFINED_ENTITY
        entity.pointee.name = UnsafePointer(Self.duplicate(name))
        let content = Self.duplicate(value)
        entity.pointee.content = content
        entity.pointee.orig = nil
        entity.pointee.length = Int32(value.utf8.count)
        return entity
    }

    private static func duplicate(_ s: String) -> UnsafeMutablePointer<xmlChar> {
        let bytes = Array(s.utf8)
        let p = UnsafeMutablePointer<xmlChar>.allocate(capacity: bytes.count + 1)
        p.initialize(from: bytes, count: bytes.count)
        p[bytes.count] = 0
        return p
    }

    private static func freeEntity(_ entity: UnsafeMutablePointer<xmlEntity>) {
        UnsafeMutablePointer(mutating: entity.pointee.name)?.deallocate()
        entity.pointee.content?.deallocate()
        entity.deinitialize(count: 1)
        entity.deallocate()
    }

    // MARK: Errors

    private func record(_ error: xmlError) {
        guard error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        guard issues.count < Self.maxIssues else {
            issueCount += 1
            return
        }
        var message = error.message.map { String(cString: $0) } ?? "unknown error"
        while message.last?.isWhitespace == true { message.removeLast() }
        add(XMLIssue(code: Int32(error.code), line: Int32(error.line), message: message))
    }

    /// An issue found by our own handlers, at the line libxml2's reader is on.
    private func note(code: Int32, message: String) {
        let line = context.map { xmlSAX2GetLineNumber(UnsafeMutableRawPointer($0)) } ?? 0
        add(XMLIssue(code: code, line: line, message: message))
    }

    private func add(_ issue: XMLIssue) {
        issueCount += 1
        if issues.count < Self.maxIssues { issues.append(issue) }
    }

    /// One-time process set-up: the refusing external-entity loader (libxml2 keeps it globally).
    fileprivate static let globalSetUp: Void = {
        xmlInitParser()
        xmlSetExternalEntityLoader { _, _, _ in nil }
    }()
}

/// The HTML named-entity objects handed to libxml2, built once per process.
///
/// `@unchecked Sendable`: the dictionary and the `xmlEntity` records are written only in `init`
/// (run once under the `static let` guard) and afterwards only read, by libxml2 and by us; libxml2
/// never mutates `XML_INTERNAL_PREDEFINED_ENTITY` records (it treats its own predefined
/// entities, which are process-wide statics, the same way). They live for the whole process.
private final class HTMLEntities: @unchecked Sendable {
    static let shared = HTMLEntities()

    let table: [String: UnsafeMutablePointer<xmlEntity>]

    private init() {
        var table = [String: UnsafeMutablePointer<xmlEntity>](minimumCapacity: NamedCharacterReferences.entries.count)
        for (name, value) in NamedCharacterReferences.entries {
            table[name] = XMLSAXDriver.makeEntity(name: name, value: value)
        }
        self.table = table
    }
}
