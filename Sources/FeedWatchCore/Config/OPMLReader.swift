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
        guard let data = FileManager.default.contents(atPath: path.string) else {
            return .failure(ConfigFailure([ConfigError(file: displayName, line: nil, key: nil, message: "cannot read the OPML file")]))
        }
        return parse(data, file: displayName, existingNames: existingNames)
    }

    static func parse(_ data: Data, file: String, existingNames: Set<String>) -> Result<[SourceConfig], ConfigFailure> {
        let collector = OutlineCollector(file: file, names: existingNames)
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = collector
        if !parser.parse() || !collector.sawOPML {
            let line = parser.lineNumber
            let why = parser.parserError.map { "not well-formed XML (\($0.localizedDescription))" } ?? "not an OPML document"
            collector.errors.append(ConfigError(file: file, line: max(line, 1), key: nil, message: why))
        }
        return collector.errors.isEmpty ? .success(collector.sources) : .failure(ConfigFailure(collector.errors))
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
