import CLibXML2
import Glibc
import ParserSupport

/// Short HTML (a feed entry's summary or body) → text straight from libxml2's SAX events, with
/// the rules `HTMLTextRenderer` applies to the `HTMLDocument` tree those same events build:
/// blocks are paragraph breaks, `<br>` a line break, word-separating elements a space, `<pre>`
/// keeps its lines, non-content and hidden elements vanish with their subtree.
///
/// Why: a feed entry is read once, start to end, and only its text is wanted. Building the tree
/// (a dozen arrays per entry), copying the entry through `RawTextStripper` and then walking the
/// tree cost more than libxml2's own pass; here the events go into the `TextAssembler` as they
/// come. The output is the renderer's, byte for byte: the text of one tree node is the
/// characters libxml2 delivers between two element events (`TreeBuilder` merges exactly those),
/// and a chunk of only blanks outside `<pre>` counts as its first byte, as `TreeBuilder` keeps it.
/// It reads what `RawTextStripper` left of the source, as the tree path does; the attribute
/// values the stripper moved out are ones the renderer never reads (`hidden`, `aria-hidden` and
/// `style` stay in place).
enum HTMLStreamRenderer {
    static func text(_ source: UnsafeBufferPointer<UInt8>, singleParagraph: Bool, mathAsText: Bool) -> String {
        let state = UnsafeMutablePointer<StreamState>.allocate(capacity: 1)
        state.initialize(to: StreamState(capacity: source.count, singleParagraph: singleParagraph, mathAsText: mathAsText))
        defer { state.deinitialize(count: 1); state.deallocate() }

        var handler = htmlSAXHandler()
        handler.startElement = { ctx, name, atts in
            guard let ctx, let name else { return }
            StreamState.at(ctx).pointee.open(name, atts)
        }
        handler.endElement = { ctx, _ in
            guard let ctx else { return }
            StreamState.at(ctx).pointee.close()
        }
        handler.characters = { ctx, ch, len in
            guard let ctx, let ch, len > 0 else { return }
            StreamState.at(ctx).pointee.characters(UnsafeBufferPointer(start: ch, count: Int(len)))
        }
        handler.ignorableWhitespace = handler.characters
        handler.cdataBlock = { _, _, _ in } // script and style bodies: never text
        handler.serror = { _, _ in }
        handler.initialized = UInt32(XML_SAX2_MAGIC)

        HTMLSAXParse.run(UnsafeRawBufferPointer(source), handler: handler, userData: UnsafeMutableRawPointer(state))
        return state.pointee.finish()
    }
}

/// The renderer's state between callbacks; lives behind the pointer libxml2 hands back, for one
/// `text` call on one thread (plain memory: the callbacks pay no reference counting).
private struct StreamState {
    var out: TextAssembler
    let singleParagraph: Bool
    let mathAsText: Bool
    /// Every open element (the synthetic root is not in it), and whether it is skipped.
    var open: [(tag: HTMLTag, skipped: Bool)] = []
    /// Open elements inside a skipped subtree, the skipped one included.
    var skipDepth = 0
    /// Open `<pre>`-like elements that are rendered (the renderer's count) and all of them
    /// (the tree builder's, which decides whether a blank chunk is kept whole).
    var renderedPre = 0
    var allPre = 0
    /// The text node being collected: characters since the last element event.
    var text: [UInt8] = []
    var tagCache = [(name: UnsafeRawPointer?, tag: HTMLTag)](repeating: (nil, .unknown), count: 64)

    init(capacity: Int, singleParagraph: Bool, mathAsText: Bool) {
        out = TextAssembler(capacity: capacity)
        self.singleParagraph = singleParagraph
        self.mathAsText = mathAsText
    }

    static func at(_ ctx: UnsafeMutableRawPointer) -> UnsafeMutablePointer<StreamState> {
        ctx.assumingMemoryBound(to: StreamState.self)
    }

    private mutating func tag(for name: UnsafePointer<xmlChar>) -> HTMLTag {
        let key = UnsafeRawPointer(name)
        let slot = Int((UInt(bitPattern: key) >> 3) & 63)
        if tagCache[slot].name == key { return tagCache[slot].tag }
        let tag = HTMLTag.named(String(cString: name))
        tagCache[slot] = (key, tag)
        return tag
    }

    private mutating func paragraphBreak() {
        if singleParagraph { out.wordBreak() } else { out.paragraphBreak() }
    }

    mutating func open(_ name: UnsafePointer<xmlChar>, _ atts: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        flushText()
        let tag = tag(for: name)
        if tag.preservesSpace { allPre += 1 }
        if skipDepth > 0 {
            skipDepth += 1
            open.append((tag, true))
            return
        }
        if (tag.isNonContent && !(mathAsText && tag == .math)) || tag == .nav || Self.isHidden(atts) {
            if tag.isBlock { paragraphBreak() } else { out.wordBreak() }
            skipDepth = 1
            open.append((tag, true))
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
        open.append((tag, false))
    }

    mutating func close() {
        flushText()
        guard let (tag, skipped) = open.popLast() else { return }
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

    mutating func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard skipDepth == 0 else { return }
        if allPre == 0, bytes.allSatisfy(ASCIIBytes.isSpace) {
            text.append(bytes[0])
        } else {
            text.append(contentsOf: bytes)
        }
    }

    private mutating func flushText() {
        guard !text.isEmpty else { return }
        out.append(text, preserve: renderedPre > 0 && !singleParagraph)
        text.removeAll(keepingCapacity: true)
    }

    mutating func finish() -> String {
        flushText()
        while !open.isEmpty { close() }
        return out.finish()
    }

    /// `hidden`, `aria-hidden="true"` or an inline style that hides: what `TreeBuilder` flags.
    private static func isHidden(_ atts: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) -> Bool {
        guard var p = atts else { return false }
        while let namePtr = p.pointee {
            let valuePtr = p.advanced(by: 1).pointee
            p = p.advanced(by: 2)
            let name = UnsafeBufferPointer(start: namePtr, count: strlen(UnsafeRawPointer(namePtr).assumingMemoryBound(to: CChar.self)))
            guard let attribute = HTMLAttributeName(name) else { continue }
            let value = valuePtr.map { UnsafeBufferPointer(start: $0, count: strlen(UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))) }
                ?? UnsafeBufferPointer(start: nil, count: 0)
            switch attribute {
            case .hidden: return true
            case .ariaHidden: if ASCIIBytes.equals(value, "true") { return true }
            case .style: if HTMLDocument.hidesElement(style: value) { return true }
            case .kept: continue
            }
        }
        return false
    }
}
