import Crypto

/// The content hash and word count rules of SPEC §3, in one place so that the parser,
/// the archive and the tests can never disagree on them.
public enum ArticleID {
    public static func of(title: String, text: String) -> String {
        var hasher = SHA256()
        // The strings' own UTF-8 storage, not copies of it: `text` can be a whole article.
        var title = title, text = text
        title.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        withUnsafeBytes(of: (UInt8(0x0A), UInt8(0x0A))) { hasher.update(bufferPointer: $0) }
        text.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        let digest = hasher.finalize()
        // Written into the String's own storage: no arrays per record.
        let hex: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 7 + 64) { out in
            var i = 0
            for b in "sha256:".utf8 { out[i] = b; i += 1 }
            hex.withUTF8Buffer { digits in
                for byte in digest {
                    out[i] = digits[Int(byte >> 4)]
                    out[i + 1] = digits[Int(byte & 0x0F)]
                    i += 2
                }
            }
            return i
        }
    }

    /// Counts maximal runs of non-white-space characters. Works on UTF-8 bytes: the text is
    /// normalized, so white space inside it is ASCII, U+00A0-class spaces or the few Unicode
    /// spaces decoded below; this runs once per archived record, so it must not walk Characters.
    public static func wordCount(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { bytes in
            var count = 0
            var inWord = false
            var i = 0
            let n = bytes.count
            while i < n {
                let b = bytes[i]
                // Continuation bytes and the lead bytes of scalars that are never spaces are
                // word bytes: a continuation byte only follows its lead byte, so it never starts
                // a word. Only ASCII spaces and the lead bytes C2, E1, E2, E3 need a look.
                switch b {
                case 0x20, 0x09...0x0D:
                    inWord = false
                    i += 1
                    continue
                case 0xC2:
                    if i + 1 < n, bytes[i + 1] == 0x85 || bytes[i + 1] == 0xA0 {
                        inWord = false
                        i += 2
                        continue
                    }
                case 0xE1, 0xE2, 0xE3:
                    if i + 2 < n, isThreeByteSpace(b, bytes[i + 1], bytes[i + 2]) {
                        inWord = false
                        i += 3
                        continue
                    }
                default:
                    break
                }
                if !inWord {
                    inWord = true
                    count += 1
                }
                i += 1
            }
            return count
        }
    }

    /// U+1680, U+2000…U+200A, U+2028, U+2029, U+202F, U+205F, U+3000: the three-byte
    /// scalars with Unicode's White_Space property.
    @inline(__always)
    static func isThreeByteSpace(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8) -> Bool {
        switch (b0, b1) {
        case (0xE1, 0x9A): return b2 == 0x80
        case (0xE2, 0x80): return b2 <= 0x8A || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF
        case (0xE2, 0x81): return b2 == 0x9F
        case (0xE3, 0x80): return b2 == 0x80
        default: return false
        }
    }
}
