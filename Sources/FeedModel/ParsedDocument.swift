/// The formats `feedwatch parse --format` accepts; `auto` detects from content.
public enum InputFormat: String, CaseIterable, Sendable {
    case auto, text, html, rss, atom, rdf, jsonfeed
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
