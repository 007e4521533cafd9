import Glibc

/// Byte-level fixes for the two XML errors real feeds make most, applied before libxml2 sees the
/// document: a bare `&` (`AT&T`, `?a=1&b=2`) becomes `&amp;`, and `&#X41;` (HTML's upper-case
/// hex reference, invalid in XML) becomes `&#x41;`. Without them libxml2 drops the character,
/// and in recovery mode it then drops every later entity reference of the document as well.
/// CDATA sections and comments are left alone. Returns the input itself when nothing needs fixing.
enum XMLRepair {
    /// The scan runs over a buffer pointer: it reads every byte of every feed before libxml2
    /// does, so it is kept free of per-byte bounds checks.
    static func repair(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBufferPointer { b in
            guard let first = firstFix(b, from: 0) else { return bytes }
            var out = [UInt8]()
            out.reserveCapacity(b.count + 64)
            out.append(contentsOf: b[0..<first])
            var i = first
            while i < b.count {
                guard let fix = firstFix(b, from: i) else {
                    out.append(contentsOf: b[i...])
                    break
                }
                out.append(contentsOf: b[i..<fix])
                if fix + 2 < b.count, b[fix + 1] == UInt8(ascii: "#"), b[fix + 2] == UInt8(ascii: "X"),
                   referenceLength(b, at: fix, upperX: true) != nil {
                    out.append(contentsOf: "&#x".utf8)
                    i = fix + 3
                } else {
                    out.append(contentsOf: "&amp;".utf8)
                    i = fix + 1
                }
            }
            return out
        }
    }

    /// The index of the next `&` that needs a fix, skipping CDATA sections and comments.
    /// `memchr` finds the next `&` and the next `<` (escaped HTML puts a reference every few
    /// bytes; a byte loop over every byte was a twentieth of `parse`); only `<!` matters.
    private static func firstFix(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let n = b.count
        guard let base = b.baseAddress, start < n else { return nil }
        func next(_ byte: UInt8, from i: Int) -> Int {
            guard i < n, let hit = memchr(base + i, Int32(byte), n - i) else { return n }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
        var amp = next(UInt8(ascii: "&"), from: start)
        var lt = next(UInt8(ascii: "<"), from: start)
        while amp < n || lt < n {
            if amp < lt {
                if referenceLength(b, at: amp, upperX: false) == nil { return amp }
                amp = next(UInt8(ascii: "&"), from: amp + 1)
                continue
            }
            let i = lt
            var resume = i + 1
            if i + 3 < n, b[i + 1] == UInt8(ascii: "!") {
                if b[i + 2] == UInt8(ascii: "["), matches(b, i, "<![CDATA[") {
                    resume = skip(b, from: i + 9, past: "]]>")
                } else if b[i + 2] == UInt8(ascii: "-"), b[i + 3] == UInt8(ascii: "-") {
                    resume = skip(b, from: i + 4, past: "-->")
                } else {
                    resume = i + 2
                }
            }
            lt = next(UInt8(ascii: "<"), from: resume)
            if amp < resume { amp = next(UInt8(ascii: "&"), from: resume) }
        }
        return nil
    }

    /// Length of a well-formed reference at `i` (`&name;`, `&#123;`, `&#x1F;`), or nil.
    /// With `upperX`, `&#X1F;` is accepted too (it is then rewritten).
    static func referenceLength(_ b: UnsafeBufferPointer<UInt8>, at i: Int, upperX: Bool) -> Int? {
        var j = i + 1
        let limit = min(b.count, i + 40)
        guard j < limit else { return nil }
        if b[j] == UInt8(ascii: "#") {
            j += 1
            guard j < limit else { return nil }
            var hex = false
            if b[j] == UInt8(ascii: "x") || (upperX && b[j] == UInt8(ascii: "X")) {
                hex = true
                j += 1
            }
            let digitsStart = j
            while j < limit, isDigit(b[j]) || (hex && isHexLetter(b[j])) { j += 1 }
            guard j > digitsStart, j < limit, b[j] == UInt8(ascii: ";") else { return nil }
            return j + 1 - i
        }
        guard isNameStart(b[j]) else { return nil }
        j += 1
        while j < limit, isNameStart(b[j]) || isDigit(b[j]) || b[j] == UInt8(ascii: "-") || b[j] == UInt8(ascii: ".") { j += 1 }
        guard j < limit, b[j] == UInt8(ascii: ";") else { return nil }
        return j + 1 - i
    }

    private static func matches(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard i + n <= b.count else { return false }
        let p = s.utf8Start
        for k in 0..<n where b[i + k] != p[k] { return false }
        return true
    }

    private static func skip(_ b: UnsafeBufferPointer<UInt8>, from start: Int, past end: StaticString) -> Int {
        var i = start
        let first = end.utf8Start[0]
        while i < b.count {
            if b[i] == first, matches(b, i, end) { return i + end.utf8CodeUnitCount }
            i += 1
        }
        return b.count
    }

    @inline(__always) private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    @inline(__always) private static func isHexLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66 }
    /// ASCII letters, `_`, `:` and any non-ASCII byte (names may be Unicode).
    @inline(__always) private static func isNameStart(_ c: UInt8) -> Bool {
        ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A) || c == UInt8(ascii: "_") || c == UInt8(ascii: ":") || c >= 0x80
    }
}
