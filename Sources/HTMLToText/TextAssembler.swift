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
        var i = run.startIndex
        while i != run.endIndex {
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
                    // A run of printable ASCII goes in whole: after its first byte nothing is
                    // pending, so byte-by-byte `emit` would do exactly this, slower.
                    var j = run.index(after: i)
                    while j != run.endIndex, case let c = run[j], c > 0x20, c < 0x7F { j = run.index(after: j) }
                    flushPending()
                    bytes.append(contentsOf: run[i..<j])
                    i = j
                    continue
                }
                i = run.index(after: i)
                continue
            }
            // Multi-byte scalar: its length from the lead byte; the special cases are all
            // two or three bytes long.
            let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
            var j = run.index(after: i)
            var b1: UInt8 = 0, b2: UInt8 = 0
            if j != run.endIndex { b1 = run[j] }
            if length >= 3, j != run.endIndex, run.index(after: j) != run.endIndex { b2 = run[run.index(after: j)] }
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
            if !skip {
                if b >= 0xCC { needsNFC = true } // U+0300 and up: `finish` asks NFC
                flushPending()
                bytes.append(b)
            }
            var k = 1
            while k < length, j != run.endIndex {
                if !skip { bytes.append(run[j]) }
                j = run.index(after: j)
                k += 1
            }
            i = j
        }
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
        return needsNFC ? TextNormalizer.nfc(text) : text
    }
}
