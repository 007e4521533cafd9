public import FeedModel
import Foundation
import ParserSupport

/// Plain-text articles like `seeds/*.txt`: title line, optional `Key: value` header block and byline,
/// paragraphs separated by blank lines, boilerplate removed at head and tail.
///
/// The layout (SPEC §4): the first non-empty line is the title unless the first block is a
/// header block; `Title`, `Author`, `Date`, `URL`, `Source` header lines (any case, with the
/// usual other spellings such as `Published`, `Link`, `Tags`, and `By …` bylines; before or
/// right after the title line, up to the first blank line, or as a block of their own right
/// after a lone title line) fill the matching fields; every
/// later blank-line-separated block is a paragraph whose hard-wrapped lines are joined with a
/// space. `BoilerplateClassifier` then drops appeals, share lists and the like.
public enum PlainTextArticle {
    public static func parse(_ text: String) -> Article {
        var none: [BoilerplateClassifier.Removal]?
        return parse(text, removals: &none)
    }

    /// A paragraph the parser left out of the text, and the rule that removed it.
    public struct Removed: Sendable, Equatable {
        /// Position among the body paragraphs (after the title and header lines), from 0.
        public var index: Int
        public var paragraph: String
        public var rule: String
    }

    /// `parse`, and every body paragraph it removed with the rule that removed it, in order
    /// (`feedwatch parse --explain`).
    public static func explain(_ text: String) -> (article: Article, removed: [Removed]) {
        var removals: [BoilerplateClassifier.Removal]? = []
        var paragraphs: [String] = []
        let article = parse(text, removals: &removals, paragraphs: &paragraphs)
        let removed = (removals ?? []).sorted { $0.index < $1.index }
            .map { Removed(index: $0.index, paragraph: paragraphs[$0.index], rule: $0.rule.description) }
        return (article, removed)
    }

    static func parse(_ text: String, removals: inout [BoilerplateClassifier.Removal]?) -> Article {
        var paragraphs: [String] = []
        return parse(text, removals: &removals, paragraphs: &paragraphs)
    }

    private static func parse(_ text: String, removals: inout [BoilerplateClassifier.Removal]?,
                              paragraphs: inout [String]) -> Article {
        var lines = Lines(text)
        var article = Article()
        var titleLine: String?

        // The first block: title line and/or header lines.
        lines.skipBlank()
        var bodyLines: [String] = []
        while let line = lines.next(), !Lines.isBlank(line) {
            if BoilerplateClassifier.isAdvertisementLine(line) { continue }
            if bodyLines.isEmpty, case let found = header(line, bylines: titleLine != nil), !found.isEmpty {
                for (key, value) in found { apply(key: key, value: value, to: &article) }
            } else if titleLine == nil, article.title.isEmpty, bodyLines.isEmpty {
                titleLine = String(decoding: line, as: UTF8.self)
            } else {
                // Not a header: the first block was a title plus the first paragraph.
                bodyLines.append(String(decoding: line, as: UTF8.self))
            }
        }
        if article.title.isEmpty, titleLine == nil, bodyLines.isEmpty {
            // A header block without a title: the title is the next non-empty line.
            lines.skipBlank()
            if let line = lines.next() { titleLine = String(decoding: line, as: UTF8.self) }
        }
        if titleLine != nil, bodyLines.isEmpty {
            // "Title", blank line, then a block made only of header lines: headers too.
            applyHeaderBlock(&lines, to: &article)
        }
        if let titleLine, article.title.isEmpty {
            article.title = TextNormalizer.paragraph(titleLine)
        } else if let titleLine {
            bodyLines.insert(titleLine, at: 0)
        }

        paragraphs = []
        if !bodyLines.isEmpty { paragraphs.append(TextNormalizer.paragraph(bodyLines.joined(separator: " "))) }
        var current: [String] = []
        while let line = lines.next() {
            if Lines.isBlank(line) {
                if !current.isEmpty { paragraphs.append(TextNormalizer.paragraph(current.joined(separator: " "))) }
                current.removeAll()
            } else if !BoilerplateClassifier.isAdvertisementLine(line) {
                current.append(String(decoding: line, as: UTF8.self))
            }
        }
        if !current.isEmpty { paragraphs.append(TextNormalizer.paragraph(current.joined(separator: " "))) }
        paragraphs = paragraphs.filter { !$0.isEmpty }
        tailTags(paragraphs, into: &article)
        var removed: [BoilerplateClassifier.Removal]? = []
        article.text = BoilerplateClassifier.trim(paragraphs, author: article.author, removals: &removed)
            .joined(separator: "\n\n")
        headFields(removed ?? [], paragraphs, into: &article)
        if removals != nil { removals = removed }
        return article
    }

