import Foundation

/// Checks shared by `[[source]]` entries and OPML outlines; each returns what is wrong, or `nil`.
enum SourceValidation {
    static func nameProblem(_ name: String) -> String? {
        if name.trimmingCharacters(in: .whitespaces).isEmpty { return "must not be empty" }
        if name.unicodeScalars.contains(where: { $0 == "/" || $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" }) {
            return "\"\(name)\" must not contain \"/\", line breaks or control characters"
        }
        return nil
    }

    /// `http`/`https` with a host: libcurl speaks many more schemes, and none of them belong here.
    static func urlProblem(_ url: String) -> String? {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased() else {
            return "\"\(url)\" is not a URL"
        }
        guard scheme == "http" || scheme == "https" else {
            return "\"\(url)\" uses \(scheme):, only http: and https: are fetched"
        }
        guard let host = parts.host, !host.isEmpty else { return "\"\(url)\" has no host" }
        if let port = parts.port, !(1...65535).contains(port) {
            return "\"\(url)\" has port \(port): a port is 1 to 65535"
        }
        return nil
    }

    /// RFC 9110 token for the name; no CR/LF in the value (header injection).
    static func headerProblem(name: String, value: String) -> String? {
        let tokenExtras = Set("!#$%&'*+-.^_`|~")
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || tokenExtras.contains($0)) }) else {
            return "\"\(name)\" is not a valid header name"
        }
        // Scalars, not Characters: "\r\n" is one Character, equal to neither "\r" nor "\n".
        if value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
            return "value must not contain line breaks"
        }
        return nil
    }
}

extension SourceValidation {
    /// A source name made from its URL, for OPML outlines whose title cannot name a source
    /// (empty, or with "/"): host and path, "/" turned into "-" (`example.org-feed.xml`).
    static func name(fromURL url: String) -> String {
        let parts = URLComponents(string: url)
        var name = (parts?.host ?? "") + (parts?.port.map { ":\($0)" } ?? "") + (parts?.path ?? "")
        if let query = parts?.query, !query.isEmpty { name += "?" + query }
        name = String(name.unicodeScalars.map { $0 == "/" || $0.properties.generalCategory == .control ? "-" : Character($0) })
        while name.hasSuffix("-") { name.removeLast() }
        return name.isEmpty ? "source" : name
    }
}
