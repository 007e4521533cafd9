import ParserSupport
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
    private enum Kind: UInt8, Sendable { case part, token, contains, prefix }
    /// Plain values pointing into `patternBytes`: walking a bucket costs no reference counting.
    private struct Pattern: Sendable {
        var start: Int32
        var count: Int32
        var kind: Kind
        var list: UInt16
    }

    private var patternBytes: [UInt8] = []
    /// Patterns sorted by first byte, `…Starts[b]..<…Starts[b + 1]` starting with
    /// `b`: those that only match where a part starts, and the `*x` ones, the only ones tried
    /// at every byte.
    private var partPatterns: [Pattern] = []
    private var partStarts: [Int32] = []
    private var anywherePatterns: [Pattern] = []
    private var anywhereStarts: [Int32] = []
    /// Bit sets over the first two bytes of the patterns (65536 bits each): most positions of
    /// a name start no pattern, and one bit test skips them without walking a bucket.
    private var partPairs = [UInt64](repeating: 0, count: 1024)
    private var anywherePairs = [UInt64](repeating: 0, count: 1024)

    /// `lists[i]` sets bit `i` of the result of `classify`.
    init(lists: [[String]]) {
        var part = [[Pattern]](repeating: [], count: 256)
        var anywhere = [[Pattern]](repeating: [], count: 256)
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
                // One-byte patterns would pair with every byte (and with the token's end).
                precondition(bytes.count >= 2, "name patterns have at least two bytes")
                let pair = Int(first) << 8 | Int(bytes[1])
                let pattern = Pattern(start: Int32(patternBytes.count), count: Int32(bytes.count), kind: kind,
                                      list: UInt16(1) << UInt16(index))
                patternBytes += bytes
                if kind == .contains {
                    anywhere[Int(first)].append(pattern)
                    anywherePairs[pair >> 6] |= 1 << UInt64(pair & 63)
                } else {
                    part[Int(first)].append(pattern)
                    partPairs[pair >> 6] |= 1 << UInt64(pair & 63)
                }
            }
        }
        for b in 0..<256 {
            partStarts.append(Int32(partPatterns.count))
            partPatterns += part[b]
            anywhereStarts.append(Int32(anywherePatterns.count))
            anywherePatterns += anywhere[b]
        }
        partStarts.append(Int32(partPatterns.count))
        anywhereStarts.append(Int32(anywherePatterns.count))
    }

    /// A bit set of the lists that match `name` (lowercase ASCII expected; other bytes are
    /// compared as they are). Over buffer pointers because it runs for every class and id token
    /// of every element of a page, against every pattern that shares the token's first bytes.
    func classify(_ name: [UInt8]) -> UInt16 {
        name.withUnsafeBufferPointer { name in
            patternBytes.withUnsafeBufferPointer { bytes in
                var result: UInt16 = 0
                var tokenStart = 0
                while tokenStart < name.count {
                    while tokenStart < name.count, ASCIIBytes.isSpace(name[tokenStart]) { tokenStart += 1 }
                    var tokenEnd = tokenStart
                    while tokenEnd < name.count, !ASCIIBytes.isSpace(name[tokenEnd]) { tokenEnd += 1 }
                    if tokenEnd > tokenStart { result |= classify(token: name, tokenStart, tokenEnd, bytes) }
                    tokenStart = tokenEnd
                }
                return result
            }
        }
    }

    private func classify(token name: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> UInt16 {
        var result: UInt16 = 0
        var i = start
        // Every pattern has two bytes, so none starts at the last one.
        while i + 1 < end {
            let first = Int(name[i])
            let pair = first << 8 | Int(name[i + 1])
            let bit = UInt64(1) << UInt64(pair & 63)
            if anywherePairs[pair >> 6] & bit != 0 {
                for k in Int(anywhereStarts[first])..<Int(anywhereStarts[first + 1]) {
                    let p = anywherePatterns[k]
                    if result & p.list == 0, Self.matches(name, i, end, p, bytes) { result |= p.list }
                }
            }
            if partPairs[pair >> 6] & bit != 0, i == start || Self.isSeparator(name[i - 1]) {
                var partEnd = i
                while partEnd < end, !Self.isSeparator(name[partEnd]) { partEnd += 1 }
                for k in Int(partStarts[first])..<Int(partStarts[first + 1]) {
                    let p = partPatterns[k]
                    guard result & p.list == 0, Self.matches(name, i, end, p, bytes) else { continue }
                    let n = Int(p.count)
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
    private static func matches(_ name: UnsafeBufferPointer<UInt8>, _ at: Int, _ end: Int, _ p: Pattern,
                                _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = Int(p.count)
        guard at + n <= end else { return false }
        let base = Int(p.start)
        var k = 0
        while k < n {
            if name[at + k] != bytes[base + k] { return false }
            k += 1
        }
        return true
    }

    @inline(__always)
    private static func isSeparator(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: ":")
    }
}
