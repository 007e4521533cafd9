import FeedModel
import FeedParser
import Foundation
import SystemSupport
#if canImport(Glibc)
import Glibc
#endif

/// Prints a parsed document as the archive would hold it, minus `seq` (SPEC §2: `parse`, `fetch`).
enum RecordPrinter {
    /// Every entry is printed, even an empty one, so that entry *i* is line *i*.
    static func print(_ document: ParsedDocument, source: ArticleSource, fetchedAt: Timestamp) {
        var out = [UInt8]()
        out.reserveCapacity(4096)
        print(document, source: source, fetchedAt: fetchedAt, buffer: &out)
    }

    /// The same, with the caller's byte buffer: `parse` keeps one across its files, so a large
    /// document's output is not grown (and its pages faulted in) again for every file.
    static func print(_ document: ParsedDocument, source: ArticleSource, fetchedAt: Timestamp, buffer out: inout [UInt8]) {
        var source = source
        if source.title == nil { source.title = document.feedTitle }
        // One byte buffer per document, written with one write(2) loop: no String per record
        // and no copy into Data (a tenth of `parse`'s time went to building and copying strings).
        out.removeAll(keepingCapacity: true)
        for article in document.articles {
            ArticleRecord(article: article, source: source, fetchedAt: fetchedAt).appendJSONLine(to: &out)
        }
        writeAll(out)
    }

    private static func writeAll(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                // A closed pipe (or any other failure): nothing more can be said.
                guard let n = try? retryingSyscall({ write(STDOUT_FILENO, raw.baseAddress! + offset, raw.count - offset) })
                else { return }
                offset += n
            }
        }
    }
}
