/// One line of the archive (schema 1, SPEC §3): an article plus where and when it was ingested.
///
/// `parse` and `fetch` print the same record without `seq`, so a user can compare their output
/// with the archive line for line.
public struct ArticleRecord: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case new, updated
    }

    public static let schema = 1

    public var seq: Int?
    public var kind: Kind
    public var article: Article
    public var source: ArticleSource
    public var fetchedAt: Timestamp
    /// With `kind == .updated`: the id this record replaces.
    public var previousID: String?

    public init(seq: Int? = nil, kind: Kind = .new, article: Article, source: ArticleSource,
                fetchedAt: Timestamp, previousID: String? = nil) {
        self.seq = seq
        self.kind = kind
        self.article = article
        self.source = source
        self.fetchedAt = fetchedAt
        self.previousID = previousID
    }

    public var id: String { article.id }

    /// The record as one JSON object, keys in the SPEC's order, optional keys omitted,
    /// terminated by `"\n"`. `id` may be passed in when the caller already computed it.
    public func jsonLine(id precomputedID: String? = nil) -> String {
        var bytes = [UInt8]()
        appendJSONLine(to: &bytes, id: precomputedID)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The same line appended to `buffer` as UTF-8 bytes: what `parse` writes to its output,
    /// without a String per record.
    public func appendJSONLine(to buffer: inout [UInt8], id precomputedID: String? = nil) {
        var w = JSONLineWriter(taking: &buffer)
        w.field("schema", Self.schema)
        if let seq { w.field("seq", seq) }
        w.field("id", precomputedID ?? article.id)
        w.field("kind", kind.rawValue)
        w.field("title", article.title)
        let words = w.textField("text", article.text)
        w.optional("summary", article.summary)
        w.optional("url", article.url)
        w.optional("guid", article.guid)
        w.optional("author", article.author)
        w.optional("published", article.published?.rfc3339)
        w.optional("updated", article.updated?.rfc3339)
        w.optional("language", article.language)
        if !article.tags.isEmpty { w.field("tags", article.tags) }
        w.field("word_count", words)
        w.key("source")
        w.openObject()
        w.field("type", source.kind.rawValue)
        w.field("name", source.name)
        w.optional("url", source.url)
        w.optional("path", source.path)
        w.optional("title", source.title)
        w.closeObject()
        w.field("fetched_at", fetchedAt.rfc3339)
        w.optional("previous_id", previousID)
        buffer = w.finish()
        buffer.append(0x0A)
    }
}

/// A minimal JSON object writer on UTF-8 bytes: stable key order, UTF-8 passed through, control
/// characters escaped. Hand-written because `JSONEncoder` neither keeps key order nor is fast.
struct JSONLineWriter {
    private var out: [UInt8]
    private var first = true

    /// Appends to `buffer`'s bytes, which move into the writer (`buffer` is left empty) so the
    /// array stays uniquely referenced and grows in place.
    init(taking buffer: inout [UInt8]) {
        out = buffer
        buffer = []
        out.append(UInt8(ascii: "{"))
    }