    /// Consumes the next blocks while every line of one is a known header (`Author: …`, a byline,
    /// a date line: "By Ann Lee", blank, "March 14, 2018"); a block with any other line is a
    /// paragraph and stays.
    private static func applyHeaderBlock(_ lines: inout Lines, to article: inout Article) {
        for _ in 0..<4 {
            var probe = lines
            probe.skipBlank()
            var headers: [(HeaderKey, String)] = []
            var rest = probe
            while let line = rest.next(), !Lines.isBlank(line) {
                let found = header(line, bylines: true)
                guard !found.isEmpty else { return }
                headers += found
                probe = rest
            }
            guard !headers.isEmpty else { return }
            // The title line already read stays the title; a `Title:` this late is dropped.
            for (key, value) in headers where key != .title { apply(key: key, value: value, to: &article) }
            lines = probe
        }
    }

    private enum HeaderKey {
        case title, author, date, updated, url, source, tags, language
    }

    /// Header names as people write them, lowercased; several spellings per field.
    private static let headerKeys: [String: HeaderKey] = [
        "title": .title, "headline": .title,
        "author": .author, "authors": .author, "by": .author, "byline": .author, "writer": .author,
        "date": .date, "published": .date, "posted": .date, "pubdate": .date,
        "updated": .updated, "modified": .updated,
        "url": .url, "link": .url, "permalink": .url, "canonical": .url,
        "source": .source,
        "tags": .tags, "keywords": .tags, "categories": .tags, "topics": .tags,
        "language": .language, "lang": .language,
    ]

