import Glibc
import ParserSupport

/// Copies a page for the HTML parser without the bodies of `<script>` and `<style>` (JSON-LD
/// scripts excepted) and of comments, without the attributes `HTMLDocument` does not read,
/// with runs of blanks between two tags cut to their first byte, and with NUL bytes turned
/// into spaces.
///
/// Why: on news pages half the bytes are inline scripts and styles, and a seventh are
/// attributes like `srcset`, `data-*` and SVG paths, which libxml2 reads one decoded character
/// at a time (and copies into a malloc'd string each) only for us to drop them. Cutting them
/// out first leaves libxml2 a fifth of the page; the tree is the same, minus what nobody reads
/// (tests compare it with `HTMLDocument.parseUnstripped`).
///
/// The scan follows libxml2's own HTML tokenizer where it matters for finding these bodies:
/// comments end at `-->`, attribute values in quotes may hold `>` and `<script`, a start tag
/// ending in `/>` has no body, an empty body is its own end tag, and in recovery mode a body
/// ends at `</` followed by its element name in any case. Where the scan is unsure (an
/// unterminated quote or comment, a body that starts with other markup or holds a control
/// character, which libxml2 reads as markup) it copies the rest unchanged, which is always
/// correct, only slower.
///
/// Indentation between tags is a tenth of a typical page. libxml2 hands such a run to the tree
/// builder as one text chunk of blanks, which the builder keeps as its first byte outside
/// space-preserving elements (`TreeBuilder.characters`): cutting the run here gives the same
/// tree. From the first `<pre>`, `<listing>`, `<xmp>` or `<plaintext>` on, runs are copied as
/// they are, since the scan does not track where those elements end.
///
/// Kept attribute values that are plain (quoted printable ASCII without `&`, which libxml2
/// passes through unchanged) are moved out of the page into `Stripped.values`: the tag gets
/// `_K=N` instead (attribute `K`'s raw value, value number `N`), which the tree builder resolves.
/// `class` lists are a fifth of what libxml2 would otherwise read, at its slowest, one decoded
/// character at a time.
package enum RawTextStripper {
    package struct Stripped {
        package var bytes: [UInt8]
        /// The moved attribute values, value `k` ending at `valueEnds[k]`.
        package var values: [UInt8] = []
        package var valueEnds: [Int32] = []
    }

    /// `movesValues: false` leaves every kept value in place.
    package static func strip(_ src: UnsafeBufferPointer<UInt8>, movesValues: Bool = true) -> Stripped {
        var out = [UInt8]()
        out.reserveCapacity(src.count)
        var values = [UInt8]()
        var valueEnds = [Int32]()
        var copied = 0 // src[..<copied] is in `out`
        var i = 0
        let n = src.count
        var kept = [KeptAttribute]()
        var collapsesBlanks = true
        func copy(upTo end: Int) {
            if end > copied { out.append(contentsOf: UnsafeBufferPointer(rebasing: src[copied..<end])) }
            copied = end
        }
        // At `i`, just after a tag or comment: blanks up to the next `<` become their first.
        func collapseBlanks() {
            guard collapsesBlanks, i + 1 < n, ASCIIBytes.isXMLSpace(src[i]), ASCIIBytes.isXMLSpace(src[i + 1]) else { return }
            var j = i + 2
            while j < n, ASCIIBytes.isXMLSpace(src[j]) { j += 1 }
            guard j < n, src[j] == UInt8(ascii: "<") else { return }
            copy(upTo: i + 1)
            copied = j
            i = j
        }
        scan: while i < n {
            guard let lt = index(of: UInt8(ascii: "<"), in: src, from: i) else { break }
            i = lt + 1
            guard i < n else { break }
            let next = src[i]
            if next == UInt8(ascii: "!") {
                guard i + 2 < n, src[i + 1] == UInt8(ascii: "-"), src[i + 2] == UInt8(ascii: "-") else { continue }
                guard let close = find(Array("-->".utf8), in: src, from: i + 3) else { break scan }
                // Comments are not in the tree either: `<!---->` is left.
                copy(upTo: i + 3)
                copied = close
                i = close + 3
                collapseBlanks()
            } else if next == UInt8(ascii: "?") || (next == UInt8(ascii: "/") && i + 1 < n && isNameStart(src[i + 1])) {
                // End tags and processing instructions run to the next `>`, quotes or not.
                guard let gt = index(of: UInt8(ascii: ">"), in: src, from: i) else { break scan }
                i = gt + 1
                collapseBlanks()
            } else if ASCIIBytes.isASCIILetter(next) {
                guard let tag = startTag(src, nameStart: i, kept: &kept) else { break scan }
                if tag.droppedAttributes {
                    copy(upTo: lt)
                    out.append(UInt8(ascii: "<"))
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: src[tag.name]))
                    for attribute in kept {
                        out.append(0x20)
                        if movesValues, let moved = attribute.moved {
                            values.append(contentsOf: UnsafeBufferPointer(rebasing: src[attribute.value]))
                            valueEnds.append(Int32(values.count))
                            out.append(UInt8(ascii: "_"))
                            appendDecimal(Int(moved.rawValue), to: &out)
                            out.append(UInt8(ascii: "="))
                            appendDecimal(valueEnds.count - 1, to: &out)
                        } else {
                            out.append(contentsOf: UnsafeBufferPointer(rebasing: src[attribute.source]))
                        }
                    }
                    // A blank before "/>": libxml2 reads an unquoted value up to a blank or
                    // ">", so `_6=1/>` would give the moved value number "1/" and lose it
                    // (every XHTML-style `<meta … content="…"/>` lost its content).
                    if tag.selfClosing { out.append(0x20); out.append(UInt8(ascii: "/")) }
                    out.append(UInt8(ascii: ">"))
                    copied = tag.end
                }
                i = tag.end
                if tag.preservesSpace { collapsesBlanks = false }
                guard tag.rawText, !tag.selfClosing else {
                    collapseBlanks()
                    continue
                }
                // libxml2 reads markup before it starts reading a body, so a body that opens
                // with `<` is markup to it. The common case, an empty body (`<script src=…>
                // </script>`), is its own end tag and is scanned as one; after anything else,
                // the page is copied unchanged.
                if i < n, src[i] == UInt8(ascii: "<") {
                    let nameEnd = i + 2 + tag.name.count
                    if nameEnd < n, src[i + 1] == UInt8(ascii: "/"), hasName(src, at: i + 2, src[tag.name]),
                       src[nameEnd] == UInt8(ascii: ">") {
                        continue
                    }
                    break scan
                }
                // The body runs to `</name`, or to the end of the page; JSON-LD is kept as is.
                var j = i
                var bodyEnd = n
                while let lt2 = index(of: UInt8(ascii: "<"), in: src, from: j) {
                    if lt2 + 1 < n, src[lt2 + 1] == UInt8(ascii: "/"), hasName(src, at: lt2 + 2, src[tag.name]) {
                        bodyEnd = lt2
                        break
                    }
                    j = lt2 + 1
                }
                // A control character ends libxml2's body read, and markup may follow it.
                if hasControlCharacter(src, i..<bodyEnd) { break scan }
                if !tag.jsonLD {
                    copy(upTo: i)
                    copied = bodyEnd
                }
                i = bodyEnd
            }
        }
        // The part copied unchanged could hold a name that reads as a reference: then no
        // value moves at all (rare, so scanning the page twice is fine).
        if movesValues, !valueEnds.isEmpty, hasReferenceLikeName(src, from: copied) {
            return strip(src, movesValues: false)
        }
        copy(upTo: n)
        // NUL is not HTML text, and libxml2 would report (and with it stop at) each one.
        if out.contains(0) {
            for k in out.indices where out[k] == 0 { out[k] = 0x20 }
        }
        return Stripped(bytes: out, values: values, valueEnds: valueEnds)
    }

    /// `_` and a digit after a blank, from `start` on.
    private static func hasReferenceLikeName(_ src: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        var k = start
        while let underscore = index(of: UInt8(ascii: "_"), in: src, from: k) {
            if underscore > 0, ASCIIBytes.isXMLSpace(src[underscore - 1]), underscore + 1 < src.count,
               src[underscore + 1] >= UInt8(ascii: "0"), src[underscore + 1] <= UInt8(ascii: "9") {
                return true
            }
            k = underscore + 1
        }
        return false
    }

    private static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value >= 10 { appendDecimal(value / 10, to: &out) }
        out.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// A `_K=N` name's attribute and value number; `nil` for any other name.
    package static func movedAttribute(_ name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) -> (HTMLAttribute, Int)? {
        guard name.count >= 2, name[0] == UInt8(ascii: "_"), let kind = decimal(UnsafeBufferPointer(rebasing: name[1...])),
              kind <= Int(UInt8.max), let attribute = HTMLAttribute(rawValue: UInt8(kind)),
              let index = decimal(value) else { return nil }
        return (attribute, index)
    }

    private static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 9 else { return nil }
        var value = 0
        for b in bytes {
            guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(b - UInt8(ascii: "0"))
        }
        return value
    }

    private struct KeptAttribute {
        /// The attribute as written, name to end of value.
        var source: Range<Int>
        var nameEnd: Int
        /// Set when the value moves to `Stripped.values`.
        var moved: HTMLAttribute?
        var value: Range<Int>
    }

    /// Values libxml2 hands over byte for byte: no entity, control or non-ASCII byte.
    private static func isPlain(_ value: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        for b in value where b < 0x20 || b >= 0x7F || b == UInt8(ascii: "&") { return false }
        return true
    }

    private struct StartTag {
        var end: Int
        var name: Range<Int>
        var rawText: Bool
        var selfClosing: Bool
        var jsonLD: Bool
        /// Attributes dropped or values moved: the tag is written anew.
        var droppedAttributes: Bool
        /// `<pre>` and its kin, whose blanks are text.
        var preservesSpace: Bool
    }

    /// Scans a start tag the way libxml2's `htmlParseStartTag` does: name, then attributes
    /// (`name`, `name=value`, `name="value"`) up to `>` or `/>`, and fills `kept` with the
    /// source ranges of the attributes the tree builder keeps (`HTMLAttributeName`, read on this
    /// element). `nil` when a quoted value never ends
    /// (libxml2 then reads to the end of the page too).
    private static func startTag(_ src: UnsafeBufferPointer<UInt8>, nameStart: Int, kept: inout [KeptAttribute]) -> StartTag? {
        kept.removeAll(keepingCapacity: true)
        let n = src.count
        var i = nameStart
        while i < n, isNameByte(src[i]) { i += 1 }
        let name = nameStart..<i
        let nameBytes = UnsafeBufferPointer(rebasing: src[name])
        let isScript = ASCIIBytes.equals(nameBytes, "script")
        let rawText = isScript || ASCIIBytes.equals(nameBytes, "style")
        let preservesSpace = ASCIIBytes.equals(nameBytes, "pre") || ASCIIBytes.equals(nameBytes, "listing")
            || ASCIIBytes.equals(nameBytes, "xmp") || ASCIIBytes.equals(nameBytes, "plaintext")
        var tag: HTMLTag?
        var jsonLD = false
        var dropped = false
        while i < n {
            let b = src[i]
            if b == UInt8(ascii: ">") {
                return StartTag(end: i + 1, name: name, rawText: rawText, selfClosing: false, jsonLD: jsonLD, droppedAttributes: dropped,
                                preservesSpace: preservesSpace)
            }
            if b == UInt8(ascii: "/"), i + 1 < n, src[i + 1] == UInt8(ascii: ">") {
                return StartTag(end: i + 2, name: name, rawText: rawText, selfClosing: true, jsonLD: jsonLD, droppedAttributes: dropped,
                                preservesSpace: preservesSpace)
            }
            if ASCIIBytes.isXMLSpace(b) { i += 1; continue }
            // An attribute name; anything else is skipped to the next blank or tag end.
            let attrStart = i
            guard isNameStart(b) else {
                while i < n, !ASCIIBytes.isXMLSpace(src[i]), src[i] != UInt8(ascii: ">") {
                    if src[i] == UInt8(ascii: "/"), i + 1 < n, src[i + 1] == UInt8(ascii: ">") { break }
                    i += 1
                }
                dropped = true
                continue
            }
            while i < n, isNameByte(src[i]) { i += 1 }
            let attrEnd = i
            let attribute = HTMLAttributeName(UnsafeBufferPointer(rebasing: src[attrStart..<attrEnd]))
            var keep = attribute != nil
            if case .kept(let kept) = attribute {
                if tag == nil { tag = HTMLAttribute.owner(named: nameBytes) }
                keep = kept.isRead(on: tag ?? .unknown)
            }
            // libxml2 drops a name the tag already had: so does the copy, or a moved first
            // value and an unmoved second one would both reach the tree.
            if keep, kept.contains(where: { sameName(src, $0.source.lowerBound..<$0.nameEnd, attrStart..<attrEnd) }) {
                keep = false
            }
            if keep {
                kept.append(KeptAttribute(source: attrStart..<attrEnd, nameEnd: attrEnd, value: attrEnd..<attrEnd))
            } else {
                dropped = true
            }
            while i < n, ASCIIBytes.isXMLSpace(src[i]) { i += 1 }
            guard i < n, src[i] == UInt8(ascii: "=") else { continue }
            i += 1
            while i < n, ASCIIBytes.isXMLSpace(src[i]) { i += 1 }
            guard i < n else { break }
            let valueStart: Int
            let valueEnd: Int
            var quoted = false
            if src[i] == UInt8(ascii: "\"") || src[i] == UInt8(ascii: "'") {
                guard let close = index(of: src[i], in: src, from: i + 1) else { return nil }
                valueStart = i + 1
                valueEnd = close
                i = close + 1
                quoted = true
            } else {
                valueStart = i
                while i < n, !ASCIIBytes.isXMLSpace(src[i]), src[i] != UInt8(ascii: ">") { i += 1 }
                valueEnd = i
            }
            if keep {
                var moved: HTMLAttribute?
                if quoted, case .kept(let kind) = attribute, isPlain(src[valueStart..<valueEnd]) {
                    moved = kind
                    dropped = true
                }
                kept[kept.count - 1] = KeptAttribute(source: attrStart..<i, nameEnd: attrEnd, moved: moved, value: valueStart..<valueEnd)
            }
            if isScript, case .kept(.type) = attribute,
               ASCIIBytes.contains(UnsafeBufferPointer(rebasing: src[valueStart..<valueEnd]), "ld+json") {
                jsonLD = true
            }
        }
        return nil
    }

    /// A byte below 0x20 other than NUL, tab, LF and CR. Scripts are half of a page: the bytes
    /// are tested eight at a time, and only words with a byte below 0x20 one by one.
    private static func hasControlCharacter(_ src: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        guard let base = src.baseAddress else { return false }
        var k = range.lowerBound
        let ones: UInt64 = 0x0101_0101_0101_0101
        while k < range.upperBound {
            if k + 8 <= range.upperBound {
                let word = UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self)
                // Sets the high bit of each byte below 0x20 (and maybe of a byte after one).
                if (word &- ones &* 0x20) & ~word & (ones &* 0x80) == 0 {
                    k += 8
                    continue
                }
                for b in UnsafeBufferPointer(rebasing: src[k..<k + 8]) where isControl(b) { return true }
                k += 8
            } else {
                if isControl(src[k]) { return true }
                k += 1
            }
        }
        return false
    }

    @inline(__always)
    private static func isControl(_ b: UInt8) -> Bool { b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0 }

    private static func sameName(_ src: UnsafeBufferPointer<UInt8>, _ a: Range<Int>, _ b: Range<Int>) -> Bool {
        guard a.count == b.count else { return false }
        for k in 0..<a.count where ASCIIBytes.lower(src[a.lowerBound + k]) != ASCIIBytes.lower(src[b.lowerBound + k]) {
            return false
        }
        return true
    }

    private static func hasName(_ src: UnsafeBufferPointer<UInt8>, at start: Int, _ name: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard start + name.count <= src.count else { return false }
        var k = start
        for b in name {
            if ASCIIBytes.lower(src[k]) != ASCIIBytes.lower(b) { return false }
            k += 1
        }
        return true
    }

    private static func index(of byte: UInt8, in src: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start < src.count, let base = src.baseAddress else { return nil }
        guard let hit = memchr(base + start, Int32(byte), src.count - start) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    private static func find(_ needle: [UInt8], in src: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var i = start
        while let hit = index(of: needle[0], in: src, from: i) {
            guard hit + needle.count <= src.count else { return nil }
            var k = 1
            while k < needle.count, src[hit + k] == needle[k] { k += 1 }
            if k == needle.count { return hit }
            i = hit + 1
        }
        return nil
    }


    private static func isNameStart(_ b: UInt8) -> Bool {
        ASCIIBytes.isASCIILetter(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: ":") || b == UInt8(ascii: ".")
    }

    /// libxml2's HTML name characters.
    private static func isNameByte(_ b: UInt8) -> Bool {
        ASCIIBytes.isASCIILetter(b) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "_")
            || b == UInt8(ascii: ":") || b == UInt8(ascii: ".") || b == UInt8(ascii: "-")
    }

}
