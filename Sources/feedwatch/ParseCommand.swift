import ArgumentParser
import FeedModel
import FeedParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `feedwatch parse`: files (or stdin) through the shared parser, printed as the archive would hold
/// them. Synchronous on purpose: it reads local files one after the other and has nothing to await.
struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Print the normalized articles of feeds, HTML pages or text files as JSON lines.",
        discussion: "Touches no archive. A file that cannot be read or parsed is reported on stderr; the others are still printed, and the exit status is then 1."
    )

    @Option(help: "Input format: auto, text, html, rss, atom, rdf or jsonfeed.")
    var format: String = "auto"

    @Option(name: .customLong("base-url"), help: "URL the files came from, for resolving relative links.")
    var baseURL: String?

    @Flag(help: "For plain-text files, list on stderr each paragraph removed and the rule that removed it.")
    var explain = false

    @Argument(help: "Files to parse; - reads standard input.")
    var files: [String] = []

    func validate() throws {
        guard InputFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be one of \(InputFormat.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(format)\"")
        }
        if let baseURL {
            guard let url = URL(string: baseURL), let scheme = url.scheme?.lowercased(),
                  scheme == "http" || scheme == "https", url.host != nil
            else {
                throw ValidationError("--base-url must be an absolute http or https URL, not \"\(baseURL)\"")
            }
        }
        guard !files.isEmpty else { throw ValidationError("name at least one FILE (or - for standard input)") }
        guard files.filter({ $0 == "-" }).count <= 1 else { throw ValidationError("standard input (-) can be read only once") }
    }

    func run() throws {
        let inputFormat = InputFormat(rawValue: format) ?? .auto
        let limits = ParserLimits.default
        var failed = false
        for path in files {
            let name = path == "-" ? "stdin" : URL(fileURLWithPath: path).lastPathComponent
            do {
                let bytes = try InputReader.read(path, limit: limits.maxBytes)
                let input = ParserInput(bytes: bytes, format: inputFormat, baseURL: baseURL, fileName: name)
                let document = try ArticleParser.parse(input, limits: limits)
                for warning in document.warnings { Self.stderr("\(path): warning: \(warning)") }
                let source = ArticleSource(kind: .file, name: name, path: path == "-" ? nil : path)
                RecordPrinter.print(document, source: source, fetchedAt: RecordPrinter.now())
                if explain, document.format == .text {
                    for r in ArticleParser.removedParagraphs(input) {
                        Self.stderr("\(path): removed paragraph \(r.index + 1), \(r.rule): \(r.text.prefix(100).debugDescription)")
                    }
                }
            } catch let error as ParseError {
                Self.stderr("\(path): \(error)")
                failed = true
            } catch {
                Self.stderr("\(path): \(error)")
                failed = true
            }
        }
        if failed { throw ExitStatus.runtimeFailure }
    }

    static func stderr(_ line: String) {
        FileHandle.standardError.write(Data("feedwatch parse: \(line)\n".utf8))
    }
}

/// Reads a whole file or stdin with a size cap, so an oversized file is refused before it is
/// read into memory, and failures keep their errno.
enum InputReader {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func read(_ path: String, limit: Int) throws -> [UInt8] {
        let fd: Int32 = path == "-" ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(description: "cannot open: \(String(cString: strerror(errno)))") }
        defer { if fd != STDIN_FILENO { close(fd) } }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Failure(description: "cannot stat: \(String(cString: strerror(errno)))") }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw Failure(description: "is a directory, not a file") }
        if (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) > limit {
            throw ParseError.tooLarge(bytes: Int(info.st_size), limit: limit)
        }
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "cannot read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > limit { throw ParseError.tooLarge(bytes: bytes.count, limit: limit) }
        }
        return bytes
    }
}
