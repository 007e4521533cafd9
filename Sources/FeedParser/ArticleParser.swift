public import FeedModel
import PlainText
import ParserSupport
import PageExtraction
import FeedFormats

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

/// Limits that keep hostile input from costing more than a bounded amount of memory and time.
public struct ParserLimits: Sendable {
    public var maxBytes: Int

    public init(maxBytes: Int = 64 << 20) {
        self.maxBytes = maxBytes
    }

    public static let `default` = ParserLimits()
}

/// The one entry point every caller uses: `parse`, `fetch`, the inbox and URL sources.
public enum ArticleParser {
    /// Rejects what is no document at all (empty, oversized, binary), converts the rest to UTF-8
    /// (BOM, then `input.charset`, then the in-document declaration), detects the format when
    /// asked to, and hands the text to the feed, page or plain-text reader.
    public static func parse(_ input: ParserInput, limits: ParserLimits = .default) throws(ParseError) -> ParsedDocument {
        var removed: [RemovedParagraph]?
        return try parse(input, limits: limits, removed: &removed)
    }

    /// `parse`, and for a plain-text input every body paragraph the reader removed, with its
    /// rule (`feedwatch parse --explain`); none for feeds and pages. One decode, one reading: the
    /// explanation is of the very parse that made the record.
    public static func parseExplained(_ input: ParserInput, limits: ParserLimits = .default) throws(ParseError)
        -> (document: ParsedDocument, removed: [RemovedParagraph]) {
        var removed: [RemovedParagraph]? = []
        let document = try parse(input, limits: limits, removed: &removed)
        return (document, removed ?? [])
    }

    private static func parse(_ input: ParserInput, limits: ParserLimits,
                              removed: inout [RemovedParagraph]?) throws(ParseError) -> ParsedDocument {
        let bytes = input.bytes
        guard !bytes.isEmpty else { throw .empty }
        guard bytes.count <= limits.maxBytes else {
            throw .tooLarge(bytes: bytes.count, limit: limits.maxBytes)
        }
        if !isWideUnicode(bytes), FormatDetector.looksBinary(bytes) { throw .binary }

        if input.format == .html {
            return page(input)
        }
        let declared = CharsetDecoder.declaredCharset(in: bytes)
        var utf8: [UInt8]
        var decodeWarnings: [String] = []
        if isValidUTF8Text(bytes, httpCharset: input.charset, declared: declared) {
            // What `CharsetDecoder` would return, without a String and a second copy of a
            // document that may be 50 MB: the bytes themselves (shared, not copied).
            utf8 = bytes
            if utf8.starts(with: [0xEF, 0xBB, 0xBF]) { utf8.removeFirst(3) }
        } else {
            let decoded = CharsetDecoder.decode(bytes, httpCharset: input.charset, declared: declared)
            utf8 = Array(decoded.text.utf8)
            decodeWarnings = decoded.warnings
        }
        let hadBOM = utf8.starts(with: [0xEF, 0xBB, 0xBF])
        if hadBOM { utf8.removeFirst(3) }
        guard utf8.contains(where: { !ASCIIBytes.isXMLSpace($0) }) else { throw .empty }

        let format = input.format == .auto ? FormatDetector.detect(utf8, fileName: input.fileName) : input.format
        var document: ParsedDocument
        switch format {
        case .html, .auto:
            return page(input)
        case .text:
            var text = String(decoding: utf8, as: UTF8.self)
            if hadBOM { text = "\u{FEFF}" + text }
            if removed != nil {
                let explained = PlainTextArticle.explain(text)
                removed = explained.removed.map { RemovedParagraph(index: $0.index, text: $0.paragraph, rule: $0.rule) }
                document = ParsedDocument(format: .text, articles: [explained.article])
            } else {
                document = ParsedDocument(format: .text, articles: [PlainTextArticle.parse(text)])
            }
        case .jsonfeed:
            document = try JSONFeedParser.parse(utf8, baseURL: input.baseURL)
        case .rss, .atom, .rdf:
            document = try XMLFeedParser.parse(utf8: utf8, baseURL: input.baseURL,
                                               expected: input.format == .auto ? nil : format)
        }
        document.warnings = decodeWarnings + document.warnings
        return document
    }

