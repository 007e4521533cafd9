/// Bytes in some declared or guessed charset → valid UTF-8 text.
public enum CharsetDecoder {
    public struct Decoded: Sendable {
        public var text: String
        /// The WHATWG name of the charset actually used.
        public var charset: String
        public var warnings: [String]
    }

    /// Order of authority: BOM, then `httpCharset`, then `declared` (XML declaration / `<meta>`),
    /// then UTF-8 if valid, else windows-1252.
    public static func decode(_ bytes: [UInt8], httpCharset: String?, declared: String?) -> Decoded {
        Decoded(text: String(decoding: bytes, as: UTF8.self), charset: "utf-8", warnings: [])
    }

    /// The charset a document declares about itself in its first bytes: the XML declaration's
    /// `encoding="…"`, or an HTML `<meta charset>` / `http-equiv="Content-Type"`. `nil` if none.
    public static func declaredCharset(in bytes: [UInt8]) -> String? {
        nil
    }
}
