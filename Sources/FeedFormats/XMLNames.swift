/// A namespace the feed builder tells apart. Known feed namespaces have fixed ids; any other URI
/// gets an id from 100 up, unique within one parse (so "same namespace as the root" can be asked).
struct XMLNamespace: Hashable, Sendable {
    let id: Int

    static let none = XMLNamespace(id: 0)
    static let atom10 = XMLNamespace(id: 1)
    static let atom03 = XMLNamespace(id: 2)
    static let rss10 = XMLNamespace(id: 3)
    static let rss090 = XMLNamespace(id: 4)
    static let rdf = XMLNamespace(id: 5)
    static let dc = XMLNamespace(id: 6)
    static let dcterms = XMLNamespace(id: 7)
    static let content = XMLNamespace(id: 8)
    static let media = XMLNamespace(id: 9)
    static let feedburner = XMLNamespace(id: 10)
    static let xhtml = XMLNamespace(id: 11)
    static let itunes = XMLNamespace(id: 12)
    static let xml = XMLNamespace(id: 13)

    /// Matched case-insensitively and with or without a trailing slash: feeds in the wild
    /// write `http://www.itunes.com/DTDs/…` and `http://search.yahoo.com/mrss`.
    static let known: [(String, XMLNamespace)] = [
        ("http://www.w3.org/2005/Atom", .atom10),
        ("http://purl.org/atom/ns#", .atom03),
        ("http://purl.org/rss/1.0/", .rss10),
        ("http://my.netscape.com/rdf/simple/0.9/", .rss090),
        ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", .rdf),
        ("http://purl.org/dc/elements/1.1/", .dc),
        ("http://purl.org/dc/terms/", .dcterms),
        ("http://purl.org/rss/1.0/modules/content/", .content),
        ("http://search.yahoo.com/mrss/", .media),
        ("http://rssnamespace.org/feedburner/ext/1.0", .feedburner),
        ("http://www.w3.org/1999/xhtml", .xhtml),
        ("http://www.itunes.com/dtds/podcast-1.0.dtd", .itunes),
        ("http://www.w3.org/XML/1998/namespace", .xml),
    ]

    /// The prefixes feeds conventionally bind to the known namespaces, for prefixes used undeclared.
    static let conventionalPrefixes: [String: XMLNamespace] = [
        "atom": .atom10, "atom10": .atom10, "atom03": .atom03, "rdf": .rdf, "dc": .dc, "dcterms": .dcterms,
        "content": .content, "media": .media, "feedburner": .feedburner, "xhtml": .xhtml, "itunes": .itunes,
    ]
}

/// An element name as the feed builder sees it: namespace class plus ASCII-lowercased local name
/// (RSS readers treat core element names case-insensitively: `<TiTlE>` is a title).
struct XMLName: Sendable {
    let namespace: XMLNamespace
    let local: String
    /// `local` when it is a name the feed builder asks about (`nil` otherwise): worked out once
    /// per distinct name, so the builder's per-element switches compare small integers, not strings.
    let element: FeedElement?
}

/// The local names that mean something to the feed builder in some namespace.
enum FeedElement: String, Sendable {
    case rss, rdf, feed, channel, item, entry, author, source, image, textinput, contributor, owner
    case name, title, link, guid, id, description, summary, encoded, fullitem, content, body, creator
    case pubdate, published, issued, created, updated, modified, date, category, subject, language, origlink
    case keywords
}
