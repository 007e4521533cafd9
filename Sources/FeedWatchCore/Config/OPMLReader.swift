import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import SystemPackage

/// Reads the sources of an OPML subscription list: every `<outline>` with an `xmlUrl`,
/// at any depth (folders are just nesting). Such outlines are feeds by definition.
///
/// FoundationXML is enough here: OPML files are small, and its libxml2 underneath neither
/// loads external entities nor expands entity bombs by default.
enum OPMLReader {
    static func sources(at path: FilePath, displayName: String,
                        existingNames: Set<String>) -> Result<[SourceConfig], ConfigFailure> {
        switch ConfigFileBytes.read(path.string) {
        case .success(let bytes): return parse(Data(bytes), file: displayName, existingNames: existingNames)
        case .failure(let f):
            return .failure(ConfigFailure([ConfigError(file: displayName, line: nil, key: nil, message: "OPML file \(f.reason)")]))
        }
    }

    static func parse(_ data: Data, file: String, existingNames: Set<String>) -> Result<[SourceConfig], ConfigFailure> {
        let collector = OutlineCollector(file: file, names: existingNames)
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = collector
        if !parser.parse() || parser.parserError != nil || !collector.sawOPML {
            let line = parser.lineNumber
            let why = parser.parserError.map { "not well-formed XML at column \(parser.columnNumber): \(Self.describe($0))" }
                ?? "not an OPML document (no <opml> element)"
            collector.errors.append(ConfigError(file: file, line: max(line, 1), key: nil, message: why))
        }
        return collector.errors.isEmpty ? .success(collector.sources) : .failure(ConfigFailure(collector.errors))
    }
}

extension OPMLReader {
    /// XMLParser's errors print as "The operation could not be completed. (NSXMLParserErrorDomain
    /// error 5.)"; the common ones get words, the rest their libxml2 number.
    static func describe(_ error: any Error) -> String {
        // On Linux the code is libxml2's `xmlParserErrors` value, passed through.
        let code = (error as NSError).code
        switch code {
        case 3: return "no XML document at the start"
        case 4: return "the document is empty"
        case 5: return "extra content after the end of the document"
        case 9: return "a character that is not allowed in XML"
        case 26: return "an undeclared entity"
        case 31, 32: return "an unknown or unsupported encoding"
        case 39, 40, 41, 42: return "a malformed attribute"
        case 73: return "a tag is not closed with \">\""
        case 76: return "a closing tag does not match its opening tag"
        case 77: return "the document ends before its tags are closed"
        default: return "libxml2 error \(code)"
        }
    }
}

/// The XMLParser delegate; used on the parsing thread only, then read once parsing returns.
private final class OutlineCollector: NSObject, XMLParserDelegate {
    let file: String
    var names: Set<String>
    var sources: [SourceConfig] = []
    var errors: [ConfigError] = []
    var sawOPML = false

    init(file: String, names: Set<String>) {
        self.file = file
        self.names = names
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes: [String: String] = [:]) {
        if elementName.lowercased() == "opml" { sawOPML = true }
        guard elementName == "outline", let url = attributes["xmlUrl"]?.trimmingCharacters(in: .whitespaces) else { return }
        let line = parser.lineNumber
        if let problem = SourceValidation.urlProblem(url) {
            errors.append(ConfigError(file: file, line: line, key: "xmlUrl", message: problem)); return
        }
        // A title that cannot name a source (empty, "/", control characters) is not the
        // operator's mistake but the exporting reader's: the source is named from its URL.
        let titled = [attributes["title"], attributes["text"]]
            .compactMap { $0?.trimmingCharacters(in: .whitespacesAndNewlines) }
            .first { !$0.isEmpty && SourceValidation.nameProblem($0) == nil }
        var name = titled ?? SourceValidation.name(fromURL: url)
        if titled == nil, names.contains(name) {
            // A name made from the URL that is taken: numbered rather than refusing the list.
            var k = 2
            while names.contains("\(name)-\(k)") { k += 1 }
            name = "\(name)-\(k)"
        }
        guard names.insert(name).inserted else {
            errors.append(ConfigError(file: file, line: line, key: "title", message: "duplicate source name \"\(name)\""))
            return
        }
        sources.append(SourceConfig(name: name, url: url, kind: .feed, interval: SourceConfig.defaultInterval,
                                    headers: [], basicAuth: nil))
    }
}
