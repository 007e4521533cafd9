/// Byte-level matching of class/id names against several word lists at once.
///
/// A page has thousands of elements but only a few hundred distinct class/id strings, and each
/// list has dozens of patterns: the lists are compiled once into first-byte buckets, and each
/// distinct name is classified once per page (see `BoilerplateHints`).
///
/// Patterns apply to the whitespace-separated tokens of a name and to their `-`/`_`/`:`
/// separated parts: `=x` an exact part, `^x` an exact token, `*x` anywhere in a token, plain
/// `x` a prefix of a token or of a part.
struct NameMatcher: Sendable {
    private enum Kind: Sendable { case part, token, contains, prefix }
    private struct Pattern: Sendable {
        var kind: Kind
        var bytes: [UInt8]
        var list: UInt16
    }

    /// Patterns by their first byte: those that only match where a part starts, and the
    /// `*x` ones, the only ones tried at every byte.
    private var partBuckets = [[Pattern]](repeating: [], count: 256)
    private var anywhereBuckets = [[Pattern]](repeating: [], count: 256)

    /// `lists[i]` sets bit `i` of the result of `classify`.
    init(lists: [[String]]) {
        for (index, list) in lists.enumerated() {
            for raw in list {
                var kind = Kind.prefix
                var text = Substring(raw)
                switch raw.first {
                case "=": kind = .part; text = text.dropFirst()
                case "^": kind = .token; text = text.dropFirst()
                case "*": kind = .contains; text = text.dropFirst()
                default: break
                }
                let bytes = Array(text.utf8)
                guard let first = bytes.first else { continue }
                let pattern = Pattern(kind: kind, bytes: bytes, list: UInt16(1) << UInt16(index))
                if kind == .contains {
                    anywhereBuckets[Int(first)].append(pattern)
                } else {
                    partBuckets[Int(first)].append(pattern)
                }
            }
        }
    }

    /// A bit set of the lists that match `name` (lowercase ASCII expected; other bytes are
    /// compared as they are).
    func classify(_ name: [UInt8]) -> UInt16 {
        var result: UInt16 = 0
        var tokenStart = 0
        while tokenStart < name.count {
            while tokenStart < name.count, Self.isSpace(name[tokenStart]) { tokenStart += 1 }
            var tokenEnd = tokenStart
            while tokenEnd < name.count, !Self.isSpace(name[tokenEnd]) { tokenEnd += 1 }
            if tokenEnd > tokenStart { result |= classify(token: name, tokenStart, tokenEnd) }
            tokenStart = tokenEnd
        }
        return result
    }

    private func classify(token name: [UInt8], _ start: Int, _ end: Int) -> UInt16 {
        var result: UInt16 = 0
        var i = start
        while i < end {
            let atPartStart = i == start || Self.isSeparator(name[i - 1])
            var partEnd = i
            if atPartStart { while partEnd < end, !Self.isSeparator(name[partEnd]) { partEnd += 1 } }
            for p in anywhereBuckets[Int(name[i])] where result & p.list == 0 {
                if i + p.bytes.count <= end, Self.equal(name, i, p.bytes) { result |= p.list }
            }
            if atPartStart {
                for p in partBuckets[Int(name[i])] where result & p.list == 0 {
                    let n = p.bytes.count
                    guard i + n <= end, Self.equal(name, i, p.bytes) else { continue }
                    switch p.kind {
                    case .contains, .prefix: result |= p.list
                    case .part: if i + n == partEnd { result |= p.list }
                    case .token: if i == start && i + n == end { result |= p.list }
                    }
                }
            }
            i += 1
        }
        return result
    }

    @inline(__always)
    private static func equal(_ name: [UInt8], _ at: Int, _ pattern: [UInt8]) -> Bool {
        var k = 0
        while k < pattern.count {
            if name[at + k] != pattern[k] { return false }
            k += 1
        }
        return true
    }

    @inline(__always)
    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    @inline(__always)
    private static func isSeparator(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: ":")
    }
}
