import Foundation

/// The SPEC §3 text rules that apply to any string once markup is gone: control characters
/// out, white space runs collapsed, Unicode NFC. Shared by every format so titles, summaries
/// and bodies are normalized identically.
public enum TextNormalizer {
    /// One paragraph: every run of white space (including newlines) becomes one space,
    /// control characters are dropped, the ends are trimmed, the result is NFC.
    public static func paragraph<S: StringProtocol>(_ s: S) -> String {
        var out = [UInt8]()
        out.reserveCapacity(s.utf8.count)
        var pendingSpace = false
        var needsNFC = false
        var scalars = s.unicodeScalars.makeIterator()
        while let u = scalars.next() {
            let v = u.value
            if isCollapsibleSpace(v) {
                pendingSpace = !out.isEmpty
                continue
            }
            if isControl(v) { continue }
            if pendingSpace {
                out.append(0x20)
                pendingSpace = false
            }
            if v >= 0x300 { needsNFC = true }
            appendUTF8(u, to: &out)
        }
        let str = String(decoding: out, as: UTF8.self)
        return needsNFC ? str.precomposedStringWithCanonicalMapping : str
    }

    /// Several paragraphs: each normalized with `paragraph`, empty ones dropped, joined by "\n\n".
    public static func paragraphs<S: StringProtocol>(_ parts: [S]) -> String {
        parts.map { paragraph($0) }.filter { !$0.isEmpty }.joined(separator: "\n\n")
    }

    /// White space that collapses: ASCII white space plus the Unicode line/paragraph separators.
    /// U+00A0 and other fixed-width spaces are kept: they are content (`&nbsp;` in a title).
    @inline(__always)
    public static func isCollapsibleSpace(_ v: UInt32) -> Bool {
        v == 0x20 || (v >= 0x09 && v <= 0x0D) || v == 0x2028 || v == 0x2029
    }

    /// C0 and C1 controls, DEL, and noncharacters; white space is handled before this is asked.
    @inline(__always)
    public static func isControl(_ v: UInt32) -> Bool {
        v < 0x20 || (v >= 0x7F && v <= 0x9F) || v == 0xFEFF || v == 0xFFFE || v == 0xFFFF
    }

    @inline(__always)
    static func appendUTF8(_ u: Unicode.Scalar, to out: inout [UInt8]) {
        let v = u.value
        if v < 0x80 {
            out.append(UInt8(v))
        } else {
            for b in UTF8.encode(u)! { out.append(b) }
        }
    }
}
