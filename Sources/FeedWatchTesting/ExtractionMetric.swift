/// The article-extraction benchmark's score (Scrapinghub/Zyte, as `extract_eval.py` computes
/// it), so the test suite and `feedwatch-bench extract` report the same numbers as the Python
/// tool: `\w+` tokens, multisets of 4-token shingles, macro-averaged precision and recall,
/// F1 = 2PR/(P+R).
public enum ExtractionMetric {
    public struct Counts: Sendable, Hashable {
        public var truePositives: Int
        public var falsePositives: Int
        public var falseNegatives: Int

        public init(truePositives: Int, falsePositives: Int, falseNegatives: Int) {
            self.truePositives = truePositives
            self.falsePositives = falsePositives
            self.falseNegatives = falseNegatives
        }

        /// `nil` when the prediction has no shingles (it then does not enter the mean).
        public var precision: Double? {
            truePositives + falsePositives > 0 ? Double(truePositives) / Double(truePositives + falsePositives) : nil
        }

        public var recall: Double? {
            truePositives + falseNegatives > 0 ? Double(truePositives) / Double(truePositives + falseNegatives) : nil
        }
    }

    public struct Score: Sendable {
        public var precision: Double
        public var recall: Double
        public var f1: Double { precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0 }
    }

    /// Python's `\w+` on str: runs of letters, numbers and `_`.
    public static func tokens(_ text: String) -> [Substring] {
        var out = [Substring]()
        var start: String.Index?
        var i = text.startIndex
        let scalars = text.unicodeScalars
        while i != text.endIndex {
            let word = isWord(scalars[i])
            if word, start == nil { start = i }
            if !word, let s = start { out.append(text[s..<i]); start = nil }
            i = scalars.index(after: i)
        }
        if let s = start { out.append(text[s...]) }
        return out
    }

    private static func isWord(_ u: Unicode.Scalar) -> Bool {
        if u.isASCII {
            let v = u.value
            return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
        }
        switch u.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    static func shingles(_ text: String, n: Int = 4) -> [String: Int] {
        let t = tokens(text)
        var counts = [String: Int]()
        guard !t.isEmpty else { return counts }
        if t.count < n {
            counts[t.joined(separator: "\u{1}"), default: 0] += 1
            return counts
        }
        for i in 0...(t.count - n) {
            counts[t[i..<(i + n)].joined(separator: "\u{1}"), default: 0] += 1
        }
        return counts
    }

    public static func counts(gold: String, predicted: String) -> Counts {
        let g = shingles(gold)
        let p = shingles(predicted)
        var tp = 0, fp = 0, fn = 0
        for (k, pc) in p {
            let gc = g[k] ?? 0
            tp += min(gc, pc)
            fp += max(0, pc - gc)
        }
        for (k, gc) in g { fn += max(0, gc - (p[k] ?? 0)) }
        return Counts(truePositives: tp, falsePositives: fp, falseNegatives: fn)
    }

    /// Macro means over documents; documents with no defined precision (empty output) or
    /// recall (empty gold) are left out of that mean, as the benchmark does.
    public static func score(_ all: [Counts]) -> Score {
        let ps = all.compactMap(\.precision)
        let rs = all.compactMap(\.recall)
        return Score(precision: ps.isEmpty ? 0 : ps.reduce(0, +) / Double(ps.count),
                     recall: rs.isEmpty ? 0 : rs.reduce(0, +) / Double(rs.count))
    }
}
