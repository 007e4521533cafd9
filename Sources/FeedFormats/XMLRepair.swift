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
    private static func firstFix(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var i = start
        let n = b.count
        guard let base = b.baseAddress else { return nil }
        while i < n {
            // Eight bytes at a time past text holding neither `&` nor `<` (most of a feed): this
            // scan runs over every byte of every document, and the word test halved its share.
            if i + 8 <= n {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if !hasByte(word, UInt8(ascii: "&")), !hasByte(word, UInt8(ascii: "<")) {
                    i += 8
                    continue
                }
            }
            let c = b[i]
            if c == UInt8(ascii: "&") {
                if referenceLength(b, at: i, upperX: false) == nil { return i }
                i += 1
            } else if c == UInt8(ascii: "<"), i + 3 < n, b[i + 1] == UInt8(ascii: "!") {
                if b[i + 2] == UInt8(ascii: "["), matches(b, i, "<![CDATA[") {
                    i = skip(b, from: i + 9, past: "]]>")
                } else if b[i + 2] == UInt8(ascii: "-"), b[i + 3] == UInt8(ascii: "-") {
                    i = skip(b, from: i + 4, past: "-->")
                } else {
                    i += 2
                }
            } else {
                i += 1
            }
        }
        return nil
    }

    /// Length of a well-formed reference at `i` (`&name;`, `&#123;`, `&#x1F;`), or nil.
    /// With `upperX`, `&#X1F;` is accepted too (it is then rewritten).
    private static func referenceLength(_ b: UnsafeBufferPointer<UInt8>, at i: Int, upperX: Bool) -> Int? {
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

    /// Whether any of the eight bytes of `word` is `byte` (the exact zero-byte test on `word ^ byte×8`).
    @inline(__always) private static func hasByte(_ word: UInt64, _ byte: UInt8) -> Bool {
        let x = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
        return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0
    }

    @inline(__always) private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    @inline(__always) private static func isHexLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66 }
    /// ASCII letters, `_`, `:` and any non-ASCII byte (names may be Unicode).
    @inline(__always) private static func isNameStart(_ c: UInt8) -> Bool {
        ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A) || c == UInt8(ascii: "_") || c == UInt8(ascii: ":") || c >= 0x80
    }
}
