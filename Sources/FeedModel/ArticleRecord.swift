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
        var w = JSONLineWriter()
        w.field("schema", Self.schema)
        if let seq { w.field("seq", seq) }
        w.field("id", precomputedID ?? article.id)
        w.field("kind", kind.rawValue)
        w.field("title", article.title)
        w.field("text", article.text)
        w.optional("summary", article.summary)
        w.optional("url", article.url)
        w.optional("guid", article.guid)
        w.optional("author", article.author)
        w.optional("published", article.published?.rfc3339)
        w.optional("updated", article.updated?.rfc3339)
        w.optional("language", article.language)
        if !article.tags.isEmpty { w.field("tags", article.tags) }
        w.field("word_count", article.wordCount)
        w.key("source")
        var s = JSONLineWriter()
        s.field("type", source.kind.rawValue)
        s.field("name", source.name)
        s.optional("url", source.url)
        s.optional("path", source.path)
        s.optional("title", source.title)
        w.raw(s.finish())
        w.field("fetched_at", fetchedAt.rfc3339)
        w.optional("previous_id", previousID)
        return w.finish() + "\n"
    }
}

/// A minimal JSON object writer: stable key order, UTF-8 passed through, control
/// characters escaped. Hand-written because `JSONEncoder` neither keeps key order nor is fast.
struct JSONLineWriter {
    private var out = "{"
    private var first = true

    mutating func key(_ k: String) {
        if !first { out += "," }
        first = false
        out += "\""
        out += k
        out += "\":"
    }

    mutating func raw(_ json: String) { out += json }

    mutating func field(_ k: String, _ v: Int) {
        key(k)
        out += String(v)
    }

    mutating func field(_ k: String, _ v: String) {
        key(k)
        JSONLineWriter.appendQuoted(v, to: &out)
    }

    mutating func field(_ k: String, _ v: [String]) {
        key(k)
        out += "["
        for (i, s) in v.enumerated() {
            if i > 0 { out += "," }
            JSONLineWriter.appendQuoted(s, to: &out)
        }
        out += "]"
    }

    mutating func optional(_ k: String, _ v: String?) {
        if let v, !v.isEmpty { field(k, v) }
    }

    mutating func finish() -> String { out + "}" }

    static func appendQuoted(_ s: String, to out: inout String) {
        out += "\""
        var needsEscape = false
        for b in s.utf8 where b < 0x20 || b == 0x22 || b == 0x5C {
            needsEscape = true
            break
        }
        guard needsEscape else {
            out += s
            out += "\""
            return
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(s.utf8.count + 16)
        let hex = Array("0123456789abcdef".utf8)
        for b in s.utf8 {
            switch b {
            case 0x22, 0x5C: bytes.append(0x5C); bytes.append(b)
            case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(0x5C); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(0x5C); bytes.append(UInt8(ascii: "t"))
            case 0..<0x20:
                bytes.append(0x5C); bytes.append(UInt8(ascii: "u")); bytes.append(0x30); bytes.append(0x30)
                bytes.append(hex[Int(b >> 4)])
                bytes.append(hex[Int(b & 0xF)])
            default: bytes.append(b)
            }
        }
        out += String(decoding: bytes, as: UTF8.self)
        out += "\""
    }
}
