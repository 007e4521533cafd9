/// A source's `full_text` key: whether an entry's linked page is fetched and its article
/// archived in place of the feed's teaser (README "Whole articles from teaser feeds").
public enum FullTextMode: String, Sendable, Hashable, CaseIterable {
    /// The feed's entries as they are (the default: no request beyond the feed).
    case never
    /// Only entries that look like a teaser (`TeaserRule`): feeds that carry whole articles
    /// cost no page request.
    case auto
    /// Every new entry's link.
    case always
}
