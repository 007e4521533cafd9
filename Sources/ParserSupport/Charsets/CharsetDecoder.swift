/// Bytes in some declared or guessed charset → valid UTF-8 text.
///
/// Wrong declarations are the norm on the web (a feed labelled UTF-8 that is really
/// windows-1252, a made-up label), so no candidate is trusted blindly: an unknown label is
/// skipped with a warning, and a UTF-8 claim that the bytes contradict falls back to
/// windows-1252 with a warning. The result is always valid UTF-8.
public enum CharsetDecoder {
    public struct Decoded: Sendable {
        public var text: String
        /// The WHATWG name of the charset actually used.
        public var charset: String
        public var warnings: [String]
    }

    /// Order of authority: BOM, then a UTF-16/32 `<` without one, then `httpCharset`, then
    /// `declared` (XML declaration / `<meta>`), then UTF-8 if valid, else windows-1252. A declared
    /// legacy charset that fails on many bytes gives way to UTF-8, then windows-1252 (`fallback`).
    public static func decode(_ bytes: [UInt8], httpCharset: String?, declared: String?) -> Decoded {
        if let (charset, bomLength) = byteOrderMark(bytes) {
            return convert(Array(bytes[bomLength...]), charset: charset, warnings: [])
        }
        if let charset = unmarkedWideEncoding(bytes) {
            return convert(bytes, charset: charset, warnings: [])
        }
        var warnings: [String] = []
        for (label, origin) in [(httpCharset, "HTTP Content-Type"), (declared, "document")] {
            guard let label, !label.isEmpty else { continue }
            guard var charset = CharsetLabels.canonical(label) else {
                warnings.append("unknown charset \"\(label)\" in the \(origin) declaration; ignored")
                continue
            }
            if origin == "document", !CharsetLabels.isASCIICompatible(charset) {
                // The declaration was readable as ASCII, so the document cannot be UTF-16/32
                // without a BOM; browsers read it as UTF-8 (WHATWG "prescan").
                charset = "utf-8"
            }
            return convert(bytes, charset: charset, warnings: warnings)
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            return Decoded(text: text, charset: "utf-8", warnings: warnings)
        }
        warnings.append("no charset declared and the bytes are not valid UTF-8; decoded as windows-1252")
        return Decoded(text: CharsetConverter.windows1252(bytes), charset: "windows-1252", warnings: warnings)
    }

    /// The charset a document declares about itself in its first bytes: the XML declaration's
    /// `encoding="…"`, or an HTML `<meta charset>` / `http-equiv="Content-Type"`. `nil` if none.
    public static func declaredCharset(in bytes: [UInt8]) -> String? {
        CharsetSniffer.declaredCharset(in: bytes)
    }

    private static func convert(_ bytes: [UInt8], charset: String, warnings: [String]) -> Decoded {
        var warnings = warnings
        switch charset {
        case "utf-8":
            if let text = String(validating: bytes, as: UTF8.self) {
                return Decoded(text: text, charset: "utf-8", warnings: warnings)
            }
            warnings.append("declared UTF-8 but the bytes are not valid UTF-8; decoded as windows-1252")
            return Decoded(text: CharsetConverter.windows1252(bytes), charset: "windows-1252", warnings: warnings)
        case "windows-1252":
            return Decoded(text: CharsetConverter.windows1252(bytes), charset: charset, warnings: warnings)
        default:
            if CharsetLabels.isASCIICompatible(charset), bytes.allSatisfy({ $0 < 0x80 }) {
                return Decoded(text: String(decoding: bytes, as: UTF8.self), charset: charset, warnings: warnings)
            }
            do {
                let (text, replaced) = try CharsetConverter.iconv(bytes, from: CharsetLabels.iconvName(charset))
                if replaced > 0, let fallback = fallback(bytes, charset: charset, replaced: replaced, warnings: warnings) {
                    return fallback
                }
                if replaced > 0 {
                    warnings.append("\(replaced) byte sequence(s) invalid in \(charset) replaced by U+FFFD")
                }
                return Decoded(text: text, charset: charset, warnings: warnings)
            } catch {
                warnings.append("\(error.message); decoded as windows-1252")
                return Decoded(text: CharsetConverter.windows1252(bytes), charset: "windows-1252", warnings: warnings)
            }
        }
    }

    /// A document in UTF-16 or UTF-32 without a byte order mark, told by its first character
    /// being `<` (XML 1.0 Appendix F: a feed or page starts with `<?xml`, `<rss`, `<feed`…):
    /// in those encodings the `<` comes with NUL bytes that no ASCII-compatible text has.
    /// Also how `ArticleParser` tells such a document from binary data.
    public static func unmarkedWideEncoding(_ b: [UInt8]) -> String? {
        guard b.count >= 4 else { return nil }
        switch (b[0], b[1], b[2], b[3]) {
        case (0x3C, 0, 0, 0): return "utf-32le"
        case (0, 0, 0, 0x3C): return "utf-32be"
        case (0x3C, 0, let c, 0) where c != 0: return "utf-16le"
        case (0, 0x3C, 0, let c) where c != 0: return "utf-16be"
        default: return nil
        }
    }

    /// A declaration the bytes contradict: many sequences invalid in `charset` mean the label is
    /// wrong (typically a UTF-8 page still saying `gb2312` or `shift_jis` after a CMS move), and
    /// decoding by it gives mojibake. "Many" is 1% of the non-ASCII bytes (at least 2) for valid
    /// UTF-8, which a real legacy page almost never is, and 10% (at least 8) for windows-1252,
    /// which never fails but is only a better guess when the declared charset reads little of
    /// the page; a stray bad byte or two keeps the declared charset and its U+FFFD.
    /// `nil`: keep the declared charset's reading.
    private static func fallback(_ bytes: [UInt8], charset: String, replaced: Int, warnings: [String]) -> Decoded? {
        var nonASCII = 0
        for b in bytes where b >= 0x80 { nonASCII += 1 }
        guard nonASCII > 0 else { return nil }
        var warnings = warnings
        if replaced >= 2, replaced * 100 >= nonASCII, let text = String(validating: bytes, as: UTF8.self) {
            warnings.append("declared \(charset) but \(replaced) byte sequence(s) are invalid in it and the bytes are valid UTF-8; decoded as UTF-8")
            return Decoded(text: text, charset: "utf-8", warnings: warnings)
        }
        if replaced >= 8, replaced * 10 >= nonASCII {
            warnings.append("declared \(charset) but \(replaced) byte sequence(s) are invalid in it; decoded as windows-1252")
            return Decoded(text: CharsetConverter.windows1252(bytes), charset: "windows-1252", warnings: warnings)
        }
        return nil
    }

    /// UTF-32 is checked before UTF-16: `FF FE 00 00` starts both.
    private static func byteOrderMark(_ b: [UInt8]) -> (String, Int)? {
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { return ("utf-8", 3) }
        if b.starts(with: [0xFF, 0xFE, 0x00, 0x00]) { return ("utf-32le", 4) }
        if b.starts(with: [0x00, 0x00, 0xFE, 0xFF]) { return ("utf-32be", 4) }
        if b.starts(with: [0xFF, 0xFE]) { return ("utf-16le", 2) }
        if b.starts(with: [0xFE, 0xFF]) { return ("utf-16be", 2) }
        return nil
    }
}
