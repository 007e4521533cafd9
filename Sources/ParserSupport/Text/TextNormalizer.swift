import Foundation

/// The SPEC §3 text rules that apply to any string once markup is gone: control characters
/// out, white space runs collapsed, Unicode NFC. Shared by every format so titles, summaries
/// and bodies are normalized identically.
public enum TextNormalizer {
    /// One paragraph: every run of white space (including newlines) becomes one space,
    /// control characters are dropped, the ends are trimmed (of no-break spaces too, as
    /// `TextAssembler` trims line ends), the result is NFC.
    ///
    /// `@inlinable` so that callers in the other parser modules get it specialized for `String`
    /// and `Substring`; unspecialized, every scalar would go through a witness table.
    @inlinable
    public static func paragraph<S: StringProtocol>(_ s: S) -> String {
        if let text = s.utf8.withContiguousStorageIfAvailable({ paragraph(utf8: $0) }) { return text }
        return paragraphByScalars(s)
    }

    /// `paragraph` of valid UTF-8, by `ParagraphBytes` (runs of ASCII copied whole).
    @usableFromInline
    static func paragraph(utf8: UnsafeBufferPointer<UInt8>) -> String {
        var out = [UInt8]()
        out.reserveCapacity(utf8.count)
        ParagraphBytes.append(utf8, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The rules scalar by scalar: the reference `ParagraphBytes` is tested against, and the
    /// path for strings without contiguous UTF-8.
    @inlinable
    package static func paragraphByScalars<S: StringProtocol>(_ s: S) -> String {
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
            if v == 0xA0, out.isEmpty { continue }
            if pendingSpace {
                out.append(0x20)
                pendingSpace = false
            }
            if v >= 0x300, !needsNFC { needsNFC = mayChangeUnderNFC(u) }
            appendUTF8(u, to: &out)
        }
        while let last = out.last {
            if last == 0x20 {
                out.removeLast()
            } else if last == 0xA0, out.count >= 2, out[out.count - 2] == 0xC2 {
                out.removeLast(2)
            } else {
                break
            }
        }
        let str = String(decoding: out, as: UTF8.self)
        return needsNFC ? composedNFC(str) : str
    }

    @usableFromInline
    static func composedNFC(_ s: String) -> String { s.precomposedStringWithCanonicalMapping }

    /// Several paragraphs: each normalized with `paragraph`, empty ones dropped, joined by "\n\n".
    @inlinable
    public static func paragraphs<S: StringProtocol>(_ parts: [S]) -> String {
        parts.map { paragraph($0) }.filter { !$0.isEmpty }.joined(separator: "\n\n")
    }

    /// `s` in NFC, running Foundation's normalizer only when `s` holds a character that NFC can
    /// change (see `mayChangeUnderNFC`): the normalizer costs more than the rest of turning a
    /// feed body into text, and almost no real text needs it.
    public static func nfc(_ s: String) -> String {
        var s = s
        let mayChange = s.withUTF8 { bytes -> Bool in
            // Decoded from the UTF-8 here: the scalar iterator and a property lookup per
            // character were a fortieth of `parse` on Cyrillic, Arabic and CJK feeds.
            var i = 0
            let n = bytes.count
            while i < n {
                let b = bytes[i]
                if b < 0xCC { // below U+0300 (or a continuation byte of such a scalar)
                    i += 1
                    continue
                }
                let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
                guard i + length <= n else { return true }
                var v = UInt32(b) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
                for k in 1..<length { v = v << 6 | UInt32(bytes[i + k] & 0x3F) }
                i += length
                if isStableLetter(v) { continue }
                if let u = Unicode.Scalar(v), mayChangeUnderNFC(u) { return true }
            }
            return false
        }
        return mayChange ? s.precomposedStringWithCanonicalMapping : s
    }

    /// Letters and punctuation of the common non-Latin scripts that are starters (combining
    /// class 0) and appear in no NFC exclusion, singleton or composition with a preceding
    /// starter (Hangul trailing jamo and the combining marks are outside these ranges): such a
    /// character never changes under NFC, whatever its neighbours, so `mayChangeUnderNFC`
    /// need not look it up.
    @inlinable @inline(__always)
    public static func isStableLetter(_ v: UInt32) -> Bool {
        switch v {
        case 0x0400...0x0482, 0x048A...0x052F, // Cyrillic letters (0483–0489 are combining)
             0x0621...0x064A, 0x0660...0x066F, 0x0671...0x06D3, // Arabic letters and digits
             0x2010...0x2027, 0x2030...0x205E, // general punctuation (2000, 2001 are singletons)
             0x3000...0x3029, 0x3041...0x3096, 0x30A1...0x30FA, // CJK punctuation, kana
             0x4E00...0x9FFF, 0xAC00...0xD7A3, 0xFF01...0xFF5E: // CJK ideographs, Hangul syllables, full width
            return true
        default:
            return false
        }
    }

    /// White space that collapses: ASCII white space plus the Unicode line/paragraph separators.
    /// U+00A0 and other fixed-width spaces are kept: they are content (`&nbsp;` in a title).
    @inlinable @inline(__always)
    public static func isCollapsibleSpace(_ v: UInt32) -> Bool {
        v == 0x20 || (v >= 0x09 && v <= 0x0D) || v == 0x2028 || v == 0x2029
    }

    /// C0 and C1 controls, DEL, and noncharacters; white space is handled before this is asked.
    @inlinable @inline(__always)
    public static func isControl(_ v: UInt32) -> Bool {
        v < 0x20 || (v >= 0x7F && v <= 0x9F) || v == 0xFEFF || v == 0xFFFE || v == 0xFFFF
    }

    /// Whether `u` can make a string non-NFC: a combining mark (it may compose with what
    /// precedes it), a conjoining Hangul jamo, or a character whose NFC form is another one
    /// (singletons and composition exclusions). Text without any of these is already NFC, which
    /// lets the common case (Latin, Cyrillic, CJK, most Arabic) skip Foundation's normalizer.
    @inlinable @inline(__always)
    public static func mayChangeUnderNFC(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        if u.properties.canonicalCombiningClass != .notReordered { return true }
        switch v {
        case 0x0340...0x0344, 0x0374, 0x037E, 0x0387, 0x0958...0x095F, 0x09BE, 0x09D7, 0x09DC...0x09DF,
             0x0A33, 0x0A36, 0x0A59...0x0A5E, 0x0B3E, 0x0B56, 0x0B57, 0x0B5C, 0x0B5D, 0x0BBE, 0x0BD7,
             0x0C56, 0x0CC2, 0x0CD5, 0x0CD6, 0x0D3E, 0x0D57, 0x0DCF, 0x0DDF, 0x0F43...0x0FB9,
             0x102E, 0x1100...0x11FF, 0x1B35, 0x1F71...0x1FFD, 0x2000, 0x2001, 0x2126...0x212B,
             0x2329, 0x232A, 0x2ADC, 0x3099, 0x309A, 0xF900...0xFAFF, 0xFB1D...0xFB4E,
             0x110BA, 0x11127, 0x1133E, 0x11357, 0x114B0, 0x114BA, 0x114BD, 0x115AF,
             0x1D15E...0x1D1C0, 0x2F800...0x2FA1D:
            return true
        default:
            return false
        }
    }

    @inlinable @inline(__always)
    package static func appendUTF8(_ u: Unicode.Scalar, to out: inout [UInt8]) {
        let v = u.value
        if v < 0x80 {
            out.append(UInt8(v))
        } else {
            for b in UTF8.encode(u)! { out.append(b) }
        }
    }
}
