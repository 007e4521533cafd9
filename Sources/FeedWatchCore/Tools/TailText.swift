/// `feedwatch tail --format text`: a record for a person: seq and title, source and date, link,
/// and the first lines of the text.
enum TailText {
    static let lines = 3
    static let width = 100

    static func render(_ record: ArchiveTail.Record) -> String {
        let object = record.object ?? [:]
        let title = (object["title"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? "(no title)"
        let source = object["source"] as? [String: Any]
        var origin = (source?["name"] as? String) ?? "?"
        if let type = source?["type"] as? String { origin += " (\(type))" }
        var dates: [String] = []
        if let published = object["published"] as? String { dates.append("published \(published)") }
        if let fetched = object["fetched_at"] as? String { dates.append("archived \(fetched)") }
        var out = "#\(record.seq) \(title)\n  \(([origin] + dates).joined(separator: " · "))"
        if let url = object["url"] as? String { out += "\n  \(url)" }
        let text = (object["text"] as? String) ?? ""
        let paragraphs = text.split(separator: "\n", omittingEmptySubsequences: true).prefix(lines)
        for paragraph in paragraphs { out += "\n  " + cut(paragraph) }
        if (object["kind"] as? String) == "updated" { out += "\n  (updated: replaces \(object["previous_id"] as? String ?? "?"))" }
        return out + "\n"
    }

    /// At most `width` characters, cut at a word boundary with "…".
    static func cut(_ line: Substring) -> String {
        guard line.count > width else { return String(line) }
        let head = line.prefix(width)
        let end = head.lastIndex(of: " ") ?? head.endIndex
        return String(head[..<end]) + " …"
    }
}
