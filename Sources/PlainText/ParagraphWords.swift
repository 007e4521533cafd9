#if canImport(Glibc)
import Glibc
#endif
import ParserSupport

/// A paragraph as lowercase ASCII-folded words with sentence starts marked: enough to match
/// phrases without regex and without per-character `String` indexing.
struct Words {
    let raw: String
    let list: [String]
    /// Indices into `list` of words that begin a sentence.
    let sentenceStarts: Set<Int>
    /// The words joined by single spaces with a space at each end, as bytes: phrase matches
    /// fall on word boundaries.
    private let padded: [UInt8]

    /// The words joined by single spaces.
    var joined: String { String(decoding: padded.dropFirst().dropLast(), as: UTF8.self) }

    var count: Int { list.count }

    init(_ paragraph: String) {
        raw = paragraph
        var list: [String] = []
        var sentenceStarts: Set<Int> = []
        var current = [UInt8]()
        var atSentenceStart = true
        func flush() {
            guard !current.isEmpty else { return }
            if atSentenceStart { sentenceStarts.insert(list.count) }
            list.append(String(decoding: current, as: UTF8.self))
            current.removeAll(keepingCapacity: true)
            atSentenceStart = false
        }
        let utf8 = Array(paragraph.utf8)
        var k = 0
        while k < utf8.count {
            let b = utf8[k]
            if b >= 0x80 {
                let width = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
                let end = min(k + width, utf8.count)
                if width == 3, end - k == 3, b == 0xE2, utf8[k + 1] == 0x80 {
                    // General punctuation: U+2019 inside a word is an apostrophe, "…" ends a
                    // sentence, quotes and dashes separate.
                    if utf8[k + 2] == 0x99, !current.isEmpty {
                        current.append(UInt8(ascii: "'"))
                    } else {
                        flush()
                        if utf8[k + 2] == 0xA6 { atSentenceStart = true }
                    }
                } else if b == 0xC2 {
                    flush() // U+0080…U+00BF: NBSP, «», ©… are not letters.
                    if end - k == 2, utf8[k + 1] == 0xA9 { current.append(contentsOf: [0xC2, 0xA9]); flush() }
                } else {
                    current.append(contentsOf: utf8[k..<end])
                }
                k = end
                continue
            }
            if ASCIIBytes.isASCIILetter(b) || ASCIIBytes.isDigit(b) || b == UInt8(ascii: "$") {
                current.append(ASCIIBytes.lower(b))
            } else if b == UInt8(ascii: "'") || b == UInt8(ascii: "-") {
                if !current.isEmpty { current.append(b) }
            } else {
                flush()
                if b == UInt8(ascii: ".") || b == UInt8(ascii: "!") || b == UInt8(ascii: "?") || b == UInt8(ascii: ":") {
                    atSentenceStart = true
                }
            }
            k += 1
        }
        flush()
        while let last = list.last, last.hasSuffix("'") || last.hasSuffix("-") {
            list[list.count - 1] = String(last.dropLast())
            if list[list.count - 1].isEmpty { list.removeLast() } else { break }
        }
        self.list = list
        self.sentenceStarts = sentenceStarts
        var padded: [UInt8] = [0x20]
        padded.reserveCapacity(utf8.count + 2)
        for word in list {
            padded += word.utf8
            padded.append(0x20)
        }
        if list.isEmpty { padded.append(0x20) }
        self.padded = padded
    }

    /// Whole-word phrase match ("click here" does not match "click hereafter").
    /// Whole-word phrase match ("click here" does not match "click hereafter").
    func has(_ phrase: String) -> Bool {
        has(padded: Array(" \(phrase) ".utf8))
    }

    /// `needle` is a phrase from `Words.padded`. A byte search: `String.contains` (grapheme-aware,
    /// a searcher built per call) was most of the daemon's ingest time, with some 35 phrases
    /// tried on every paragraph.
    func has(padded needle: [UInt8]) -> Bool {
        needle.withUnsafeBytes { n in
            padded.withUnsafeBytes { h in
                // Candidates are the places of the phrase's first letter (found by `memchr`),
                // checked whole from the space before it.
                guard let nb = n.baseAddress, let hb = h.baseAddress, n.count >= 2, n.count <= h.count else { return false }
                let letter = Int32(n[1])
                var from = 1
                while from <= h.count - n.count + 1,
                      let hit = memchr(hb + from, letter, h.count - n.count + 1 - from + 1) {
                    let at = hb.distance(to: UnsafeRawPointer(hit))
                    if memcmp(hb + at - 1, nb, n.count) == 0 { return true }
                    from = at + 1
                }
                return false
            }
        }
    }

    /// Phrases as `has(padded:)` takes them: bytes with a space at each end.
    static func padded(_ phrases: [String]) -> [[UInt8]] {
        phrases.map { Array(" \($0) ".utf8) }
    }

    func startsWith(_ openers: [[String]]) -> Bool {
        openers.contains { opener in
            opener.count <= list.count && opener.indices.allSatisfy { list[$0] == opener[$0] }
        }
    }

    /// Whether the paragraph holds a double quote mark (`"` or `“`), on the bytes.
    var hasDoubleQuote: Bool {
        var utf8 = raw.utf8.makeIterator()
        var prev1: UInt8 = 0, prev2: UInt8 = 0
        while let b = utf8.next() {
            if b == 0x22 || (prev2 == 0xE2 && prev1 == 0x80 && b == 0x9C) { return true }
            prev2 = prev1
            prev1 = b
        }
        return false
    }
}
