/// The parser's one byte library: ASCII classes and case-insensitive comparisons on raw UTF-8
/// bytes, for the code that scans dates, tags, attribute values and lines without making strings.
/// The predicates are public and `@inlinable` because every reader calls them from its inner
/// loop, across module boundaries: a `package` function is not inlined into another module
/// (seen with `nm` on the release objects; with `HTMLDocument`'s accessors, the calls cost 15 %
/// of extraction CPU in `scripts/compare-parse-cpu.py`).
public enum ASCIIBytes {
    @inlinable @inline(__always)
    public static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// C's `isspace`: space, tab, LF, VT, FF, CR.
    @inlinable @inline(__always)
    public static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    /// XML's white space (the `S` production): space, tab, LF, CR; VT and FF are not space there.
    @inlinable @inline(__always)
    public static func isXMLSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    @inlinable @inline(__always)
    public static func isASCIILetter(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }

    // Eight bytes at a time (`UInt64` loads, byte 0 lowest): the scanners' word-at-a-time steps.

    /// 0x80 in each byte of `x` that is zero, nothing elsewhere (exact: no carries across bytes).
    @inlinable @inline(__always)
    public static func zeroBytes(_ x: UInt64) -> UInt64 {
        let low7 = UInt64(0x7F7F_7F7F_7F7F_7F7F)
        return ~(((x & low7) &+ low7) | x | low7)
    }

    /// Whether every byte of `x` is visible ASCII or a space (0x20…0x7E).
    @inlinable @inline(__always)
    public static func isPrintableASCII(_ x: UInt64) -> Bool {
        let ones = UInt64(0x0101_0101_0101_0101)
        let high = ones &* 0x80
        // No byte ≥ 0x80; none < 0x20 (+0x60 reaches 0x80 exactly from 0x20 up, without carries
        // since every byte is < 0x80); no DEL.
        return x & high == 0 && (x &+ ones &* 0x60) & high == high && zeroBytes(x ^ (ones &* 0x7F)) == 0
    }

    /// Whether some byte of `x` is a C0 control other than tab, LF and CR.
    @inlinable @inline(__always)
    public static func hasControlBesidesLineSpace(_ x: UInt64) -> Bool {
        let ones = UInt64(0x0101_0101_0101_0101)
        let low7 = ones &* 0x7F
        // 0x80 in each byte below 0x20 (exact: the masked sum never carries out of a byte).
        let below = ~((x & low7) &+ ones &* 0x60) & ~x & (ones &* 0x80)
        guard below != 0 else { return false }
        let lineSpace = zeroBytes(x ^ (ones &* 0x09)) | zeroBytes(x ^ (ones &* 0x0A)) | zeroBytes(x ^ (ones &* 0x0D))
        return below & ~lineSpace != 0
    }

    /// Letters of any script: ASCII letters and every byte of a non-ASCII scalar.
    @inlinable @inline(__always)
    public static func isWordByte(_ b: UInt8) -> Bool { isASCIILetter(b) || b >= 0x80 }

    /// The value of a hexadecimal digit, either case.
    @inlinable @inline(__always)
    public static func hexValue(_ b: UInt8) -> UInt8? {
        if isDigit(b) { return b &- 0x30 }
        let folded = (b | 0x20) &- 0x61
        return folded < 6 ? folded + 10 : nil
    }

    @inlinable @inline(__always)
    public static func lower(_ b: UInt8) -> UInt8 { isASCIILetter(b) ? b | 0x20 : b }

    // `equals` and `contains` take buffer pointers because their callers hold libxml2's
    // (pointer, length) names and values and the pre-parse scan's page buffer: a copy into an
    // array per start tag would cost more than the comparison (see `HTMLTag.owner(named:)`).

    /// `bytes` equals the lowercase `word`, ignoring ASCII case.
    @inlinable
    public static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        guard bytes.count == word.utf8CodeUnitCount else { return false }
        for k in 0..<bytes.count where lower(bytes[k]) != word.utf8Start[k] { return false }
        return true
    }

    /// `bytes` contains `word` (lowercase); `ignoringCase: false` compares bytes as they are.
    @inlinable
    public static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString, ignoringCase: Bool = true) -> Bool {
        let w = word.utf8CodeUnitCount
        guard bytes.count >= w else { return false }
        outer: for i in 0...(bytes.count - w) {
            for k in 0..<w where (ignoringCase ? lower(bytes[i + k]) : bytes[i + k]) != word.utf8Start[k] { continue outer }
            return true
        }
        return false
    }
}
