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

    /// One pass: runs of bytes that need no escape are copied whole.
    static func appendQuoted(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var run = 0
        for i in 0..<bytes.count {
            let b = bytes[i]
            guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
            if i > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i])) }
            run = i + 1
            switch b {
            case 0x22, 0x5C: out.append(0x5C); out.append(b)
            case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
            default:
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            }
        }
        if bytes.count > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<bytes.count])) }
        out.append(UInt8(ascii: "\""))
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)
}
