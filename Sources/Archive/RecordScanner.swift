/// What the index needs from one archive line.
struct ScannedRecord: Sendable {
    var seq: Int
    var digest: Digest32
    var identity: IdentityKey?
}

/// A targeted JSON scanner for archive lines: it validates the whole object's syntax (so a torn or
/// zero-filled line is rejected) but decodes only `seq`, `id`, `guid`, `url` and `source.name`.
/// Rebuilding the index from a large archive is dominated by this loop, which is why it does not go
/// through `JSONSerialization` (which would build every string and dictionary of every record), and
/// why keys and skipped strings are matched and validated in place: only the four values it keeps
/// are copied out.
struct RecordScanner {
    private let p: UnsafeRawBufferPointer
    private var i = 0

    /// `nil` when the line is not one complete, valid record object.
    static func scan(_ line: UnsafeRawBufferPointer) -> ScannedRecord? {
        var s = RecordScanner(p: line)
        return s.record()
    }

    private init(p: UnsafeRawBufferPointer) { self.p = p }

    private mutating func record() -> ScannedRecord? {
        var seq: Int?
        var id: [UInt8]?
        var guid: [UInt8]?
        var url: [UInt8]?
        var name: [UInt8] = []
        let ok = object { (s: inout RecordScanner, key: UnsafeRawBufferPointer) -> Bool in
            switch true {
            case Self.matches(key, Self.kSeq): seq = s.integer(); return seq != nil
            case Self.matches(key, Self.kID): id = s.string(); return id != nil
            case Self.matches(key, Self.kGUID): guid = s.string(); return guid != nil
            case Self.matches(key, Self.kURL): url = s.string(); return url != nil
            case Self.matches(key, Self.kSource):
                return s.object { (s: inout RecordScanner, key: UnsafeRawBufferPointer) -> Bool in
                    guard Self.matches(key, Self.kName) else { return s.skipValue(depth: 1) }
                    guard let n = s.string() else { return false }
                    name = n
                    return true
                }
            default: return s.skipValue(depth: 0)
            }
        }
        skipWhitespace()
        guard ok, i == p.count, let seq, seq >= 1, let id, let digest = Digest32(idUTF8: id) else { return nil }
        return ScannedRecord(seq: seq, digest: digest, identity: IdentityKey.of(sourceName: name, guid: guid, url: url))
    }

    private static let kSeq: StaticString = "seq", kID: StaticString = "id", kGUID: StaticString = "guid"
    private static let kURL: StaticString = "url", kSource: StaticString = "source", kName: StaticString = "name"

    private static func matches(_ key: UnsafeRawBufferPointer, _ word: StaticString) -> Bool {
        key.elementsEqual(UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
    }

    private var peek: UInt8? { i < p.count ? p[i] : nil }

    private mutating func skipWhitespace() {
        while i < p.count, p[i] == 0x20 || p[i] == 0x09 || p[i] == 0x0A || p[i] == 0x0D { i += 1 }
    }

    private mutating func expect(_ b: UInt8) -> Bool {
        skipWhitespace()
        guard peek == b else { return false }
        i += 1
        return true
    }

    /// Walks an object, handing each key (decoded) and its value to `member`, which must consume
    /// the value. A key without escapes is handed over in place, as the writer always writes them.
    private mutating func object(_ member: (inout RecordScanner, UnsafeRawBufferPointer) -> Bool) -> Bool {
        guard expect(UInt8(ascii: "{")) else { return false }
        if expect(UInt8(ascii: "}")) { return true }
        while true {
            skipWhitespace()
            let quote = i
            var decoded: [UInt8] = []
            guard var plain = scanString(into: &decoded, collect: false) else { return false }
            let end = i - 1
            if !plain {
                i = quote
                plain = scanString(into: &decoded, collect: true) ?? true
            }
            guard expect(UInt8(ascii: ":")) else { return false }
            skipWhitespace()
            let accepted = plain
                ? member(&self, UnsafeRawBufferPointer(rebasing: p[(quote + 1)..<end]))
                : decoded.withUnsafeBytes { member(&self, $0) }
            guard accepted else { return false }
            if expect(UInt8(ascii: "}")) { return true }
            guard expect(UInt8(ascii: ",")) else { return false }
        }
    }

    private mutating func integer() -> Int? {
        var n = 0
        var digits = 0
        while let b = peek, b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") {
            guard digits < 18 else { return nil }
            n = n * 10 + Int(b - UInt8(ascii: "0"))
            digits += 1
            i += 1
        }
        guard digits > 0, peek != UInt8(ascii: "."), peek != UInt8(ascii: "e"), peek != UInt8(ascii: "E") else { return nil }
        return n
    }