    mutating func key(_ k: StaticString) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: UnsafeBufferPointer(start: k.utf8Start, count: k.utf8CodeUnitCount))
        out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    mutating func openObject() {
        out.append(UInt8(ascii: "{"))
        first = true
    }

    mutating func closeObject() {
        out.append(UInt8(ascii: "}"))
        first = false
    }

    mutating func field(_ k: StaticString, _ v: Int) {
        key(k)
        out.append(contentsOf: String(v).utf8)
    }

    mutating func field(_ k: StaticString, _ v: String) {
        key(k)
        JSONLineWriter.appendQuoted(v, to: &out)
    }

    /// The article text, quoted, in the same pass as its word count (`ArticleID.wordCount`'s
    /// rule), which it returns: the text is most of a record's bytes, and a second scan of it
    /// was a twentieth of `parse`.
    mutating func textField(_ k: StaticString, _ v: String) -> Int {
        key(k)
        var v = v
        return v.withUTF8 { JSONLineWriter.appendQuotedCountingWords($0, to: &out) }
    }

    mutating func field(_ k: StaticString, _ v: [String]) {
        key(k)
        out.append(UInt8(ascii: "["))
        for (i, s) in v.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONLineWriter.appendQuoted(s, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    mutating func optional(_ k: StaticString, _ v: String?) {
        if let v, !v.isEmpty { field(k, v) }
    }

    /// The bytes, moved out (the writer is left empty, so the caller's array is unique).
    mutating func finish() -> [UInt8] {
        out.append(UInt8(ascii: "}"))
        var done = [UInt8]()
        swap(&done, &out)
        return done
    }

    static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { appendQuoted($0, to: &out) }
    }

    /// The JSON escape of one byte that needs it (`"`, `\\`, a C0 control): the one table both
    /// quoting passes use.
    @inline(__always)
    static func appendEscape(_ b: UInt8, to out: inout [UInt8]) {
        switch b {
        case 0x22, 0x5C: out.append(0x5C); out.append(b)
        case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
        case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
        default:
            out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
        }
    }

    /// One pass: runs of bytes that need no escape are copied whole.
    static func appendQuoted(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var run = 0
        var i = 0
        let n = bytes.count
        while i < n {
            // Eight bytes at a time while none needs an escape (UTF-8 passes through).
            if i + 8 <= n, let base = bytes.baseAddress,
               !Self.needsEscape(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) {
                i += 8
                continue
            }
            let b = bytes[i]
            i += 1
            guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
            if i - 1 > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<(i - 1)])) }
            run = i
            appendEscape(b, to: &out)
        }
        if bytes.count > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<bytes.count])) }
        out.append(UInt8(ascii: "\""))
    }

    static func appendQuotedCountingWords(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Int {
        out.append(UInt8(ascii: "\""))
        var run = 0
        var words = 0
        var inWord = false
        var i = 0
        let n = bytes.count
        let base = bytes.baseAddress
        while i < n {
            // Eight bytes at a time while they are printable ASCII and spaces, nothing to
            // escape: a word starts at each visible byte after a space (or after the last
            // chunk's space). Most article text is such chunks.
            if i + 8 <= n, let base {
                let x = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if Self.isPlainASCII(x) {
                    let space = Self.zeroBytes(x ^ 0x2020_2020_2020_2020)
                    let visible = ~space & 0x8080_8080_8080_8080
                    let before = space << 8 | (inWord ? 0 : 0x80)
                    words += (visible & before).nonzeroBitCount
                    inWord = visible & 0x8000_0000_0000_0000 != 0
                    i += 8
                    continue
                }
            }
            let b = bytes[i]
            if b > 0x20, b != 0x22, b != 0x5C, b < 0xC2 || b > 0xE3 {
                // The common byte: printable ASCII other than `"` and `\`, or part of a scalar
                // that is never white space.
                if !inWord {
                    inWord = true
                    words += 1
                }
                i += 1
                continue
            }
            var length = 1
            var space = false
            if b == 0x20 || (b >= 0x09 && b <= 0x0D) {
                space = true
            } else if b == 0xC2 {
                space = i + 1 < n && (bytes[i + 1] == 0x85 || bytes[i + 1] == 0xA0)
                length = space ? 2 : 1
            } else if b >= 0xE1 {
                space = i + 2 < n && ArticleID.isThreeByteSpace(b, bytes[i + 1], bytes[i + 2])
                length = space ? 3 : 1
            }
            if space {
                inWord = false
            } else if !inWord {
                inWord = true
                words += 1
            }
            if b < 0x20 || b == 0x22 || b == 0x5C {
                if i > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i])) }
                run = i + 1
                appendEscape(b, to: &out)
            }
            i += length
        }
        if n > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<n])) }
        out.append(UInt8(ascii: "\""))
        return words
    }

    /// 0x80 in each byte of `x` that is zero, nothing elsewhere (exact, no carries across bytes).
    @inline(__always)
    static func zeroBytes(_ x: UInt64) -> UInt64 {
        let low7 = UInt64(0x7F7F_7F7F_7F7F_7F7F)
        return ~(((x & low7) &+ low7) | x | low7)
    }

    /// Some byte of `x` is a C0 control, `"` or `\\` (bytes ≥ 0x80 never are).
    @inline(__always)
    static func needsEscape(_ x: UInt64) -> Bool {
        let ones = UInt64(0x0101_0101_0101_0101)
        let low7 = ones &* 0x7F
        // 0x80 in each byte below 0x20 (exact: the masked sum never carries out of a byte).
        let control = ~((x & low7) &+ ones &* 0x60) & ~x & (ones &* 0x80)
        return control | zeroBytes(x ^ (ones &* 0x22)) | zeroBytes(x ^ (ones &* 0x5C)) != 0
    }

    /// Every byte of `x` is 0x20…0x7E other than `"` and `\\`.
    @inline(__always)
    static func isPlainASCII(_ x: UInt64) -> Bool {
        let high = UInt64(0x8080_8080_8080_8080)
        let ones = UInt64(0x0101_0101_0101_0101)
        // No byte ≥ 0x80; none < 0x20 (x + 0x60 reaches 0x80 exactly from 0x20 up, and no byte
        // carries since each is < 0x80); no 0x7F, `"` or `\\`.
        guard x & high == 0, (x &+ ones &* 0x60) & high == high else { return false }
        return zeroBytes(x ^ (ones &* 0x7F)) | zeroBytes(x ^ (ones &* 0x22)) | zeroBytes(x ^ (ones &* 0x5C)) == 0
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)
}
