import FeedWatchTesting
import Foundation
import ParserSupport

/// How well the plain-text parser cleans one page dump, against the gold article text.
///
/// Each paragraph of the dump (as the parser splits it: blank-line separated, lines joined) is
/// labelled *article* when it is a gold paragraph or when at least half of its 4-token shingles
/// are in the gold text; the paragraphs before the first article paragraph are the *head*, those
/// after the last one the *trailer*. A gold paragraph that the dump holds (90 % of its shingles)
/// is *kept* when the output still holds it essentially whole (90 % of what the dump held); a head
/// or trailer paragraph is *dropped* when the output no longer has it.
struct PageDumpScore {
    var goldPresent = 0
    var goldKept = 0
    var head = 0
    var headDropped = 0
    var trailer = 0
    var trailerDropped = 0
    /// Pages where no dump paragraph matched the gold (not scored).
    var unscored = 0
    var lost: [String] = []
    var headKept: [String] = []
    var trailerKept: [String] = []

    static func + (a: Self, b: Self) -> Self {
        var s = a
        s.goldPresent += b.goldPresent
        s.goldKept += b.goldKept
        s.head += b.head
        s.headDropped += b.headDropped
        s.trailer += b.trailer
        s.trailerDropped += b.trailerDropped
        s.unscored += b.unscored
        s.lost += b.lost
        s.headKept += b.headKept
        s.trailerKept += b.trailerKept
        return s
    }

    var keptShare: Double { goldPresent == 0 ? 1 : Double(goldKept) / Double(goldPresent) }
    var trailerDroppedShare: Double { trailer == 0 ? 1 : Double(trailerDropped) / Double(trailer) }
    var headDroppedShare: Double { head == 0 ? 1 : Double(headDropped) / Double(head) }

    var summary: String {
        String(format: "kept %.1f %% (%d/%d), trailer dropped %.1f %% (%d/%d), head dropped %.1f %% (%d/%d)",
               100 * keptShare, goldKept, goldPresent, 100 * trailerDroppedShare, trailerDropped, trailer,
               100 * headDroppedShare, headDropped, head)
    }

    init() {}

    /// - Parameters:
    ///   - dump: the whole file (title line first).
    ///   - output: the parsed article's text.
    init(dump: String, gold: [String], output: String, label: String = "") {
        let input = Self.bodyParagraphs(dump)
        let out = output.isEmpty ? [] : output.components(separatedBy: "\n\n")
        let goldTokens = gold.map(Self.tokens)
        let goldSet = Set(gold)
        var goldShingles = Set<[Substring]>()
        for t in goldTokens { goldShingles.formUnion(Self.shingles(t)) }

        let isArticle = input.map { p -> Bool in
            if goldSet.contains(p) { return true }
            let sh = Self.shingles(Self.tokens(p))
            return sh.count >= 1 && 2 * sh.filter(goldShingles.contains).count >= sh.count
        }
        guard let first = isArticle.firstIndex(of: true), let last = isArticle.lastIndex(of: true) else {
            unscored = 1
            return
        }
        let kept = Self.align(input, out)
        for i in 0..<first {
            head += 1
            if kept[i] { headKept.append("\(label): \(input[i])") } else { headDropped += 1 }
        }
        for i in (last + 1)..<input.count {
            trailer += 1
            if kept[i] { trailerKept.append("\(label): \(input[i])") } else { trailerDropped += 1 }
        }

        let dumpCounts = Self.shingleCounts(input)
        let outCounts = Self.shingleCounts(out)
        let inputTokens = Set(input.map(Self.tokens))
        let outTokens = Set(out.map(Self.tokens))
        for (g, t) in zip(gold, goldTokens) where !t.isEmpty {
            let sh = Self.shingles(t)
            if sh.isEmpty {
                // Short gold paragraphs ("Background", a one-line subhead) count whole.
                guard inputTokens.contains(t) else { continue }
                goldPresent += 1
                if outTokens.contains(t) { goldKept += 1 } else { lost.append("\(label): \(g)") }
                continue
            }
            let inDump = sh.filter { dumpCounts[$0, default: 0] > 0 }.count
            guard Double(inDump) >= 0.9 * Double(sh.count) else { continue }
            goldPresent += 1
            let inOut = sh.filter { outCounts[$0, default: 0] > 0 }.count
            if Double(inOut) >= 0.9 * Double(inDump) { goldKept += 1 } else { lost.append("\(label): \(g)") }
        }
    }

    /// Which input paragraphs the output kept: the output is the input with paragraphs removed
    /// (and now and then a line dropped inside one), matched in order.
    static func align(_ input: [String], _ out: [String]) -> [Bool] {
        var kept = [Bool](repeating: false, count: input.count)
        var j = 0
        var remaining = [String: Int]()
        for p in input { remaining[p, default: 0] += 1 }
        for (i, p) in input.enumerated() {
            remaining[p, default: 0] -= 1
            guard j < out.count else { continue }
            if out[j] == p {
                kept[i] = true
                j += 1
            } else if remaining[out[j], default: 0] == 0, Self.tokens(out[j]).allSatisfy(Set(Self.tokens(p)).contains) {
                // Changed inside (a stray line dropped): the same paragraph.
                kept[i] = true
                j += 1
            }
        }
        return kept
    }

    /// The paragraphs after the title line, as `PlainTextArticle` splits them.
    static func bodyParagraphs(_ dump: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring] = []
        let lines = dump.split(separator: "\n", omittingEmptySubsequences: false)
        for line in lines {
            if line.allSatisfy({ $0.isWhitespace }) {
                if !current.isEmpty { blocks.append(TextNormalizer.paragraph(current.joined(separator: " "))) }
                current.removeAll()
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { blocks.append(TextNormalizer.paragraph(current.joined(separator: " "))) }
        return Array(blocks.filter { !$0.isEmpty }.dropFirst())
    }

    static func tokens(_ text: String) -> [Substring] {
        ExtractionMetric.tokens(text.lowercased()).map { Substring($0) }
    }

    static func shingles(_ t: [Substring]) -> [[Substring]] {
        t.count < 4 ? [] : (0...(t.count - 4)).map { Array(t[$0..<($0 + 4)]) }
    }

    static func shingleCounts(_ paragraphs: [String]) -> [[Substring]: Int] {
        var counts = [[Substring]: Int]()
        for p in paragraphs { for s in shingles(tokens(p)) { counts[s, default: 0] += 1 } }
        return counts
    }
}
