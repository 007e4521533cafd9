import ParserSupport
/// The element names the text rules and the extractor reason about. Everything else is
/// `.unknown` (rendered as inline content). Interned once per name so the hot loops compare bytes,
/// not strings.
public enum HTMLTag: UInt8, Sendable {
    case text, unknown
    case html, head, body, title, meta, link, base
    case script, style, noscript, template, iframe, frame, frameset, noframes, svg, math, object, embed
    case applet, canvas, audio, video, source, track, picture, img, map, area
    case input, select, textarea, button, option, optgroup, datalist, label, form, fieldset, legend
    case output, progress, meter, dialog
    case a, abbr, b, bdi, bdo, cite, code, data, dfn, em, i, kbd, mark, q, rp, rt, ruby, s, samp
    case small, span, strong, sub, sup, time, u, `var`, wbr, font, del, ins, tt, big, strike, nobr
    case br, hr, p, div, pre, blockquote, ol, ul, li, dl, dt, dd, figure, figcaption, main, article
    case section, nav, aside, header, footer, address, h1, h2, h3, h4, h5, h6, hgroup
    case table, caption, colgroup, col, thead, tbody, tfoot, tr, td, th, details, summary, menu, center
    case listing, plaintext, xmp
    // MathML: token elements hold the formula's text; `<semantics>` alternatives are not text.
    case mi, mn, mo, ms, mtext, annotation, annotationXML

    private static let byName: [String: HTMLTag] = {
        var table = [String: HTMLTag]()
        var raw: UInt8 = HTMLTag.html.rawValue
        while let tag = HTMLTag(rawValue: raw) {
            table[String(describing: tag)] = tag
            raw += 1
        }
        table["annotationXML"] = nil
        table["annotation-xml"] = .annotationXML
        return table
    }()

    /// The tag for a lowercase element name (libxml2's HTML parser lowercases names).
    package static func named(_ name: String) -> HTMLTag {
        byName[name] ?? .unknown
    }


    /// Elements whose content is never text: code, styling, embedded objects, form controls,
    /// and the document head (its `<title>` is read by the metadata layer, not rendered).
    /// MathML is text (its token elements), but not a `<semantics>` element's alternative
    /// encodings (`<annotation>`, `<annotation-xml>`: TeX source, content MathML), which repeat it.
    @inlinable public var isNonContent: Bool {
        switch self {
        case .head, .script, .style, .noscript, .template, .iframe, .frame, .frameset, .noframes, .svg,
             .annotation, .annotationXML, .object, .embed, .applet, .canvas, .audio, .video, .source, .track, .map, .area,
             .input, .select, .textarea, .button, .option, .optgroup, .datalist, .output, .progress,
             .meter, .dialog, .title, .meta, .link, .base:
            return true
        default:
            return false
        }
    }

    /// Elements that start and end a paragraph (SPEC §3: blocks are joined by "\n\n").
    package var isBlock: Bool {
        switch self {
        case .html, .body, .p, .div, .pre, .blockquote, .ol, .ul, .li, .dl, .dt, .dd, .figure,
             .figcaption, .main, .article, .section, .nav, .aside, .header, .footer, .address,
             .h1, .h2, .h3, .h4, .h5, .h6, .hgroup, .table, .caption, .thead, .tbody, .tfoot, .tr,
             .details, .summary, .menu, .center, .form, .fieldset, .legend, .hr, .listing, .plaintext,
             .xmp:
            return true
        default:
            return false
        }
    }

    /// Table cells and similar: not paragraphs of their own, but never glued to the neighbour.
    /// So are a formula and each of its MathML tokens (`<mi>x</mi><mn>2</mn>` is "x 2", not "x2").
    package var separatesWords: Bool {
        switch self {
        case .td, .th, .img, .label, .math, .mi, .mn, .mo, .ms, .mtext: return true
        default: return false
        }
    }

    /// Elements whose white space is kept (line breaks survive).
    package var preservesSpace: Bool {
        self == .pre || self == .listing || self == .plaintext || self == .xmp
    }

    @inlinable public var isHeading: Bool {
        switch self {
        case .h1, .h2, .h3, .h4, .h5, .h6: return true
        default: return false
        }
    }
}

/// The attributes kept from the parse (`xml:lang` as `lang`); everything else is dropped at build
/// time.
package enum HTMLAttribute: UInt8, Sendable {
    case id, `class`, href, rel, name, property, content, itemprop, datetime, lang, httpEquiv
    case type, role

    /// Whether anything reads this attribute on `tag` (the metadata layer reads `href` only on
    /// `<link>`, `content` only on `<meta>`, …): the others are not kept, or even parsed.
    package func isRead(on tag: HTMLTag) -> Bool {
        switch self {
        case .id, .class, .itemprop, .role: return true
        case .href: return tag == .link
        case .rel: return tag == .link || tag == .a
        case .name, .property, .content, .httpEquiv: return tag == .meta
        case .datetime: return tag == .time
        case .lang: return tag == .html
        case .type: return tag == .script
        }
    }

    /// The tag for a name's bytes in any case, as far as `isRead(on:)` tells tags apart (every
    /// other element is `.unknown`): the pre-parse scan asks this for most start tags, and a
    /// string and a table lookup each would cost more than the scan itself.
    package static func owner(named name: UnsafeBufferPointer<UInt8>) -> HTMLTag {
        func `is`(_ word: StaticString) -> Bool { ASCIIBytes.equals(name, word) }
        switch name.count {
        case 1 where `is`("a"): return .a
        case 4:
            if `is`("link") { return .link }
            if `is`("meta") { return .meta }
            if `is`("time") { return .time }
            if `is`("html") { return .html }
        case 6 where `is`("script"): return .script
        default: break
        }
        return .unknown
    }
}

/// The attribute names the tree keeps or reads at build time, recognised from their bytes (any
/// case) without making a string of every name.
package enum HTMLAttributeName {
    case kept(HTMLAttribute), hidden, ariaHidden, style

    package init?(_ name: UnsafeBufferPointer<UInt8>) {
        func `is`(_ word: StaticString) -> Bool { ASCIIBytes.equals(name, word) }
        switch name.count {
        case 2 where `is`("id"): self = .kept(.id)
        case 3 where `is`("rel"): self = .kept(.rel)
        case 4:
            if `is`("href") { self = .kept(.href) } else if `is`("name") { self = .kept(.name) }
            else if `is`("lang") { self = .kept(.lang) } else if `is`("type") { self = .kept(.type) }
            else if `is`("role") { self = .kept(.role) } else { return nil }
        case 5:
            if `is`("class") { self = .kept(.class) } else if `is`("style") { self = .style } else { return nil }
        case 6 where `is`("hidden"): self = .hidden
        case 7 where `is`("content"): self = .kept(.content)
        case 8:
            if `is`("property") { self = .kept(.property) } else if `is`("itemprop") { self = .kept(.itemprop) }
            else if `is`("datetime") { self = .kept(.datetime) } else if `is`("xml:lang") { self = .kept(.lang) }
            else { return nil }
        case 10 where `is`("http-equiv"): self = .kept(.httpEquiv)
        case 11 where `is`("aria-hidden"): self = .ariaHidden
        default: return nil
        }
    }
}
