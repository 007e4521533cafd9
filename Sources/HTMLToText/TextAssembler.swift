import Foundation
import ParserSupport

/// Builds SPEC §3 text from a stream of text runs and structural breaks, at byte level.
///
/// Breaks are held back until the next visible character, so white space never leads,
/// trails or doubles, and the strongest pending break wins: paragraph ("\n\n") over line
/// (`<br>`, "\n") over word (" "). Two line breaks in a row make a paragraph break. Input must
/// be valid UTF-8 (libxml2's output and Swift strings are).
package struct TextAssembler {
    private(set) var bytes: [UInt8] = []
    private var pending = Break.none
    /// Where the current paragraph's text starts in `bytes`.
    private var paragraphStart = 0
    /// Where the current line's text starts (after the last "\n").
    private var lineStart = 0
    /// Whether a scalar that NFC may change was appended (`TextNormalizer.nfc`'s test, made
    /// as each scalar goes in rather than in a second pass over the whole text).
    private var needsNFC = false

    package enum Break: UInt8, Comparable {
        case none, space, line, paragraph
        package static func < (a: Break, b: Break) -> Bool { a.rawValue < b.rawValue }
    }

    package init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    package var isEmpty: Bool { bytes.isEmpty }

    package mutating func paragraphBreak() { pending = .paragraph }

    package mutating func wordBreak() { if pending < .space { pending = .space } }

    package mutating func lineBreak() {
        switch pending {
        case .none, .space: pending = .line
        case .line, .paragraph: pending = .paragraph
        }
    }

    /// Appends a text run; `preserve` keeps line breaks and inner spaces (`<pre>`).
    package mutating func append<C: Collection>(_ run: C, preserve: Bool = false) where C.Element == UInt8 {
        if run.withContiguousStorageIfAvailable({ append(bytes: $0, preserve: preserve) }) == nil {
            Array(run).withUnsafeBufferPointer { append(bytes: $0, preserve: preserve) }
        }
    }

    package mutating func append(bytes run: UnsafeBufferPointer<UInt8>, preserve: Bool = false) {
        let n = run.count
        var i = 0
        while i < n {
            let b = run[i]
            if b < 0x80 {
                switch b {
                case 0x0A where preserve:
                    lineBreak()
                case 0x20 where preserve, 0x09 where preserve:
                    // Indentation survives, except at the start of a paragraph.
                    if pending == .line { flushPending() }
                    if pending == .none && !bytes.isEmpty && bytes.count > paragraphStart { bytes.append(0x20) }
                case 0x09...0x0D, 0x20:
                    wordBreak()
                case 0x00..<0x20, 0x7F:
                    break
                default:
                    // A run of printable ASCII goes in whole, single spaces between its words
                    // included: after its first byte nothing is pending, so byte-by-byte `emit`
                    // would do exactly this (a lone space between two visible bytes is copied,
                    // in `<pre>` too), slower.
                    let j = plainRunEnd(run, from: i + 1)
                    flushPending()
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: run[i..<j]))
                    i = j
                    continue
                }
                i += 1
                continue
            }
            // Multi-byte scalar: its length from the lead byte; the special cases are all
            // two or three bytes long.
            let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
            let b1: UInt8 = i + 1 < n ? run[i + 1] : 0
            let b2: UInt8 = length >= 3 && i + 2 < n ? run[i + 2] : 0
            var skip = false
            if length == 2 && b == 0xC2 {
                // C1 controls; a no-break space that would lead a line.
                skip = b1 < 0xA0 || (b1 == 0xA0 && atLineStart)
            } else if length == 3 && b == 0xE2 && b1 == 0x80 && (b2 == 0xA8 || b2 == 0xA9) {
                wordBreak() // U+2028, U+2029
                skip = true
            } else if length == 3 && b == 0xEF && ((b1 == 0xBB && b2 == 0xBF) || (b1 == 0xBF && b2 >= 0xBE)) {
                skip = true // BOM, U+FFFE, U+FFFF
            }
            var end = min(i + length, n)
            if !skip {
                if b >= 0xCC, !needsNFC { needsNFC = Self.mayChangeUnderNFC(run, at: i, length: length) }
                flushPending()
                if end < n { end = plainRunEnd(run, from: end) }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: run[i..<end]))
            }
            i = end
        }
    }

    /// Where the plain run from `start` ends: visible ASCII, scalars that are not special here
    /// (no C1 control, no-break space, U+2028/2029, BOM, U+FFFE/FFFF), and single spaces before
    /// either. Right after a visible byte none of these leaves anything pending, so `append`
    /// would copy each of them as it is; they are copied in one go. A space copied before a
    /// special scalar is what the break the scalar makes would have given anyway.
    private mutating func plainRunEnd(_ run: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let n = run.count
        var j = start
        let spaceBytes = UInt64(0x2020_2020_2020_2020)
        while j < n {
            // Eight bytes at a time while they are visible ASCII and single spaces, not ending
            // in a space (the byte before `j` is always a visible one here).
            if j + 8 <= n, let base = run.baseAddress {
                let x = UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self)
                if ASCIIBytes.isPrintableASCII(x) {
                    let spaces = ASCIIBytes.zeroBytes(x ^ spaceBytes)
                    if spaces & (spaces << 8) == 0, spaces >> 63 == 0 {
                        j += 8
                        continue
                    }
                }
            }
            let c = run[j]
            if c > 0x20, c < 0x7F {
                j += 1
            } else if c == 0x20 {
                guard j + 1 < n, case let d = run[j + 1], (d > 0x20 && d < 0x7F) || d >= 0xC3 else { break }
                j += 2
                if d >= 0xC3 { j -= 1 } // the scalar is checked on the next turn
            } else if c >= 0xC3 {
                let length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2
                guard j + length <= n else { break }
                if c == 0xE2, run[j + 1] == 0x80, run[j + 2] == 0xA8 || run[j + 2] == 0xA9 { break }
                if c == 0xEF, (run[j + 1] == 0xBB && run[j + 2] == 0xBF) || (run[j + 1] == 0xBF && run[j + 2] >= 0xBE) { break }
                if c >= 0xCC, !needsNFC { needsNFC = Self.mayChangeUnderNFC(run, at: j, length: length) }
                j += length
            } else if c == 0xC2, j + 1 < n, run[j + 1] >= 0xA1 {
                j += 2
            } else {
                break
            }
        }
        return j
    }

    private var atLineStart: Bool { pending >= .line || bytes.count == lineStart }

    @inline(__always)
    private mutating func flushPending() {
        guard pending != .none else { return }
        defer { pending = .none }
        guard !bytes.isEmpty else { return }
        if pending >= .line { trimLineEnd() }
        switch pending {
        case .none: break
        case .space:
            if bytes.last != 0x20 { bytes.append(0x20) }
        case .line:
            bytes.append(0x0A)
            lineStart = bytes.count
        case .paragraph:
            bytes.append(0x0A)
            bytes.append(0x0A)
            paragraphStart = bytes.count
            lineStart = bytes.count
        }
    }

    /// Drops spaces and no-break spaces at the end of the current line.
    private mutating func trimLineEnd() {
        while bytes.count > lineStart {
            if bytes[bytes.count - 1] == 0x20 {
                bytes.removeLast()
            } else if bytes.count - 2 >= lineStart && bytes[bytes.count - 2] == 0xC2 && bytes[bytes.count - 1] == 0xA0 {
                bytes.removeLast(2)
            } else {
                break
            }
        }
    }

    /// The text, trimmed and in NFC.
    package mutating func finish() -> String {
        trimLineEnd()
        pending = .none
        let text = String(decoding: bytes, as: UTF8.self)
        return needsNFC ? text.precomposedStringWithCanonicalMapping : text
    }

    /// The scalar of `length` bytes at `i` (U+0300 or above): whether NFC may change text
    /// holding it, as `TextNormalizer.nfc` decides (a scalar cut off at the end: yes).
    @inline(__always)
    private static func mayChangeUnderNFC(_ run: UnsafeBufferPointer<UInt8>, at i: Int, length: Int) -> Bool {
        guard i + length <= run.count else { return true }
        var v = UInt32(run[i]) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for k in 1..<length { v = v << 6 | UInt32(run[i + k] & 0x3F) }
        if TextNormalizer.isStableLetter(v) { return false }
        guard let u = Unicode.Scalar(v) else { return true }
        return TextNormalizer.mayChangeUnderNFC(u)
    }
}