    /// The fields a header line gives: `Key: value` with a known key, a byline (`By Ann Lee and
    /// Bo Chan`, maybe with `Published …`/`Updated …` after the name), or a bare timestamp line
    /// (`Apr 3, 2021, 10:14 AM`); empty for any other line, including "Note: …" prose and a date
    /// key whose value is not a date. Bylines and bare dates count only once the title is read:
    /// "By The Numbers: …" is a headline.
    private static func header(_ line: ArraySlice<UInt8>, bylines: Bool = false) -> [(HeaderKey, String)] {
        // Bylines and date lines are short; a paragraph line is not worth normalizing for them.
        if bylines, line.count <= 80 {
            if let found = byline(line) { return found }
            let text = TextNormalizer.paragraph(String(decoding: line, as: UTF8.self))
            if text.count <= 40, text.contains(where: \.isNumber), DateParser.parse(text) != nil { return [(.date, text)] }
            // "Published June 2, 2022 5:30AM (EDT)": a date line without its colon (kept out of the
            // text even when the date itself cannot be read).
            let parts = text.split(separator: " ", maxSplits: 1)
            if parts.count == 2, text.count <= 60, let k = headerKeys[parts[0].lowercased()], k == .date || k == .updated,
               parts[1].contains(where: \.isNumber) {
                return [(k, String(parts[1]))]
            }
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon - line.startIndex <= 10 else { return [] }
        var key = [UInt8]()
        for b in line[..<colon] {
            guard ASCIIBytes.isASCIILetter(b) else { return [] }
            key.append(ASCIIBytes.lower(b))
        }
        guard let k = headerKeys[String(decoding: key, as: UTF8.self)] else { return [] }
        let value = TextNormalizer.paragraph(String(decoding: line[(colon + 1)...], as: UTF8.self))
        if value.isEmpty { return [] }
        if k == .date || k == .updated, DateParser.parse(value) == nil { return [] }
        return [(k, value)]
    }

    /// "By Ann Lee", "by Ann Lee and Bo Chan": every word after "by" capitalized (or a joining
    /// word), at most eight words, no sentence end. "By the end of the year, …" is prose. A date
    /// after the name ("By Ann Lee Published June 2, 2022") fills the date too.
    private static func byline(_ line: ArraySlice<UInt8>) -> [(HeaderKey, String)]? {
        guard line.count >= 4, ASCIIBytes.lower(line[line.startIndex]) == UInt8(ascii: "b"),
              ASCIIBytes.lower(line[line.startIndex + 1]) == UInt8(ascii: "y"), line[line.startIndex + 2] == 0x20
        else { return nil }
        var text = TextNormalizer.paragraph(String(decoding: line, as: UTF8.self))
        var dated: [(HeaderKey, String)] = []
        for (marker, key) in [(" Published ", HeaderKey.date), (" Posted ", .date), (" Updated ", .updated)] {
            guard let r = text.range(of: marker) else { continue }
            let date = String(text[r.upperBound...])
            if DateParser.parse(date) != nil { dated.append((key, date)) }
            text = String(text[..<r.lowerBound])
            break
        }
        let words = text.split(separator: " ")
        guard words.count >= 2, words.count <= 9, !text.contains(":"),
              !text.hasSuffix(".") || words.last?.count == 2
        else { return nil }
        let joiners: Set<Substring> = ["and", "&", "de", "da", "van", "von", "der", "la", "le", "del", "bin", "al"]
        for word in words.dropFirst() where !joiners.contains(word) {
            guard let first = word.unicodeScalars.first, first.properties.isUppercase else { return nil }
        }
        // "By Rachel Kim, Staff Writer": the name without the job title.
        var name = words.dropFirst().joined(separator: " ").trimmingTrailingCommas
        if let comma = name.lastIndex(of: ","),
           name[comma...].split(separator: " ").contains(where: { Self.jobWords.contains($0.lowercased()) }) {
            name = String(name[..<comma])
        }
        return [(.author, name)] + dated
    }

    private static let jobWords: Set<String> = ["writer", "reporter", "editor", "correspondent", "columnist", "contributor"]

    private static func apply(key: HeaderKey, value: String, to article: inout Article) {
        switch key {
        case .title: article.title = value
        case .author: article.author = value
        case .date: if let date = DateParser.parse(value) { article.published = date }
        case .updated: if let date = DateParser.parse(value) { article.updated = date }
        case .url: article.url = URLNormalizer.articleURL(value, base: nil)
        case .source:
            // The publication's name has no field in the record; a link here is the article's.
            if article.url == nil { article.url = URLNormalizer.articleURL(value, base: nil) }
        case .tags:
            article.tags = value.split(whereSeparator: { $0 == "," || $0 == ";" })
                .map { TextNormalizer.paragraph($0) }.filter { !$0.isEmpty }
        case .language: article.language = value
        }
    }

    /// A page's head, cut off before the article, often holds the byline and the date ("By Ann
    /// Lee", "November 19, 2019 6:30 AM"): they fill the fields the header did not.
    private static func headFields(_ removed: [BoilerplateClassifier.Removal], _ paragraphs: [String],
                                   into article: inout Article) {
        for r in removed {
            guard case .beforeArticle = r.rule, article.author == nil || article.published == nil else { continue }
            let p = paragraphs[r.index]
            guard p.utf8.count <= 80 else { continue }
            for (key, value) in header(Array(p.utf8)[...], bylines: true) {
                if key == .author, article.author == nil { apply(key: key, value: value, to: &article) }
                if key == .date, article.published == nil { apply(key: key, value: value, to: &article) }
            }
        }
    }

    /// A closing "Tags: a, b" paragraph gives the tags when the header had none (the
    /// classifier drops it from the text).
    private static func tailTags(_ paragraphs: [String], into article: inout Article) {
        guard article.tags.isEmpty else { return }
        for p in paragraphs.suffix(4).reversed() {
            for (key, value) in header(Array(p.utf8)[...]) where key == .tags {
                apply(key: key, value: value, to: &article)
                return
            }
        }
    }
}

private extension String {
    var trimmingTrailingCommas: String {
        var s = self
        while s.hasSuffix(",") { s.removeLast() }
        return s
    }
}

/// Lines of a UTF-8 text as byte slices: BOM skipped, `\n`, `\r\n` and lone `\r` all end a
/// line, trailing white space dropped.
private struct Lines {
    private let bytes: [UInt8]
    private var index: Int

    init(_ text: String) {
        bytes = Array(text.utf8)
        index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    mutating func next() -> ArraySlice<UInt8>? {
        guard index < bytes.count else { return nil }
        let start = index
        while index < bytes.count, bytes[index] != 0x0A, bytes[index] != 0x0D { index += 1 }
        var end = index
        if index < bytes.count {
            if bytes[index] == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
            index += 1
        }
        while end > start, ASCIIBytes.isSpace(bytes[end - 1]) { end -= 1 }
        return bytes[start..<end]
    }

    mutating func skipBlank() {
        var probe = self
        while let line = probe.next(), Lines.isBlank(line) { self = probe }
    }

    static func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
        line.allSatisfy { ASCIIBytes.isSpace($0) || $0 == 0xC2 || $0 == 0xA0 }
    }
}
