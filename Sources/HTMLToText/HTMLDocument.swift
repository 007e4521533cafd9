import CLibXML2
import Glibc
import ParserSupport

/// An HTML document as parsed by libxml2's HTML parser (the parser lxml stands on), kept as a
/// compact tree of parallel arrays instead of libxml2's node objects.
///
/// Why not libxml2's own tree: it costs one malloc'd node plus property lists per element (a
/// 20 MB page becomes hundreds of MB), and every walk over it would be unsafe pointer chasing.
/// The SAX callbacks below fill these arrays directly; the rest of the parser works on safe
/// integer indices. This file holds all of the libxml2 HTML unsafe code. Pages reach libxml2
/// through `RawTextStripper`, which cuts what the tree would drop anyway.
///
/// Node 0 is a synthetic root. Nodes are numbered in document order, so a parent always has a
/// smaller index than its descendants and `subtreeEnd` bounds a subtree as an index range.
public struct HTMLDocument: Sendable {
    @usableFromInline package var tags: [HTMLTag] = [.unknown]
    @usableFromInline package var parents: [Int32] = [-1]
    @usableFromInline package var firstChildren: [Int32] = [-1]
    @usableFromInline package var nextSiblings: [Int32] = [-1]
    /// One past the last descendant: the subtree of `n` is `n..<subtreeEnd[n]`.
    @usableFromInline package var subtreeEnds: [Int32] = [1]
    /// Text nodes: their byte range in `text`. Elements: their attribute range.
    @usableFromInline package var starts: [Int32] = [0]
    @usableFromInline package var ends: [Int32] = [0]
    /// Text nodes: visible characters (white space runs count once); elements: 0.
    package var charCounts: [Int32] = [0]
    package var commaCounts: [Int32] = [0]
    package var flags: [NodeFlags] = [[]]
    @usableFromInline package var text: [UInt8] = []
    package var attributeNames: [HTMLAttribute] = []
    /// Attribute values as byte ranges in `attributeText`: most are never read, so they are
    /// not made into strings at parse time.
    package var attributeStarts: [Int32] = []
    package var attributeEnds: [Int32] = []
    package var attributeText: [UInt8] = []
    /// Bodies of `<script type="application/ld+json">`, for the metadata layer.
    package var jsonLD: [String] = []

    public struct NodeFlags: OptionSet, Sendable {
        public var rawValue: UInt8
        @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// Text inside an `<a>`.
        @inlinable public static var inLink: NodeFlags { NodeFlags(rawValue: 1) }
        /// `hidden`, `aria-hidden="true"` or an inline `display:none` / `visibility:hidden`.
        @inlinable public static var hidden: NodeFlags { NodeFlags(rawValue: 2) }
    }

    // The accessors are public and `@inlinable`: the extractor (another module) calls them in
    // its per-node loops, where a call each costs more than the array read inside, and a
    // `package` function is not inlined into another module.
    @inlinable public var count: Int { tags.count }
    package static let root = 0

    @inlinable public func tag(_ n: Int) -> HTMLTag { tags[n] }
    @inlinable public func parent(_ n: Int) -> Int? { let p = parents[n]; return p < 0 ? nil : Int(p) }
    @inlinable public func subtreeEnd(_ n: Int) -> Int { Int(subtreeEnds[n]) }
    @inlinable public func isText(_ n: Int) -> Bool { tags[n] == .text }

    /// The children of `n`, in order.
    @inlinable
    public func children(_ n: Int) -> ChildSequence { ChildSequence(nextSiblings: nextSiblings, upcoming: firstChildren[n]) }

    /// Holds only the sibling links, so iterating costs one retain, not a copy of the tree.
    public struct ChildSequence: Sequence, IteratorProtocol {
        @usableFromInline let nextSiblings: [Int32]
        @usableFromInline var upcoming: Int32
        @inlinable init(nextSiblings: [Int32], upcoming: Int32) {
            self.nextSiblings = nextSiblings
            self.upcoming = upcoming
        }
        @inlinable public mutating func next() -> Int? {
            guard upcoming >= 0 else { return nil }
            let n = Int(upcoming)
            upcoming = nextSiblings[n]
            return n
        }
    }

    @inlinable public func textBytes(_ n: Int) -> ArraySlice<UInt8> { text[Int(starts[n])..<Int(ends[n])] }

    package func attribute(_ name: HTMLAttribute, of n: Int) -> String? {
        attributeRange(name, of: n).map { String(decoding: attributeText[$0], as: UTF8.self) }
    }

