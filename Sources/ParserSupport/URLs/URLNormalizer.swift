/// Link hygiene for the record's `url`: resolve against a base, drop tracking parameters.
///
/// Decision: the record's `url` is an absolute `http`/`https` link or absent. `mailto:`,
/// `javascript:`, `feed:`, `data:` links, and relative links with no usable base, are not
/// links a reader can open as the article, so `articleURL` returns `nil` for them and the
/// caller leaves `url` out (the feed's guid, if any, is still kept as `guid`).
///
/// Byte-level RFC 3986 code instead of `URL`/`URLComponents`: Foundation's parser on Linux
/// rejects many real-world hrefs (spaces, non-ASCII, stray `%`), and this runs once per entry.
public enum URLNormalizer {
    /// Resolves `reference` against `base` (RFC 3986) and removes `utm_*`, `fbclid`, `gclid`.
    /// `nil` when the result is not an absolute http(s) URL. White space around the link is
    /// trimmed; spaces, non-ASCII and other characters URLs cannot carry are percent-encoded.
    public static func articleURL(_ reference: String, base: String?) -> String? {
        let ref = URIReference(sanitizing: reference)
        guard !ref.isEmpty else { return nil }
        var target: URIReference
        if ref.scheme != nil {
            target = ref.resolved(against: nil)
        } else {
            guard let base, case let b = URIReference(sanitizing: base), b.scheme != nil else { return nil }
            target = ref.resolved(against: b)
        }
        guard let scheme = target.scheme?.lowercasedASCII,
              scheme.elementsEqual("http".utf8) || scheme.elementsEqual("https".utf8),
              let authority = target.authority, !authority.isEmpty
        else { return nil }
        target.scheme = scheme
        target.authority = normalizedHost(authority)
        if let query = target.query { target.query = withoutTracking(query) }
        return target.string
    }

    /// RFC 3986 resolution only, no clean-up (for xml:base chains). Without a base, or with a
    /// base that is itself relative, the reference comes back merged as far as possible.
    public static func resolve(_ reference: String, against base: String?) -> String {
        guard let base, !base.isEmpty else { return reference }
        let ref = URIReference(parsing: Array(reference.utf8))
        return ref.resolved(against: URIReference(parsing: Array(base.utf8))).string
    }

    /// The query minus tracking parameters, other parameters kept byte for byte and in order;
    /// `nil` (no `?` at all) when nothing is left.
    static func withoutTracking(_ query: [UInt8]) -> [UInt8]? {
        var kept = [ArraySlice<UInt8>]()
        var removed = false
        for param in query.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: false) {
            let key = param.prefix { $0 != UInt8(ascii: "=") }.lowercasedASCII
            if key.starts(with: "utm_".utf8) || key.elementsEqual("fbclid".utf8) || key.elementsEqual("gclid".utf8) {
                removed = true
            } else {
                kept.append(param)
            }
        }
        guard removed else { return query }
        let out = Array(kept.joined(separator: [UInt8(ascii: "&")]))
        return out.isEmpty ? nil : out
    }

    /// Host names are case-insensitive (RFC 3986 §6.2.2.1) and internationalized ones have one
    /// ASCII form (IDNA); user info and port are kept as written.
    private static func normalizedHost(_ authority: [UInt8]) -> [UInt8] {
        let hostStart = (authority.lastIndex(of: UInt8(ascii: "@")) ?? -1) + 1
        var hostEnd = authority.count
        if hostStart < authority.count, authority[hostStart] != UInt8(ascii: "["),
           let colon = authority[hostStart...].firstIndex(of: UInt8(ascii: ":")) {
            hostEnd = colon
        }
        let host = authority[hostStart..<hostEnd]
        let ascii = IDNAHost.ascii(host) ?? Array(host)
        return Array(authority[..<hostStart]) + ascii.lowercasedASCII + Array(authority[hostEnd...])
    }
}

extension Sequence<UInt8> {
    package var lowercasedASCII: [UInt8] {
        map { ($0 | 0x20) &- 0x61 < 26 ? $0 | 0x20 : $0 }
    }
}