    /// Whether `CharsetDecoder.decode` would read `bytes` as UTF-8 without a warning: a UTF-8
    /// BOM, or the first usable label (HTTP, then the document's) meaning UTF-8, or no label at
    /// all; and the bytes valid UTF-8 (checked in place, no copy).
    private static func isValidUTF8Text(_ bytes: [UInt8], httpCharset: String?, declared: String?) -> Bool {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        if bytes.starts(with: bom) {
            return bytes.withUnsafeBufferPointer { isWellFormedUTF8(UnsafeBufferPointer(rebasing: $0[3...])) }
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) {
            return false
        }
        for (label, isDocument) in [(httpCharset, false), (declared, true)] {
            guard let label, !label.isEmpty else { continue }
            guard let charset = CharsetLabels.canonical(label) else { return false } // warned about
            let utf8 = charset == "utf-8" || (isDocument && !CharsetLabels.isASCIICompatible(charset))
            guard utf8 else { return false }
            break
        }
        return bytes.withUnsafeBufferPointer(isWellFormedUTF8)
    }

    /// Unicode's well-formed UTF-8 (Table 3-7: no overlongs, surrogates or values past U+10FFFF),
    /// what `String(validating:)` accepts, checked without making a String: for a 50 MB feed
    /// that String was a third of the parse's peak memory.
    static func isWellFormedUTF8(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = b.count
        guard let base = b.baseAddress else { return true }
        let high = UInt64(0x8080_8080_8080_8080)
        while i < n {
            // ASCII 32 bytes at a time, then eight: most feeds are mostly ASCII.
            while i + 32 <= n {
                let p = UnsafeRawPointer(base + i)
                let x = p.loadUnaligned(as: UInt64.self) | p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                    | p.loadUnaligned(fromByteOffset: 16, as: UInt64.self) | p.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
                guard x & high == 0 else { break }
                i += 32
            }
            guard i < n else { break }
            if i + 8 <= n, UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & high == 0 {
                i += 8
                continue
            }
            let c = b[i]
            if c < 0x80 {
                i += 1
                continue
            }
            func continuation(_ k: Int) -> Bool { i + k < n && b[i + k] & 0xC0 == 0x80 }
            switch c {
            case 0xC2...0xDF:
                guard continuation(1) else { return false }
                i += 2
            case 0xE0...0xEF:
                guard continuation(1), continuation(2) else { return false }
                let c1 = b[i + 1]
                if c == 0xE0, c1 < 0xA0 { return false }
                if c == 0xED, c1 > 0x9F { return false }
                i += 3
            case 0xF0...0xF4:
                guard continuation(1), continuation(2), continuation(3) else { return false }
                let c1 = b[i + 1]
                if c == 0xF0, c1 < 0x90 { return false }
                if c == 0xF4, c1 > 0x8F { return false }
                i += 4
            default:
                return false
            }
        }
        return true
    }

    private static func page(_ input: ParserInput) -> ParsedDocument {
        let (article, warnings) = PageExtractor.extract(html: input.bytes, baseURL: input.baseURL, charset: input.charset)
        return ParsedDocument(format: .html, language: article.language, articles: [article], warnings: warnings)
    }

    /// UTF-16/32 text is full of NUL bytes but is not binary: a BOM or the `<?` / `<` pattern
    /// of XML in those encodings says so.
    private static func isWideUnicode(_ b: [UInt8]) -> Bool {
        if b.starts(with: [0xFE, 0xFF]) || b.starts(with: [0xFF, 0xFE]) { return true }
        if b.starts(with: [0x00, 0x00, 0xFE, 0xFF]) { return true }
        return CharsetDecoder.unmarkedWideEncoding(b) != nil
    }

}