    /// Where the value's bytes are in `attributeText`, for callers that only compare or
    /// classify them.
    package func attributeRange(_ name: HTMLAttribute, of n: Int) -> Range<Int>? {
        guard tags[n] != .text else { return nil }
        var i = Int(starts[n])
        let end = Int(ends[n])
        while i < end {
            if attributeNames[i] == name { return Int(attributeStarts[i])..<Int(attributeEnds[i]) }
            i += 1
        }
        return nil
    }

    /// The raw text under `n` (no normalization), for short things like `<title>` and `<time>`.
    package func rawText(of n: Int) -> String {
        var bytes = [UInt8]()
        for m in n..<subtreeEnd(n) where tags[m] == .text {
            bytes.append(contentsOf: textBytes(m))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: Parsing

    /// Parses UTF-8 HTML. Never fails: libxml2 recovers from anything, and at worst the tree is
    /// short.
    package static func parse(utf8 bytes: [UInt8]) -> HTMLDocument {
        bytes.withUnsafeBufferPointer { parse(utf8: $0) }
    }

    package static func parse(utf8 source: UnsafeBufferPointer<UInt8>) -> HTMLDocument {
        let stripped = RawTextStripper.strip(source)
        return stripped.values.withUnsafeBufferPointer { values in
            stripped.valueEnds.withUnsafeBufferPointer { ends in
                parseStripped(stripped.bytes, movedValues: values, movedEnds: ends)
            }
        }
    }

    /// The whole source through libxml2, script bodies and all: what `RawTextStripper` must
    /// not change the tree against (tests compare the two).
    package static func parseUnstripped(utf8 bytes: [UInt8]) -> HTMLDocument {
        parseStripped(bytes.map { $0 == 0 ? 0x20 : $0 }, movedValues: nil, movedEnds: nil)
    }

    /// The pull parser over the whole buffer, because libxml2 2.9's push parser drops a
    /// document that opens with a stray end tag.
    /// `movedValues` (nil: none, the page is unstripped) are the attribute values
    /// `RawTextStripper` took out of `bytes`; both stay valid for the call.
    private static func parseStripped(_ bytes: [UInt8], movedValues: UnsafeBufferPointer<UInt8>?,
                                      movedEnds: UnsafeBufferPointer<Int32>?) -> HTMLDocument {
        // The builder lives behind a pointer libxml2 hands back to each callback: plain
        // memory, so the hot callbacks pay no reference counting or exclusivity checks.
        let builder = UnsafeMutablePointer<TreeBuilder>.allocate(capacity: 1)
        builder.initialize(to: TreeBuilder(movedValues: movedValues, movedEnds: movedEnds))
        builder.pointee.reserve(forBytes: bytes.count)
        defer { builder.deinitialize(count: 1); builder.deallocate() }
        var handler = htmlSAXHandler()
        handler.startElement = { ctx, name, atts in
            guard let ctx, let name else { return }
            TreeBuilder.at(ctx).pointee.open(name: name, attributes: atts)
        }
        handler.endElement = { ctx, _ in
            guard let ctx else { return }
            TreeBuilder.at(ctx).pointee.close()
        }
        handler.characters = { ctx, ch, len in
            guard let ctx, let ch, len > 0 else { return }
            TreeBuilder.at(ctx).pointee.characters(UnsafeBufferPointer(start: ch, count: Int(len)))
        }
        handler.ignorableWhitespace = handler.characters
        handler.cdataBlock = { ctx, ch, len in
            guard let ctx, let ch, len > 0 else { return }
            TreeBuilder.at(ctx).pointee.rawText(UnsafeBufferPointer(start: ch, count: Int(len)))
        }
        // Structured errors go nowhere: HTML_PARSE_NOERROR alone still lets libxml2 fall back
        // to its generic handler (stderr) in some paths.
        handler.serror = { _, _ in }
        handler.initialized = UInt32(XML_SAX2_MAGIC)

        bytes.withUnsafeBytes { HTMLSAXParse.run($0, handler: handler, userData: UnsafeMutableRawPointer(builder)) }
        return builder.pointee.finish()
    }
}

/// Receives libxml2's SAX events and appends nodes. Lives behind the pointer libxml2 passes to
/// each callback, for the duration of one `parse` call on one thread.
private struct TreeBuilder {
    /// `RawTextStripper.Stripped.values`, for the `_K=N` attributes; nil when unstripped.
    let movedValues: UnsafeBufferPointer<UInt8>?
    let movedEnds: UnsafeBufferPointer<Int32>?
    var doc = HTMLDocument()
    var stack: [Int32] = [0]
    /// Elements opened past `maxDepth` and not closed yet. They get no node of their own; their
    /// text goes to the deepest node. Browsers cap the tree the same way (Blink's parser at 512
    /// levels), and it keeps every walk that looks at ancestors or subtrees linear on hostile
    /// nesting (16,000 levels took seconds, 200,000 minutes).
    var flattened = 0
    static let maxDepth = 512
    var lastChild: [Int32] = [-1]
    var linkDepth = 0
    /// Open `<pre>`-like elements, whose blank text is kept as it is.
    var preDepth = 0
    var tagCache = [(name: UnsafeRawPointer?, tag: HTMLTag)](repeating: (nil, .unknown), count: 64)
    var jsonLDScript: [UInt8]?

    static func at(_ ctx: UnsafeMutableRawPointer) -> UnsafeMutablePointer<TreeBuilder> {
        ctx.assumingMemoryBound(to: TreeBuilder.self)
    }

    /// Stripped pages hold about one node per 32 bytes: reserving that much up front saves
    /// the node arrays their repeated growth copies, at no more memory than the page.
    mutating func reserve(forBytes count: Int) {
        let nodes = count / 32 + 16
        doc.tags.reserveCapacity(nodes)
        doc.parents.reserveCapacity(nodes)
        doc.firstChildren.reserveCapacity(nodes)
        doc.nextSiblings.reserveCapacity(nodes)
        doc.subtreeEnds.reserveCapacity(nodes)
        doc.starts.reserveCapacity(nodes)
        doc.ends.reserveCapacity(nodes)
        doc.charCounts.reserveCapacity(nodes)
        doc.commaCounts.reserveCapacity(nodes)
        doc.flags.reserveCapacity(nodes)
        lastChild.reserveCapacity(nodes)
        doc.text.reserveCapacity(count / 4)
    }

    private mutating func append(tag: HTMLTag, start: Int, end: Int) -> Int {
        let n = doc.tags.count
        let parent = stack[stack.count - 1]
        doc.tags.append(tag)
        doc.parents.append(parent)
        doc.firstChildren.append(-1)
        doc.nextSiblings.append(-1)
        doc.subtreeEnds.append(Int32(n + 1))
        doc.starts.append(Int32(start))
        doc.ends.append(Int32(end))
        doc.charCounts.append(0)
        doc.commaCounts.append(0)
        doc.flags.append([])
        lastChild.append(-1)
        let previous = lastChild[Int(parent)]
        if previous < 0 { doc.firstChildren[Int(parent)] = Int32(n) } else { doc.nextSiblings[Int(previous)] = Int32(n) }
        lastChild[Int(parent)] = Int32(n)
        return n
    }

    // libxml2 interns element names in its dictionary, so a pointer identifies a name: a
    // direct-mapped cache on the pointer answers nearly every element without hashing.
    private mutating func tag(for name: UnsafePointer<xmlChar>) -> HTMLTag {
        let key = UnsafeRawPointer(name)
        let slot = Int((UInt(bitPattern: key) >> 3) & 63)
        if tagCache[slot].name == key { return tagCache[slot].tag }
        let tag = HTMLTag.named(String(cString: name))
        tagCache[slot] = (key, tag)
        return tag
    }

    mutating func open(name: UnsafePointer<xmlChar>, attributes atts: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        guard stack.count <= Self.maxDepth else {
            flattened += 1
            return
        }
        let tag = tag(for: name)
        let attrStart = doc.attributeNames.count
        var hidden = false
        var isJSONLD = false
        if var p = atts {
            while let namePtr = p.pointee {
                let valuePtr = p.advanced(by: 1).pointee
                p = p.advanced(by: 2)
                let nameBytes = UnsafeBufferPointer(start: namePtr, count: strlen(UnsafeRawPointer(namePtr).assumingMemoryBound(to: CChar.self)))
                var value = valuePtr.map { UnsafeBufferPointer(start: $0, count: strlen(UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))) }
                    ?? UnsafeBufferPointer(start: nil, count: 0)
                var attribute = HTMLAttributeName(nameBytes)
                if attribute == nil, nameBytes.first == UInt8(ascii: "_"), let movedValues, let movedEnds,
                   let (moved, k) = RawTextStripper.movedAttribute(nameBytes, value: value), k < movedEnds.count {
                    attribute = .kept(moved)
                    value = UnsafeBufferPointer(rebasing: movedValues[Int(k == 0 ? 0 : movedEnds[k - 1])..<Int(movedEnds[k])])
                }
                guard let attr = attribute else { continue }
                switch attr {
                case .hidden: hidden = true
                case .ariaHidden: if ASCIIBytes.equals(value, "true") { hidden = true }
                case .style: if HTMLDocument.hidesElement(style: value) { hidden = true }
                case .kept(let kept):
                    guard kept.isRead(on: tag) else { continue }
                    if kept == .type, ASCIIBytes.contains(value, "ld+json") { isJSONLD = true }
                    doc.attributeNames.append(kept)
                    doc.attributeStarts.append(Int32(doc.attributeText.count))
                    doc.attributeText.append(contentsOf: value)
                    doc.attributeEnds.append(Int32(doc.attributeText.count))
                }
            }
        }
        let n = append(tag: tag, start: attrStart, end: doc.attributeNames.count)
        if hidden { doc.flags[n].insert(.hidden) }
        if tag == .a { linkDepth += 1 }
        if tag.preservesSpace { preDepth += 1 }
        if isJSONLD { jsonLDScript = [] }
        stack.append(Int32(n))
    }

    mutating func close() {
        if flattened > 0 {
            flattened -= 1
            return
        }
        guard stack.count > 1 else { return }
        let n = Int(stack.removeLast())
        doc.subtreeEnds[n] = Int32(doc.tags.count)
        if doc.tags[n] == .a { linkDepth -= 1 }
        if doc.tags[n].preservesSpace { preDepth -= 1 }
        if doc.tags[n] == .script, let script = jsonLDScript {
            doc.jsonLD.append(String(decoding: script, as: UTF8.self))
            jsonLDScript = nil
        }
    }

    /// A chunk of only blanks is kept as its first byte outside `<pre>`-like elements: it
    /// renders and counts the same, and `RawTextStripper` cuts indentation between tags to
    /// that byte before libxml2 reads it, so both give the same tree.
    mutating func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        let parent = Int(stack[stack.count - 1])
        let last = Int(lastChild[parent])
        let node: Int
        if last >= 0, doc.tags[last] == .text {
            node = last
        } else {
            node = append(tag: .text, start: doc.text.count, end: doc.text.count)
            if linkDepth > 0 { doc.flags[node].insert(.inLink) }
        }
        var chars: Int32 = 0
        var commas: Int32 = 0
        var inSpace = true
        var blanksOnly = true
        for b in bytes {
            if ASCIIBytes.isSpace(b) {
                if !inSpace { chars += 1; inSpace = true }
            } else {
                blanksOnly = false
                if b & 0xC0 != 0x80 {
                    chars += 1
                    inSpace = false
                    if b == 0x2C { commas += 1 }
                }
            }
        }
        if blanksOnly && preDepth == 0 {
            doc.text.append(bytes[0])
        } else {
            doc.text.append(contentsOf: bytes)
        }
        doc.ends[node] = Int32(doc.text.count)
        doc.charCounts[node] += chars
        doc.commaCounts[node] += commas
    }

