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

    /// Counts maximal runs of non-white-space characters.
    public static func wordCount(_ text: String) -> Int {
        var count = 0
        var inWord = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                inWord = false
            } else if !inWord {
                inWord = true
                count += 1
            }
        }
        return count
    }
}
