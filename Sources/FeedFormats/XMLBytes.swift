import Glibc

/// Byte-level facts about XML that `XMLFastReader` asks of nearly every byte, each stated the way
/// libxml2 2.9 decides it (which characters are XML characters, what a character reference may
/// name, which namespace names its URI parser surely takes).
enum XMLBytes {
    /// The first index at or after `from` whose byte is not printable ASCII, or is `a`, `b` or
    /// `c`: eight bytes at a time (feed text is long runs of plain ASCII between few stops).
    /// Each test below flags its first matching byte exactly (borrows only flag bytes above a
    /// true match), so the lowest flagged byte of all of them is the first stop.
    @inline(__always)
    static func plainEnd(_ p: UnsafePointer<UInt8>, from: Int, to n: Int, _ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let raw = UnsafeRawPointer(p)
        var k = from
        while k + 8 <= n {
            let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: k, as: UInt64.self))
            let xa = w ^ (ones &* UInt64(a)), xb = w ^ (ones &* UInt64(b)), xc = w ^ (ones &* UInt64(c))
            let below = (w &- ones &* 0x20) & ~w
            let stops = (w | below | ((xa &- ones) & ~xa) | ((xb &- ones) & ~xb) | ((xc &- ones) & ~xc)) & highs
            if stops != 0 { return k + stops.trailingZeroBitCount >> 3 }
            k += 8
        }
        while k < n {
            let v = p[k]
            if v < 0x20 || v >= 0x80 || v == a || v == b || v == c { return k }
            k += 1
        }
        return n
    }

    /// `amp`, `lt`, `gt`, `quot`, `apos`.
    static func predefined(_ name: UnsafeBufferPointer<UInt8>) -> StaticString? {
        switch name.count {
        case 2:
            if name[1] != UInt8(ascii: "t") { return nil }
            if name[0] == UInt8(ascii: "l") { return "<" }
            if name[0] == UInt8(ascii: "g") { return ">" }
        case 3:
            if name[0] == UInt8(ascii: "a"), name[1] == UInt8(ascii: "m"), name[2] == UInt8(ascii: "p") { return "&" }
        case 4:
            if name.elementsEqual("quot".utf8) { return "\"" }
            if name.elementsEqual("apos".utf8) { return "'" }
        default:
            break
        }
        return nil
    }

    /// `#123` or `#x1F` (`#X1F` after `XMLRepair`'s fix): the character, when it is one XML allows
    /// (libxml2's `xmlParseCharRef` refuses the rest, and clamps values past U+10FFFF).
    static func characterReference(_ body: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar? {
        var value: UInt32 = 0
        if body.count > 1, body[1] | 0x20 == UInt8(ascii: "x") {
            for b in body[2...] {
                let digit = b <= 0x39 ? b &- 0x30 : (b | 0x20) &- 0x61 &+ 10
                value = min(value &* 16 &+ UInt32(digit), 0x110000)
            }
        } else {
            for b in body[1...] { value = min(value &* 10 &+ UInt32(b &- 0x30), 0x110000) }
        }
        guard isXMLCharacter(value) else { return nil }
        return Unicode.Scalar(value)
    }

    @inline(__always)
    static func isXMLCharacter(_ c: UInt32) -> Bool {
        c >= 0x20 ? (c <= 0xD7FF || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF))
            : (c == 0x09 || c == 0x0A || c == 0x0D)
    }

    /// The length of the UTF-8 sequence at `at` when it is well-formed and an XML character
    /// (libxml2 refuses overlong forms, surrogates, U+FFFE and U+FFFF).
    static func characterLength(_ p: UnsafePointer<UInt8>, at: Int, end n: Int) -> Int? {
        let b0 = p[at]
        @inline(__always) func continuation(_ k: Int) -> UInt32? {
            guard at + k < n else { return nil }
            let b = p[at + k]
            return b & 0xC0 == 0x80 ? UInt32(b & 0x3F) : nil
        }
        switch b0 {
        case 0xC2...0xDF:
            return continuation(1) != nil ? 2 : nil
        case 0xE0...0xEF:
            guard let c1 = continuation(1), let c2 = continuation(2) else { return nil }
            let c = UInt32(b0 & 0x0F) << 12 | c1 << 6 | c2
            return c >= 0x800 && isXMLCharacter(c) ? 3 : nil
        case 0xF0...0xF4:
            guard let c1 = continuation(1), let c2 = continuation(2), let c3 = continuation(3) else { return nil }
            let c = UInt32(b0 & 0x07) << 18 | c1 << 12 | c2 << 6 | c3
            return c >= 0x10000 && c <= 0x10FFFF ? 4 : nil
        default:
            return nil
        }
    }

    /// A namespace name made only of characters RFC 3986 allows unescaped, with a scheme (if any)
    /// and an authority (if any) of the plain kind: what libxml2's `xmlParseURI` surely accepts.
    static func isPlainURI(_ uri: ArraySlice<UInt8>) -> Bool {
        var fragments = 0
        for b in uri {
            if isLetter(b) || isDigit(b) { continue }
            switch b {
            case UInt8(ascii: "#"): fragments += 1
            case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: ":"),
                 UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "@"), UInt8(ascii: "!"), UInt8(ascii: "$"),
                 UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"),
                 UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="):
                continue
            default:
                return false
            }
        }
        guard fragments <= 1 else { return false }
        guard let colon = uri.firstIndex(of: UInt8(ascii: ":")) else { return true }
        let scheme = uri[uri.startIndex..<colon]
        // A colon after a slash, `?` or `#` belongs to a path, query or fragment.
        if scheme.contains(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) {
            return true
        }
        guard let first = scheme.first, isLetter(first),
              scheme.allSatisfy({ isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") })
        else { return false }
        let rest = uri[(colon + 1)...]
        guard rest.starts(with: "//".utf8) else { return true }
        let authority = rest.dropFirst(2).prefix { $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }
        var sawColon = false
        for b in authority {
            if b == UInt8(ascii: ":") {
                if sawColon { return false }
                sawColon = true
            } else if sawColon ? !isDigit(b) : !(isLetter(b) || isDigit(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")) {
                return false
            }
        }
        return true
    }

    @inline(__always)
    static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// Byte equality without the generic `elementsEqual` (names and namespace names, per element).
    @inline(__always)
    static func same(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        guard let x = a.baseAddress, let y = b.baseAddress else { return true }
        return memcmp(x, y, a.count) == 0
    }
}