    /// Script and style bodies: kept only for JSON-LD.
    mutating func rawText(_ bytes: UnsafeBufferPointer<UInt8>) {
        if jsonLDScript != nil { jsonLDScript?.append(contentsOf: bytes) }
    }

    mutating func finish() -> HTMLDocument {
        // Elements libxml2 never closed (truncated input) end where the document ends.
        while stack.count > 1 { close() }
        doc.subtreeEnds[0] = Int32(doc.tags.count)
        defer { doc = HTMLDocument() }
        return doc
    }
}

extension HTMLDocument {
    /// An inline style that hides the element (`display:none`, `visibility:hidden`).
    static func hidesElement(style bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // Most styles say neither word: no string is made for them.
        guard ASCIIBytes.contains(bytes, "none", ignoringCase: false) || ASCIIBytes.contains(bytes, "hidden", ignoringCase: false) else {
            return false
        }
        guard bytes.allSatisfy({ $0 < 0x80 }) else {
            // Non-ASCII case mappings and white space: the string rules.
            let compact = String(decoding: bytes, as: UTF8.self).lowercased().filter { !$0.isWhitespace }
            return compact.contains("display:none") || compact.contains("visibility:hidden")
        }
        var compact = [UInt8]()
        compact.reserveCapacity(bytes.count)
        for b in bytes where !ASCIIBytes.isSpace(b) {
            compact.append(ASCIIBytes.lower(b))
        }
        return compact.withUnsafeBufferPointer {
            ASCIIBytes.contains($0, "display:none") || ASCIIBytes.contains($0, "visibility:hidden")
        }
    }
}
