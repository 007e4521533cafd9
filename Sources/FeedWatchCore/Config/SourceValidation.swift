import Foundation

/// Checks shared by `[[source]]` entries and OPML outlines; each returns what is wrong, or `nil`.
enum SourceValidation {
    static func nameProblem(_ name: String) -> String? {
        if name.trimmingCharacters(in: .whitespaces).isEmpty { return "must not be empty" }
        if name.contains(where: { $0.isNewline || $0 == "/" }) { return "\"\(name)\" must not contain \"/\" or line breaks" }
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
        return nil
    }

    /// RFC 9110 token for the name; no CR/LF in the value (header injection).
    static func headerProblem(name: String, value: String) -> String? {
        let tokenExtras = Set("!#$%&'*+-.^_`|~")
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || tokenExtras.contains($0)) }) else {
            return "\"\(name)\" is not a valid header name"
        }
        if value.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
            return "value must not contain line breaks"
        }
        return nil
    }
}
