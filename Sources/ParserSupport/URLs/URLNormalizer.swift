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
        var reference = reference
        if reference.withUTF8(isCleanAbsoluteHTTP) { return reference }
        return resolvedArticleURL(reference, base: base)
    }

    /// `articleURL` by the general path: sanitize, split, resolve, fold the host, drop tracking.
    static func resolvedArticleURL(_ reference: String, base: String?) -> String? {
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

    /// Whether `articleURL` would return `b` as it is, decided in one pass without splitting it:
    /// `http://` or `https://` in lower case, then only bytes a URI holds literally (visible
    /// ASCII but `"<>\^`{|}`, each `%` starting an escape: nothing to trim or percent-encode),
    /// a non-empty authority without upper case or `%` (nothing for `normalizedHost` to fold
    /// or IDNA to map), no `.` or `..` path segment (nothing for `removeDotSegments`), and no
    /// query key `withoutTracking` could remove. Most feed links are such URLs; the general path
    /// costs five arrays and a String per link.
    static func isCleanAbsoluteHTTP(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = b.count
        func startsWith(_ scheme: StaticString) -> Bool { // as written: `HTTP://` is folded by the general path
            n >= scheme.utf8CodeUnitCount && (0..<scheme.utf8CodeUnitCount).allSatisfy { b[$0] == scheme.utf8Start[$0] }
        }
        let authorityStart: Int
        if startsWith("http://") {
            authorityStart = 7
        } else if startsWith("https://") {
            authorityStart = 8
        } else {
            return false
        }
        var part = 0 // 0 authority, 1 path, 2 query, 3 fragment
        var segmentStart = -1 // index after the path's last `/`
        var k = authorityStart
        func isDotSegment(_ end: Int) -> Bool {
            segmentStart >= 0 && (end - segmentStart == 1 || end - segmentStart == 2)
                && b[segmentStart..<end].allSatisfy { $0 == UInt8(ascii: ".") }
        }
        while k < n {
            let c = b[k]
            switch c {
            case 0x00...0x20, 0x7F...0xFF, UInt8(ascii: "\""), UInt8(ascii: "<"), UInt8(ascii: ">"),
                 UInt8(ascii: "\\"), UInt8(ascii: "^"), UInt8(ascii: "`"), UInt8(ascii: "{"),
                 UInt8(ascii: "|"), UInt8(ascii: "}"):
                return false
            case UInt8(ascii: "%"):
                guard part > 0, k + 2 < n, ASCIIBytes.hexValue(b[k + 1]) != nil, ASCIIBytes.hexValue(b[k + 2]) != nil
                else { return false }
            case UInt8(ascii: "/"):
                if part == 0 {
                    guard k > authorityStart else { return false }
                    part = 1
                }
                if part == 1 {
                    if isDotSegment(k) { return false }
                    segmentStart = k + 1
                }
            case UInt8(ascii: "?"), UInt8(ascii: "#"):
                if part == 0 { guard k > authorityStart else { return false } }
                if part <= 1, isDotSegment(k) { return false }
                if c == UInt8(ascii: "?"), part <= 1 {
                    part = 2
                    // The query's keys: none may be a tracking parameter, in any case.
                    var end = k + 1
                    while end < n, b[end] != UInt8(ascii: "#") { end += 1 }
                    if hasTrackingKey(UnsafeBufferPointer(rebasing: b[(k + 1)..<end])) { return false }
                } else if c == UInt8(ascii: "#"), part <= 2 {
                    part = 3
                }
            default:
                if part == 0, c &- UInt8(ascii: "A") < 26 { return false }
            }
            k += 1
        }
        if part == 0 { return n > authorityStart }
        return !(part == 1 && isDotSegment(n))
    }

    /// Whether any `&`-separated key of `query` is one `withoutTracking` removes.
    private static func hasTrackingKey(_ query: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = 0
        while start <= query.count {
            var end = start
            while end < query.count, query[end] != UInt8(ascii: "&") { end += 1 }
            var keyEnd = start
            while keyEnd < end, query[keyEnd] != UInt8(ascii: "=") { keyEnd += 1 }
            let key = UnsafeBufferPointer(rebasing: query[start..<keyEnd])
            if (key.count >= 4 && ASCIIBytes.equals(UnsafeBufferPointer(rebasing: key.prefix(4)), "utm_")) || ASCIIBytes.equals(key, "fbclid") || ASCIIBytes.equals(key, "gclid") {
                return true
            }
            start = end + 1
        }
        return false
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