    /// Decodes a string (escapes and surrogate pairs included) to its UTF-8 bytes.
    private mutating func string() -> [UInt8]? {
        var out: [UInt8] = []
        return scanString(into: &out, collect: true) == nil ? nil : out
    }

    /// Checks a string as `string()` does without keeping it.
    private mutating func skipString() -> Bool {
        var none: [UInt8] = []
        return scanString(into: &none, collect: false) != nil
    }

    /// Reads the string at `i` (`nil` when it is not valid JSON). With `collect`, its decoded bytes
    /// go to `out`. Returns `true` when it had no escapes, so that the line's own bytes from just
    /// after the opening quote are the decoded string (`out.count` of them).
    private mutating func scanString(into out: inout [UInt8], collect: Bool) -> Bool? {
        guard peek == UInt8(ascii: "\"") else { return nil }
        i += 1
        let start = i
        while i < p.count, p[i] != UInt8(ascii: "\""), p[i] != UInt8(ascii: "\\"), p[i] >= 0x20 { i += 1 }
        guard i < p.count else { return nil }
        if p[i] == UInt8(ascii: "\"") {
            i += 1
            if collect { out.append(contentsOf: p[start..<(i - 1)]) }
            return true
        }
        if collect { out.append(contentsOf: p[start..<i]) }
        while i < p.count {
            let b = p[i]
            i += 1
            switch b {
            case UInt8(ascii: "\""): return false
            case UInt8(ascii: "\\"):
                guard let e = peek else { return nil }
                i += 1
                let decoded: UInt8
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded = e
                case UInt8(ascii: "b"): decoded = 0x08
                case UInt8(ascii: "f"): decoded = 0x0C
                case UInt8(ascii: "n"): decoded = 0x0A
                case UInt8(ascii: "r"): decoded = 0x0D
                case UInt8(ascii: "t"): decoded = 0x09
                case UInt8(ascii: "u"):
                    guard var scalar = hex4() else { return nil }
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard expectRaw(UInt8(ascii: "\\")), expectRaw(UInt8(ascii: "u")), let low = hex4(),
                              (0xDC00..<0xE000).contains(low) else { return nil }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        return nil
                    }
                    guard let u = Unicode.Scalar(scalar) else { return nil }
                    if collect { out.append(contentsOf: UTF8.encode(u).map(Array.init) ?? []) }
                    continue
                default: return nil
                }
                if collect { out.append(decoded) }
            case 0..<0x20: return nil
            default: if collect { out.append(b) }
            }
        }
        return nil
    }

    private mutating func expectRaw(_ b: UInt8) -> Bool {
        guard peek == b else { return false }
        i += 1
        return true
    }

    private mutating func hex4() -> UInt32? {
        guard i + 4 <= p.count else { return nil }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = p[i]
            let d: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = b - UInt8(ascii: "A") + 10
            default: return nil
            }
            v = v << 4 | UInt32(d)
            i += 1
        }
        return v
    }

    private mutating func skipValue(depth: Int) -> Bool {
        guard depth < 64, let b = peek else { return false }
        switch b {
        case UInt8(ascii: "\""): return skipString()
        case UInt8(ascii: "{"): return object { s, _ in s.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["):
            i += 1
            if expect(UInt8(ascii: "]")) { return true }
            while true {
                skipWhitespace()
                guard skipValue(depth: depth + 1) else { return false }
                if expect(UInt8(ascii: "]")) { return true }
                guard expect(UInt8(ascii: ",")) else { return false }
            }
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default: return number()
        }
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard i + n <= p.count else { return false }
        for k in 0..<n where p[i + k] != word.utf8Start[k] { return false }
        i += n
        return true
    }

    private mutating func number() -> Bool {
        func digits(_ s: inout RecordScanner) -> Int {
            var n = 0
            while let b = s.peek, b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") { s.i += 1; n += 1 }
            return n
        }
        if peek == UInt8(ascii: "-") { i += 1 }
        guard digits(&self) > 0 else { return false }
        if peek == UInt8(ascii: ".") {
            i += 1
            guard digits(&self) > 0 else { return false }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            i += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { i += 1 }
            guard digits(&self) > 0 else { return false }
        }
        return true
    }
}
