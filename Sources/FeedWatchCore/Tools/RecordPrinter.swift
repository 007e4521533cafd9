import FeedModel
import FeedParser
import Foundation

/// Prints a parsed document as the archive would hold it, minus `seq` (SPEC §2: `parse`, `fetch`).
enum RecordPrinter {
    /// Every entry is printed, even an empty one, so that entry *i* is line *i*.
    static func print(_ document: ParsedDocument, source: ArticleSource, fetchedAt: Timestamp) {
        var source = source
        if source.title == nil { source.title = document.feedTitle }
        var out = ""
        for article in document.articles {
            out += ArticleRecord(article: article, source: source, fetchedAt: fetchedAt).jsonLine()
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}
