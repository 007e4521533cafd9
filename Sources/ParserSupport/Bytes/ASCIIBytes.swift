/// The parser's one byte library: ASCII classes and case-insensitive comparisons on raw UTF-8
/// bytes, for the code that scans dates, tags, attribute values and lines without making strings.
/// The predicates are `@inlinable` because every reader calls them from its inner loop, across
/// module boundaries.
package enum ASCIIBytes {
    @inlinable @inline(__always)
    package static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// C's `isspace`: space, tab, LF, VT, FF, CR.
    @inlinable @inline(__always)
    package static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    /// XML's white space (the `S` production): space, tab, LF, CR; VT and FF are not space there.
    @inlinable @inline(__always)
    package static func isXMLSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    @inlinable @inline(__always)
    package static func isASCIILetter(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }

    /// Letters of any script: ASCII letters and every byte of a non-ASCII scalar.
    @inlinable @inline(__always)
    package static func isWordByte(_ b: UInt8) -> Bool { isASCIILetter(b) || b >= 0x80 }

    /// The value of a hexadecimal digit, either case.
    @inlinable @inline(__always)
    package static func hexValue(_ b: UInt8) -> UInt8? {
        if isDigit(b) { return b &- 0x30 }
        let folded = (b | 0x20) &- 0x61
        return folded < 6 ? folded + 10 : nil
    }

    @inlinable @inline(__always)
    package static func lower(_ b: UInt8) -> UInt8 { isASCIILetter(b) ? b | 0x20 : b }

    // `equals` and `contains` take buffer pointers because their callers hold libxml2's
    // (pointer, length) names and values and the pre-parse scan's page buffer: a copy into an
    // array per start tag would cost more than the comparison (see `HTMLTag.owner(named:)`).

    /// `bytes` equals the lowercase `word`, ignoring ASCII case.
    package static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        guard bytes.count == word.utf8CodeUnitCount else { return false }
        for k in 0..<bytes.count where lower(bytes[k]) != word.utf8Start[k] { return false }
        return true
    }

    /// `bytes` contains `word` (lowercase); `ignoringCase: false` compares bytes as they are.
    package static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString, ignoringCase: Bool = true) -> Bool {
        let w = word.utf8CodeUnitCount
        guard bytes.count >= w else { return false }
        outer: for i in 0...(bytes.count - w) {
            for k in 0..<w where (ignoringCase ? lower(bytes[i + k]) : bytes[i + k]) != word.utf8Start[k] { continue outer }
            return true
        }
        return false
    }
}
