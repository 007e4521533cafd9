public import FeedModel

/// The formats `feedwatch parse --format` accepts; `auto` detects from content.
public enum InputFormat: String, CaseIterable, Sendable {
    case auto, text, html, rss, atom, rdf, jsonfeed
}

/// Everything the parser needs: bytes plus hints. No paths, no sockets: the caller reads.
public struct ParserInput: Sendable {
    public var bytes: [UInt8]
    public var format: InputFormat
    /// The URL the bytes came from (or `--base-url`), for resolving relative links.
    public var baseURL: String?
    /// The charset from an HTTP `Content-Type`, which outranks in-document declarations.
    public var charset: String?
    /// A file name, used only as a tie-breaker hint by format detection.
    public var fileName: String?

    public init(bytes: [UInt8], format: InputFormat = .auto, baseURL: String? = nil,
                charset: String? = nil, fileName: String? = nil) {
        self.bytes = bytes
        self.format = format
        self.baseURL = baseURL
        self.charset = charset
        self.fileName = fileName
    }
}

/// What one input yields: its articles in document order plus what the feed says about itself.
public struct ParsedDocument: Sendable {
    /// The concrete format that was parsed (never `.auto`).
    public var format: InputFormat
    /// Feed title (`source.title` in the record); `nil` for pages and text.
    public var feedTitle: String?
    public var feedLink: String?
    public var language: String?
    public var articles: [Article]
    /// Recoverable problems (wrong charset declaration, malformed XML recovered, …).
    public var warnings: [String]

    public init(format: InputFormat, feedTitle: String? = nil, feedLink: String? = nil,
                language: String? = nil, articles: [Article] = [], warnings: [String] = []) {
        self.format = format
        self.feedTitle = feedTitle
        self.feedLink = feedLink
        self.language = language
        self.articles = articles
        self.warnings = warnings
    }
}

/// Limits that keep hostile input from costing more than a bounded amount of memory and time.
public struct ParserLimits: Sendable {
    public var maxBytes: Int

    public init(maxBytes: Int = 64 << 20) {
        self.maxBytes = maxBytes
    }

    public static let `default` = ParserLimits()
}

/// Why an input was rejected as a whole. Recoverable problems are `ParsedDocument.warnings`.
public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
    enum Reason: Hashable, Sendable {
        case empty
        case binary
        case tooLarge(bytes: Int, limit: Int)
        case notParseable(String)
    }

    let reason: Reason

    public static let empty = ParseError(reason: .empty)
    public static let binary = ParseError(reason: .binary)
    public static func tooLarge(bytes: Int, limit: Int) -> ParseError { ParseError(reason: .tooLarge(bytes: bytes, limit: limit)) }
    public static func notParseable(_ why: String) -> ParseError { ParseError(reason: .notParseable(why)) }

    public var description: String {
        switch reason {
        case .empty: return "input is empty"
        case .binary: return "input is binary data, not text, HTML or a feed"
        case let .tooLarge(bytes, limit): return "input is \(bytes) bytes, over the limit of \(limit)"
        case let .notParseable(why): return why
        }
    }
}

/// The one entry point every caller uses: `parse`, `fetch`, the inbox and URL sources.
public enum ArticleParser {
    public static func parse(_ input: ParserInput, limits: ParserLimits = .default) throws(ParseError) -> ParsedDocument {
        guard !input.bytes.isEmpty else { throw .empty }
        guard input.bytes.count <= limits.maxBytes else {
            throw .tooLarge(bytes: input.bytes.count, limit: limits.maxBytes)
        }
        // Filled in by the feed, text and HTML layers.
        throw .notParseable("format not implemented yet")
    }
}
