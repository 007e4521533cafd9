import Crypto

/// The 32 raw bytes of an article id's SHA-256, as the index keeps it (half the size of the hex).
struct Digest32: Hashable, Sendable {
    var w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    /// Bucket hash: the digest is already uniform, so its first word is as good as any mix.
    var hash: UInt64 { w0 }

    /// Parses `"sha256:"` + 64 lowercase hex digits; `nil` for anything else.
    init?<C: Collection>(idUTF8 id: C) where C.Element == UInt8 {
        guard id.count == 71 else { return nil }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var i = 0
        for b in id {
            if i < 7 {
                guard b == Self.prefix[i] else { return nil }
            } else {
                let v: UInt8
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): v = b - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): v = b - UInt8(ascii: "a") + 10
                default: return nil
                }
                let nibble = i - 7
                let word = nibble / 16
                let shift = UInt64(60 - 4 * (nibble % 16))
                let bits = UInt64(v) << shift
                switch word {
                case 0: words.0 |= bits
                case 1: words.1 |= bits
                case 2: words.2 |= bits
                default: words.3 |= bits
                }
            }
            i += 1
        }
        (w0, w1, w2, w3) = words
    }

    init(w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64) {
        (self.w0, self.w1, self.w2, self.w3) = (w0, w1, w2, w3)
    }

    /// Back to the record's `id` string (for `previous_id`).
    var idString: String {
        let hex = Array("0123456789abcdef".utf8)
        var out = Array("sha256:".utf8)
        out.reserveCapacity(71)
        for w in [w0, w1, w2, w3] {
            var shift: UInt64 = 60
            for _ in 0..<16 {
                out.append(hex[Int((w >> shift) & 0xF)])
                shift &-= 4
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let prefix = Array("sha256:".utf8)
}

/// An article's identity (SPEC §5: source name + guid, else source name + url), hashed to 16 bytes.
/// A collision between two of a billion identities has odds of about 1e-21; its only effect would be
/// a record marked `updated` against an unrelated `previous_id`.
struct IdentityKey: Hashable, Sendable {
    var w0: UInt64, w1: UInt64

    var hash: UInt64 { w0 }

    /// The all-zero key stands for "no identity" in the index's dense arrays.
    static let none = IdentityKey(w0: 0, w1: 0)

    init(w0: UInt64, w1: UInt64) {
        (self.w0, self.w1) = (w0, w1)
    }

    /// `nil` when the article has neither a guid nor a url (empty strings count as absent, as the
    /// record writer omits them).
    static func of<N: Collection, V: Collection>(sourceName: N, guid: V?, url: V?) -> IdentityKey?
    where N.Element == UInt8, V.Element == UInt8 {
        let tag: UInt8
        let value: V
        if let guid, !guid.isEmpty {
            (tag, value) = (UInt8(ascii: "g"), guid)
        } else if let url, !url.isEmpty {
            (tag, value) = (UInt8(ascii: "u"), url)
        } else {
            return nil
        }
        var h = SHA256()
        h.update(data: Array(sourceName))
        h.update(data: [0, tag, 0])
        h.update(data: Array(value))
        var words: (UInt64, UInt64) = (0, 0)
        for (i, b) in h.finalize().prefix(16).enumerated() {
            if i < 8 { words.0 = words.0 << 8 | UInt64(b) } else { words.1 = words.1 << 8 | UInt64(b) }
        }
        let key = IdentityKey(w0: words.0, w1: words.1)
        return key == .none ? IdentityKey(w0: 1, w1: 0) : key
    }

    static func of(sourceName: String, guid: String?, url: String?) -> IdentityKey? {
        of(sourceName: sourceName.utf8, guid: guid.map { Array($0.utf8) }, url: url.map { Array($0.utf8) })
    }
}
