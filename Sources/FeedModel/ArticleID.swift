import Crypto

/// The content hash and word count rules of SPEC §3, in one place so that the parser,
/// the archive and the tests can never disagree on them.
public enum ArticleID {
    public static func of(title: String, text: String) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(title.utf8))
        hasher.update(data: [0x0A, 0x0A])
        hasher.update(data: Array(text.utf8))
        let digest = hasher.finalize()
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out = Array("sha256:".utf8)
        out.reserveCapacity(7 + 64)
        for byte in digest {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Counts maximal runs of non-white-space characters. Works on UTF-8 bytes: the text is
    /// normalized, so white space inside it is ASCII, U+00A0-class spaces or the few Unicode
    /// spaces decoded below; this runs once per archived record, so it must not walk Characters.
    public static func wordCount(_ text: String) -> Int {
        var count = 0
        var inWord = false
        var utf8 = text.utf8.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&utf8) {
            case let .scalarValue(u):
                let space: Bool
                if u.value < 0x80 {
                    space = u.value == 0x20 || (u.value >= 0x09 && u.value <= 0x0D)
                } else {
                    space = u.properties.isWhitespace
                }
                if space {
                    inWord = false
                } else if !inWord {
                    inWord = true
                    count += 1
                }
            case .emptyInput:
                return count
            case .error:
                continue
            }
        }
    }
}
