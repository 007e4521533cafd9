/// One normalized article: what the shared parser produces from any input format.
///
/// Every string here is already normalized by the SPEC §3 rules (NFC, no control characters,
/// paragraphs joined by "\n\n"); optional fields are `nil` when the source did not say,
/// never empty strings. Where it came from (`ArticleSource`) and when it was ingested are
/// added by the caller, because the parser does no I/O and has no clock.
public struct Article: Sendable, Hashable {
    public var title: String
    public var text: String
    public var summary: String?
    public var url: String?
    public var guid: String?
    public var author: String?
    public var published: Timestamp?
    public var updated: Timestamp?
    public var language: String?
    public var tags: [String]

    public init(title: String = "", text: String = "", summary: String? = nil, url: String? = nil,
                guid: String? = nil, author: String? = nil, published: Timestamp? = nil,
                updated: Timestamp? = nil, language: String? = nil, tags: [String] = []) {
        self.title = title
        self.text = text
        self.summary = summary
        self.url = url
        self.guid = guid
        self.author = author
        self.published = published
        self.updated = updated
        self.language = language
        self.tags = tags
    }

    /// `"sha256:"` + hex SHA-256 of `title + "\n\n" + text`: the dedup key (SPEC §3).
    public var id: String { ArticleID.of(title: title, text: text) }

    /// Words in `text`, split on white space.
    public var wordCount: Int { ArticleID.wordCount(text) }

    /// The daemon archives only entries that carry something to hash (SPEC §4).
    public var isEmpty: Bool { title.isEmpty && text.isEmpty }
}

/// Where an article came from; `source` in the record.
public struct ArticleSource: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case feed, page, file
    }

    public var kind: Kind
    /// Config name of the source, or the file name for inbox and `parse` input.
    public var name: String
    public var url: String?
    public var path: String?
    /// The feed's own title, when known.
    public var title: String?

    public init(kind: Kind, name: String, url: String? = nil, path: String? = nil, title: String? = nil) {
        self.kind = kind
        self.name = name
        self.url = url
        self.path = path
        self.title = title
    }
}
