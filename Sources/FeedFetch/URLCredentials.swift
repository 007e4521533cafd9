import Foundation

/// Credentials written into a source URL (`https://user:secret@host/feed`) stay in the config:
/// logs, `stats` and `sources.json` get `https://***@host/feed`, the archive and the parser's base
/// URL get the URL without them. Only the HTTP request itself carries them.
public enum URLCredentials {
    public static let mask = "***"

    /// The URL's user-info replaced by `***`; unchanged when it has none.
    public static func redact(_ url: String) -> String {
        guard let range = userInfo(url) else { return url }
        return url.replacingCharacters(in: range, with: mask)
    }

    /// The URL without its user-info and the `@`.
    public static func strip(_ url: String) -> String {
        guard let range = userInfo(url) else { return url }
        return url.replacingCharacters(in: range.lowerBound..<url.index(after: range.upperBound), with: "")
    }

    /// A URL saved redacted gets the configured user-info back when it points at the same place
    /// before the `@` was masked (same scheme and authority after it): what the request needs.
    public static func restore(_ saved: String, from configured: String) -> String {
        guard let maskRange = userInfo(saved), saved[maskRange] == mask,
              let infoRange = userInfo(configured) else { return saved }
        let savedRest = saved[saved.index(after: maskRange.upperBound)...]
        let configuredRest = configured[configured.index(after: infoRange.upperBound)...]
        guard hostPart(savedRest) == hostPart(configuredRest),
              saved[..<maskRange.lowerBound] == configured[..<infoRange.lowerBound] else { return saved }
        return saved.replacingCharacters(in: maskRange, with: configured[infoRange])
    }

    /// Whether a saved configured URL (redacted or, from older versions, plain) is `configured`.
    public static func matches(saved: String, configured: String) -> Bool {
        saved == configured || saved == redact(configured)
    }

    /// The user-info's range (without the `@`), when the authority has one.
    private static func userInfo(_ url: String) -> Range<String.Index>? {
        guard let scheme = url.range(of: "://") else { return nil }
        let authorityStart = scheme.upperBound
        let authorityEnd = url[authorityStart...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? url.endIndex
        guard let at = url[authorityStart..<authorityEnd].lastIndex(of: "@") else { return nil }
        return authorityStart..<at
    }

    private static func hostPart(_ rest: Substring) -> Substring {
        rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
    }
}
