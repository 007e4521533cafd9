public import FeedModel
import FeedParser
import Foundation
import SystemPackage
import SystemSupport

/// `feedwatch parse`: files (or stdin) through the shared parser, printed as the archive would
/// hold them. Synchronous on purpose: it reads local files one after the other and has nothing
/// to await. Touches no archive.
public enum ParseFiles {
    /// Every file in turn; one that cannot be read or parsed is reported on stderr and the
    /// others are still printed. The exit status: 1 when any failed. `explain`: for plain-text
    /// files, one stderr line per paragraph the boilerplate rules removed, with the rule.
    public static func run(files: [String], format: InputFormat, baseURL: String?, explain: Bool = false) -> Int32 {
        let limits = ParserLimits.default
        var failed = false
        let progress = TerminalProgress(label: "parse", total: files.count)
        defer { progress.clear() }
        var output = [UInt8]()
        for (done, path) in files.enumerated() {
            progress.update(done: done, unit: "files")
            let name = path == "-" ? "stdin" : fileName(path)
            do {
                let bytes = try read(path, limit: limits.maxBytes)
                let input = ParserInput(bytes: bytes, format: format, baseURL: baseURL, fileName: name)
                let (document, removed) = explain ? try ArticleParser.parseExplained(input, limits: limits)
                    : (try ArticleParser.parse(input, limits: limits), [])
                if !document.warnings.isEmpty || explain { progress.clear() }
                for warning in document.warnings { StandardError.writeLine("feedwatch parse: \(path): warning: \(warning)") }
                let source = ArticleSource(kind: .file, name: name, path: path == "-" ? nil : path)
                RecordPrinter.print(document, source: source, fetchedAt: FeedModelTime.now(), buffer: &output)
                if explain {
                    for r in removed {
                        StandardError.writeLine("feedwatch parse: \(path): removed paragraph \(r.index + 1), \(r.rule): \(r.text.prefix(100).debugDescription)")
                    }
                }
            } catch {
                progress.clear()
                StandardError.writeLine("feedwatch parse: \(path): \(error)")
                failed = true
            }
        }
        return failed ? ExitStatus.failure : ExitStatus.ok
    }

    /// `URL(fileURLWithPath: path).lastPathComponent`, without building a URL for the common
    /// path (a last component after a `/`, not `.` or `..`): per file, the URL was a hundredth
    /// of `parse` over many small feeds.
    static func fileName(_ path: String) -> String {
        let utf8 = path.utf8
        let start = utf8.lastIndex(of: UInt8(ascii: "/")).map { utf8.index(after: $0) } ?? utf8.startIndex
        if start < utf8.endIndex {
            let last = path[start...]
            if last != ".", last != ".." { return String(last) }
        }
        return URL(fileURLWithPath: path).lastPathComponent
    }

    /// The whole file (`-`: standard input), symlinks followed, anything but a directory; over
    /// `limit` it is the parser's own "too large" error, so the message is the same either way.
    static func read(_ path: String, limit: Int) throws -> [UInt8] {
        do {
            return try FileContents.read(path == "-" ? .standardInput : .path(FilePath(path)), maxBytes: limit)
        } catch {
            if case let .tooLarge(bytes, limit, _) = error.reason { throw ParseError.tooLarge(bytes: bytes, limit: limit) }
            throw error
        }
    }
}
