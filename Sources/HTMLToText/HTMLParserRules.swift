import CLibXML2
import ParserSupport

/// libxml2 2.9's HTML parser rules that `HTMLFastText` follows, measured on the linked library
/// (a small C driver printed the SAX events of `<div><a>x<b>y` for every pair of these tags, and
/// of each tag alone for its emptiness): which start tag ends which open element, end-tag
/// priorities, empty elements, the entity table.
enum HTMLParserRules {
    /// libxml2's `htmlEndPriority`.
    static func endPriority(_ tag: HTMLTag) -> Int {
        switch tag {
        case .div: return 150
        case .td, .th: return 160
        case .tr: return 170
        case .thead, .tbody, .tfoot: return 180
        case .table: return 190
        default: return 100
        }
    }

    @inline(__always)
    static func isNameByte(_ b: UInt8) -> Bool {
        ASCIIBytes.isASCIILetter(b) || ASCIIBytes.isDigit(b) || b == UInt8(ascii: ":") || b == UInt8(ascii: "-")
            || b == UInt8(ascii: "_") || b == UInt8(ascii: ".")
    }

    /// The tags whose libxml2 rules the scan follows (and the wrapper's), by their name packed
    /// into a `UInt64`; names libxml2 does not know are `otherName`'s.
    static let tags: [UInt64: HTMLTag] = {
        let list: [HTMLTag] = [
            .a, .abbr, .b, .bdo, .cite, .code, .dfn, .em, .i, .kbd, .q, .s, .samp, .small,
            .span, .strong, .sub, .sup, .u, .var, .font, .del, .ins, .tt, .big, .strike,
            .br, .img, .hr, .p, .div, .blockquote, .ol, .ul, .li, .dl, .dt, .dd, .address,
            .h1, .h2, .h3, .h4, .h5, .h6, .center, .table, .caption, .colgroup, .col, .thead, .tbody,
            .tfoot, .tr, .td, .th, .pre, .iframe, .object, .embed, .noscript, .script, .style,
            .html, .head, .body, .meta, .link,
            // Unknown to libxml2 2.9 (no rules), listed to skip the lookup.
            .figure, .figcaption, .main, .article, .section, .aside, .header, .footer, .nav, .time, .mark,
            .wbr, .picture, .source, .video, .audio, .svg, .math,
        ]
        var table = [UInt64: HTMLTag]()
        for tag in list {
            var key: UInt64 = 0
            for b in String(describing: tag).utf8 { key = key << 8 | UInt64(b) }
            table[key] = tag
        }
        return table
    }()

    /// The dozen tags that make up most entry markup, by the same packed key as `tags`: a
    /// switch, without the hashing and the lazy global's check a dictionary lookup costs.
    @inline(__always)
    static func commonTag(_ key: UInt64) -> HTMLTag? {
        switch key {
        case 0x70: return .p
        case 0x61: return .a
        case 0x6272: return .br
        case 0x646976: return .div
        case 0x6C69: return .li
        case 0x696D67: return .img
        case 0x656D: return .em
        case 0x62: return .b
        case 0x69: return .i
        case 0x756C: return .ul
        case 0x7370616E: return .span
        case 0x7374726F6E67: return .strong
        default: return nil
        }
    }

    /// libxml2's empty elements among the scan's tags.
    static func isVoid(_ tag: HTMLTag) -> Bool {
        tag == .br || tag == .img || tag == .hr || tag == .col || tag == .meta || tag == .link
    }

    /// libxml2 2.9's `htmlStartClose` on the scan's tags: whether starting `tag` first ends the
    /// open element `top` (measured: `<div><top>x<tag>` gives `</top>` before `<tag>`).
    static func startCloses(_ tag: HTMLTag, top: HTMLTag) -> Bool {
        switch top {
        case .a:
            switch tag { case .a, .table, .td, .th: return true; default: return false }
        case .address:
            switch tag { case .ul, .li, .dl, .dt, .dd: return true; default: return false }
        case .b, .i:
            switch tag { case .p, .center, .td, .th: return true; default: return false }
        case .caption:
            switch tag { case .colgroup, .col, .thead, .tbody, .tfoot, .tr: return true; default: return false }
        case .colgroup:
            switch tag { case .colgroup, .thead, .tbody, .tfoot, .tr: return true; default: return false }
        case .dd:
            switch tag { case .dt: return true; default: return false }
        case .dt:
            switch tag { case .dl, .dd: return true; default: return false }
        case .font:
            switch tag { case .center, .td, .th: return true; default: return false }
        case .h1, .h2, .h3, .h4, .h5, .h6:
            switch tag { case .p, .li, .table: return true; default: return false }
        case .li, .dl:
            switch tag { case .li: return true; default: return false }
        case .ol:
            switch tag { case .ul: return true; default: return false }
        case .p:
            switch tag { 
            case .hr, .p, .div, .blockquote, .ol, .ul, .li, .dl, .dt, .dd, .address, .h1, .h2, .h3, .h4, .h5, .h6,
                 .center, .table, .caption, .colgroup, .col, .tbody, .tfoot, .tr, .td, .th, .pre:
                return true
            default: return false
            }
        case .pre:
            switch tag { case .ul, .li, .dl, .dt, .dd, .table: return true; default: return false }
        case .s, .small, .tt, .big, .strike:
            switch tag { case .p: return true; default: return false }
        case .span:
            switch tag { case .td, .th: return true; default: return false }
        case .td, .th:
            switch tag { case .tbody, .tfoot, .tr, .td, .th: return true; default: return false }
        case .tfoot:
            switch tag { case .tbody: return true; default: return false }
        case .thead, .tbody:
            switch tag { case .tbody, .tfoot: return true; default: return false }
        case .tr:
            switch tag { case .tbody, .tfoot, .tr: return true; default: return false }
        case .u:
            switch tag { case .p, .td, .th: return true; default: return false }
        case .ul:
            switch tag { case .ol, .address, .pre: return true; default: return false }
        default: return false
        }
    }

    /// XML's `Char`: what libxml2 accepts from a numeric reference.
    static func isXMLChar(_ v: UInt32) -> Bool {
        v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD)
            || (v >= 0x10000 && v <= 0x10FFFF)
    }

    /// libxml2's HTML 4 entity table (`htmlEntityLookup`), the commonest names answered first.
    static func entity(_ name: UnsafeBufferPointer<UInt8>) -> UInt32? {
        switch name.count {
        case 2:
            if name[0] == UInt8(ascii: "l"), name[1] == UInt8(ascii: "t") { return 0x3C }
            if name[0] == UInt8(ascii: "g"), name[1] == UInt8(ascii: "t") { return 0x3E }
        case 3:
            if name[0] == UInt8(ascii: "a"), name[1] == UInt8(ascii: "m"), name[2] == UInt8(ascii: "p") { return 0x26 }
        default: break
        }
        guard name.count < 32 else { return nil }
        return withUnsafeTemporaryAllocation(of: xmlChar.self, capacity: name.count + 1) { buffer in
            for k in 0..<name.count { buffer[k] = name[k] }
            buffer[name.count] = 0
            guard let found = htmlEntityLookup(buffer.baseAddress), found.pointee.value > 0 else { return nil }
            return UInt32(found.pointee.value)
        }
    }
}
