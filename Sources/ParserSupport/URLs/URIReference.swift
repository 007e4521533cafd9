/// An RFC 3986 URI reference split into its five components, as UTF-8 bytes, with the
/// reference-resolution algorithm of §5.2. Components keep their bytes exactly (no decoding),
/// so resolution never changes what the author wrote beyond what the RFC requires.
package struct URIReference {
    package var scheme: [UInt8]?
    package var authority: [UInt8]?
    package var path: [UInt8]
    package var query: [UInt8]?
    package var fragment: [UInt8]?

    package var isEmpty: Bool { scheme == nil && authority == nil && path.isEmpty && query == nil && fragment == nil }

    /// RFC 3986 Appendix B, done by hand.
    package init(parsing b: [UInt8]) {
        var i = 0
        let n = b.count
        scheme = nil
        if n > 0, ASCIIBytes.isASCIILetter(b[0]) {
            var j = 1
            while j < n, ASCIIBytes.isASCIILetter(b[j]) || ASCIIBytes.isDigit(b[j])
                || b[j] == UInt8(ascii: "+") || b[j] == UInt8(ascii: "-") || b[j] == UInt8(ascii: ".") { j += 1 }
            if j < n, b[j] == UInt8(ascii: ":") {
                scheme = Array(b[0..<j])
                i = j + 1
            }
        }
        authority = nil
        if i + 1 < n, b[i] == UInt8(ascii: "/"), b[i + 1] == UInt8(ascii: "/") {
            var j = i + 2
            while j < n, b[j] != UInt8(ascii: "/"), b[j] != UInt8(ascii: "?"), b[j] != UInt8(ascii: "#") { j += 1 }
            authority = Array(b[(i + 2)..<j])
            i = j
        }
        var j = i
        while j < n, b[j] != UInt8(ascii: "?"), b[j] != UInt8(ascii: "#") { j += 1 }
        path = Array(b[i..<j])
        i = j
        query = nil
        if i < n, b[i] == UInt8(ascii: "?") {
            j = i + 1
            while j < n, b[j] != UInt8(ascii: "#") { j += 1 }
            query = Array(b[(i + 1)..<j])
            i = j
        }
        fragment = i < n ? Array(b[(i + 1)..<n]) : nil
    }

    /// Parses after trimming surrounding white space and percent-encoding what a URI cannot
    /// hold literally: spaces, controls, non-ASCII (as UTF-8), `"<>\^`{|}`, and a `%` that
    /// does not start an escape.
    package init(sanitizing s: String) {
        let raw = Array(s.utf8)
        var lo = 0
        var hi = raw.count
        while lo < hi, Self.isTrimmable(raw, at: lo) { lo += Self.trimWidth(raw, at: lo) }
        while hi > lo, ASCIIBytes.isSpace(raw[hi - 1]) || raw[hi - 1] == 0x00 { hi -= 1 }
        if hi - lo >= 2, raw[hi - 2] == 0xC2, raw[hi - 1] == 0xA0 { hi -= 2 }
        var out = [UInt8]()
        out.reserveCapacity(hi - lo)
        // Upper-case hex digits by arithmetic: no table array per URL.
        func hex(_ v: UInt8) -> UInt8 { v < 10 ? UInt8(ascii: "0") + v : UInt8(ascii: "A") + v - 10 }
        var k = lo
        while k < hi {
            let c = raw[k]
            let needsEscape: Bool
            switch c {
            case 0x00...0x20, 0x7F...0xFF, UInt8(ascii: "\""), UInt8(ascii: "<"), UInt8(ascii: ">"),
                 UInt8(ascii: "\\"), UInt8(ascii: "^"), UInt8(ascii: "`"), UInt8(ascii: "{"),
                 UInt8(ascii: "|"), UInt8(ascii: "}"):
                needsEscape = true
            case UInt8(ascii: "%"):
                needsEscape = !(k + 2 < hi && ASCIIBytes.hexValue(raw[k + 1]) != nil && ASCIIBytes.hexValue(raw[k + 2]) != nil)
            default:
                needsEscape = false
            }
            if needsEscape {
                out.append(UInt8(ascii: "%"))
                out.append(hex(c >> 4))
                out.append(hex(c & 0x0F))
            } else {
                out.append(c)
            }
            k += 1
        }
        self.init(parsing: out)
    }

    /// RFC 3986 §5.2.2 (strict: a reference with a scheme is never merged with the base).
    package func resolved(against base: URIReference?) -> URIReference {
        var t = self
        if scheme != nil {
            t.path = Self.removeDotSegments(path)
            return t
        }
        guard let base else { return t }
        t.scheme = base.scheme
        if authority != nil {
            t.path = Self.removeDotSegments(path)
            return t
        }
        t.authority = base.authority
        if path.isEmpty {
            t.path = base.path
            if query == nil { t.query = base.query }
        } else if path.first == UInt8(ascii: "/") {
            t.path = Self.removeDotSegments(path)
        } else {
            t.path = Self.removeDotSegments(Self.merge(base: base, path))
        }
        return t
    }

    /// §5.3 recomposition.
    package var string: String {
        var out = [UInt8]()
        if let scheme {
            out += scheme
            out.append(UInt8(ascii: ":"))
        }
        if let authority {
            out += [UInt8(ascii: "/"), UInt8(ascii: "/")]
            out += authority
        }
        out += path
        if let query {
            out.append(UInt8(ascii: "?"))
            out += query
        }
        if let fragment {
            out.append(UInt8(ascii: "#"))
            out += fragment
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// §5.2.3.
    private static func merge(base: URIReference, _ path: [UInt8]) -> [UInt8] {
        if base.authority != nil, base.path.isEmpty { return [UInt8(ascii: "/")] + path }
        guard let slash = base.path.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return Array(base.path[...slash]) + path
    }

    /// §5.2.4, on bytes.
    package static func removeDotSegments(_ path: [UInt8]) -> [UInt8] {
        guard path.contains(UInt8(ascii: ".")) else { return path }
        let slash = UInt8(ascii: "/")
        let dot = UInt8(ascii: ".")
        var input = path[...]
        var out = [UInt8]()
        out.reserveCapacity(path.count)
        func removeLastSegment() {
            if let k = out.lastIndex(of: slash) { out.removeSubrange(k...) } else { out.removeAll() }
        }
        while !input.isEmpty {
            if input.starts(with: [dot, dot, slash]) {
                input = input.dropFirst(3)
            } else if input.starts(with: [dot, slash]) {
                input = input.dropFirst(2)
            } else if input.starts(with: [slash, dot, slash]) {
                input = input.dropFirst(2)
            } else if input.elementsEqual([slash, dot]) {
                input = [slash][...]
            } else if input.starts(with: [slash, dot, dot, slash]) {
                input = input.dropFirst(3)
                removeLastSegment()
            } else if input.elementsEqual([slash, dot, dot]) {
                input = [slash][...]
                removeLastSegment()
            } else if input.elementsEqual([dot]) || input.elementsEqual([dot, dot]) {
                input = []
            } else {
                var end = input.startIndex
                if input[end] == slash { end += 1 }
                while end < input.endIndex, input[end] != slash { end += 1 }
                out += input[input.startIndex..<end]
                input = input[end...]
            }
        }
        return out
    }

    /// Leading ASCII white space, NUL and U+00A0 (pasted links carry all three).
    private static func isTrimmable(_ b: [UInt8], at k: Int) -> Bool {
        ASCIIBytes.isSpace(b[k]) || b[k] == 0x00 || (b[k] == 0xC2 && k + 1 < b.count && b[k + 1] == 0xA0)
    }

    private static func trimWidth(_ b: [UInt8], at k: Int) -> Int { b[k] == 0xC2 ? 2 : 1 }
}
