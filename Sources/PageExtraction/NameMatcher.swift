import ParserSupport
/// Matching of class/id names against several word lists at once, on whole words.
///
/// A name is split into words on everything that is not a letter (white space, `-`, `_`, `:`,
/// digits, …) and where a lowercase letter is followed by an uppercase one (`articleBody` →
/// `article`, `body`), and each word is compared whole, lowercased, with the lists. A list entry
/// of two words (`read more`) matches two consecutive words of one name.
///
/// Why whole words: substring and prefix patterns matched `commented` as `comment`,
/// `sharing-with-…` and `shared` as `share`, `ad-portal` wrappers as ads, and every
/// `elementor-widget-…` block as a widget, and each of those took whole articles with it.
struct NameMatcher: Sendable {

    /// Lowercase word (or "word word") → bit set of the lists that hold it.
    private let words: [[UInt8]: UInt16]

    /// `lists[i]` sets bit `i` of the result of `classify`.
    init(lists: [[String]]) {
        var words = [[UInt8]: UInt16]()
        for (index, list) in lists.enumerated() {
            for entry in list {
                precondition(!entry.isEmpty && entry == entry.lowercased(), "list words are lowercase")
                words[Array(entry.utf8), default: 0] |= UInt16(1) << UInt16(index)
            }
        }
        self.words = words
    }

    /// A bit set of the lists that match any word (or pair of consecutive words) of `name`.
    func classify(_ name: some Collection<UInt8>) -> UInt16 {
        var result: UInt16 = 0
        var tokenResult: UInt16 = 0
        var previous: [UInt8] = []
        var word: [UInt8] = []
        var pair: [UInt8] = []
        var lastWasLower = false
        func endWord(_ continues: Bool) {
            if !word.isEmpty {
                tokenResult |= words[word] ?? 0
                if !previous.isEmpty {
                    pair.removeAll(keepingCapacity: true)
                    pair += previous
                    pair.append(0x20)
                    pair += word
                    tokenResult |= words[pair] ?? 0
                }
                swap(&previous, &word)
                word.removeAll(keepingCapacity: true)
            }
            // A white space ends the name's token: pairs do not span two class names.
            if !continues {
                previous.removeAll(keepingCapacity: true)
                result |= tokenResult
                tokenResult = 0
            }
        }
        for b in name {
            let isUpper = b >= 0x41 && b <= 0x5A
            let isLower = (b >= 0x61 && b <= 0x7A) || b >= 0x80
            if isUpper {
                if lastWasLower { endWord(true) }
                word.append(b | 0x20)
            } else if isLower {
                word.append(b)
            } else {
                endWord(!ASCIIBytes.isSpace(b))
            }
            lastWasLower = isLower
        }
        endWord(false)
        return result
    }
}
