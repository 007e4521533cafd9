/// Where the article runs in a text that may be a whole page: from the *shape* of its
/// paragraphs, not from known sentences, because a page's chrome differs from site to site while
/// its shape does not.
///
/// An article is a run of long, sentence-like paragraphs (*prose*) with little between them
/// (subheads, captions, a stray line). Around it a page has *chrome*: short lines, title-case
/// headlines, lists of links or names, counters, dates, form labels, and *section markers* that
/// open what follows the article ("Comments", "Related", "Share", "© 2019 …", "Privacy Policy").
/// Prose paragraphs are grouped into clusters, split wherever the lines between two of them
/// weigh too much (several chrome lines, or any marker); the cluster with the most prose is the
/// article, and a neighbouring cluster joins it when it reads like more of the same (at least two
/// prose paragraphs, no comment or footer marker between). What is outside the joined clusters
/// is the page's head or trailer. Nothing inside is removed by shape: the middle of an article
/// only ever loses what the phrase rules say.
struct ArticleShape {
    enum Kind: UInt8 {
        /// A long, sentence-like paragraph.
        case prose
        /// A short paragraph that is still a sentence (a one-line lede, a closing line, a list
        /// item of running words).
        case sentence
        /// A short line with no sentence shape: headline, label, name, date, counter, link.
        case chrome
        /// Opens a section that is not the article: comments, related lists, share bars,
        /// newsletter and donation prompts, footers.
        case marker
        /// Like `marker`, and nothing after it is the article again: comment sections, footers.
        case endMarker

        var name: String {
            switch self {
            case .prose: "prose outside the article (teaser, comment, sidebar)"
            case .sentence: "short sentence outside the article"
            case .chrome: "short line (headline, link, label, name, date, counter)"
            case .marker: "section marker (related, share, newsletter, appeal, credit)"
            case .endMarker: "comment section or footer"
            }
        }
    }

    /// What each paragraph is.
    let kinds: [Kind]
    /// The article's first and last paragraph, or nil when the text has no prose to anchor on.
    let span: ClosedRange<Int>?

    init(_ paragraphs: [Words], verdicts: [BoilerplateClassifier.Verdict]) {
        let kinds = zip(paragraphs, verdicts).map { Self.kind($0, strong: $1.strong) }
        self.kinds = kinds
        var comments: Set<Int> = []
        for (i, k) in kinds.enumerated() where k == .endMarker && Self.isCommentSection(paragraphs[i]) { comments.insert(i) }
        let span = Self.span(kinds, sizes: paragraphs.map(Self.size), comments: comments)
        self.span = span.map { $0.lowerBound...Self.listEnd(paragraphs, after: $0.upperBound) }
    }

    /// Words, with CJK text counted as a word per two characters (it has no spaces). Counted on
    /// the bytes: a lead byte E3–ED starts a character in U+3000–U+DFFF.
    static func size(_ w: Words) -> Int {
        var wide = 0
        for b in w.raw.utf8 where b >= 0xE3 && b <= 0xED { wide += 1 }
        return max(w.count, wide / 2)
    }

    static func kind(_ w: Words, strong: Bool) -> Kind {
        let n = size(w)
        // An embedded post's signature closes a quotation inside the story.
        if BoilerplateClassifier.isEmbedSignature(w) { return .sentence }
        if n <= 12, let marker = sectionMarker(w) { return marker }
        if strong, n <= 60 { return .marker }
        // Chinese and Japanese prose has full stops ("。"); a headline, a teaser, an advert or a
        // ranking line has none, however many characters it runs (a portal's "アクセスランキング"
        // list and campaign teasers read as prose by their length alone). Trailer dropped: all
        // pages A 97.0 → 98.1 %, B 93.8 → 94.1 %; no article paragraph lost in either half.
        if n > w.count, n < 60, !hasCJKSentenceStop(w.raw) { return n >= 7 ? .sentence : .chrome }
        if n >= 40 { return .prose }
        let ends = endsLikeASentence(w.raw)
        let headline = isTitleCase(w.raw)
        if n >= 15 && ends && !headline || n >= 20 && !headline { return .prose }
        // A list item in running text is lowercase words with no end ("emalysz fixed a
        // performance issue with the Screenshots feature"); a link or a headline is not.
        if n >= 4 && ends || n >= 7, !headline { return .sentence }
        return .chrome
    }

    /// A full stop anywhere (full-width or ASCII): CJK prose has one; an advert's "受付中！" has not.
    static func hasCJKSentenceStop(_ raw: String) -> Bool {
        raw.unicodeScalars.contains { "。．.".unicodeScalars.contains($0) }
    }

    /// Ends the way a sentence does (a colon runs on into a list: not an end here).
    static func endsLikeASentence(_ raw: String) -> Bool {
        guard let last = raw.unicodeScalars.last else { return false }
        return ".!?\"'”’)…。！？」".unicodeScalars.contains(last)
    }

    /// A headline or a name list: most words of four letters or more start with a capital
    /// ("Two Manhattan Jail Workers Arrested over Death of Jeffrey Epstein").
    static func isTitleCase(_ raw: String) -> Bool {
        // On the bytes, word by word (split at spaces): the first letter of each word of four
        // bytes or more; a non-ASCII first letter is decoded, an ASCII one is read directly.
        var long = 0, capital = 0
        var start = -1, first: UInt8 = 0, firstAt = -1
        let utf8 = Array(raw.utf8)
        func finish(_ end: Int) {
            guard start >= 0, end - start >= 4, firstAt >= 0 else { return }
            long += 1
            if first < 0x80 {
                if first >= 0x41 && first <= 0x5A { capital += 1 }
            } else if let u = String(decoding: utf8[firstAt..<min(firstAt + 4, end)], as: UTF8.self).unicodeScalars.first,
                      u.properties.isUppercase {
                capital += 1
            }
        }
        for (i, b) in utf8.enumerated() {
            if b == 0x20 {
                finish(i)
                start = -1
                firstAt = -1
                continue
            }
            if start < 0 { start = i }
            if firstAt < 0, b >= 0xC0 || (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A {
                firstAt = i
                first = b
            }
        }
        finish(utf8.count)
        return long >= 2 && capital * 4 >= long * 3
    }

    /// Section headers and widgets by their general words: comment sections and forms,
    /// related and popular lists, share bars, site footers. Short paragraphs only.
    static func sectionMarker(_ w: Words) -> Kind? {
        let n = w.count
        guard n >= 1, n <= 12 else { return nil }
        // "3 Comments", "Leave a Reply", "Reply", "Comments (12)": a header or a button, not
        // a sentence ("No reply.").
        // A lone "Comment", "Comments" or "Reply" may be a button (a link to the comments, on
        // both sides of the article's last paragraph) or a table's column: a marker only. The
        // lone "Comments": news kept A 99.1 → 99.3 %, trailer dropped unchanged in both halves.
        if n <= 6, isCommentHeader(w), !w.raw.hasSuffix("."), !w.raw.hasSuffix("!"),
           !w.raw.hasSuffix("?"), !w.raw.hasSuffix("\u{201D}") {
            return n == 1 && (w.list[0] == "comment" || w.list[0] == "comments" || w.list[0] == "reply") ? .marker : .endMarker
        }
        if commentPhrases.contains(where: { w.has(padded: $0) }) { return .endMarker }
        if w.raw.hasPrefix("©") || w.list.first == "copyright" || footerPhrases.contains(where: { w.has(padded: $0) }) {
            return .endMarker
        }
        if n <= 8, w.startsWith(sectionOpeners) { return .marker }
        return nil
    }

    /// A comment section's header or button names the comments first or last ("3 Comments",
    /// "Comments (12)", "Leave a Reply", "Show replies"), counters aside. A subhead that only
    /// uses the word ("Gmail: Predictable, Scriptable Responses from Humans") or a line leading
    /// into a quotation ("To which Samantha understandably replies:") is the article: both lost
    /// a section of the article body in the Readability pages (half B), and no header in either
    /// half's trailers is worded so.
    static func isCommentHeader(_ w: Words) -> Bool {
        let words = w.list.filter { !$0.allSatisfy(\.isNumber) }
        guard let first = words.first, let last = words.last,
              commentWords.contains(first) || commentWords.contains(last) else { return false }
        return words.count <= 2 || !w.raw.hasSuffix(":") && !w.raw.contains(": ")
    }

    private static let commentWords: Set<String> = [
        "comment", "comments", "reply", "replies", "responses", "commenti", "commentaires", "kommentare",
        "comentarios", "комментарии", "komentarze",
    ]
    private static let commentPhrases = Words.padded([
        "leave a reply", "post a comment", "add a comment", "join the discussion", "join the conversation",
        "be the first to", "view all comments", "show comments", "comment policy", "community guidelines",
        "community rules", "characters remaining", "character count", "log in to", "sign in to",
    ])
    private static let footerPhrases = Words.padded([
        "all rights reserved", "privacy policy", "terms of use", "terms of service", "terms and conditions",
        "cookie policy", "contact us", "about us", "advertise with us", "powered by", "site map", "sitemap",
    ])
    private static let sectionOpeners: [[String]] = [
        ["related"], ["more", "from"], ["more", "in"], ["more", "on"], ["more", "stories"], ["more", "news"],
        ["read", "more"], ["read", "next"], ["you", "may", "also", "like"], ["you", "might", "also", "like"],
        ["recommended"], ["most", "popular"], ["most", "read"], ["most", "viewed"], ["popular"], ["trending"],
        ["top", "stories"], ["latest"], ["latest", "news"], ["around", "the", "web"], ["sponsored"], ["promoted"],
        ["share"], ["share", "this"], ["tags"], ["topics"], ["newsletter"], ["newsletters"], ["subscribe"],
        ["follow", "us"], ["editor's", "picks"], ["in", "case", "you", "missed", "it"], ["see", "also"],
        ["also", "read"], ["what", "to", "read", "next"], ["don't", "miss"],
    ]

    /// Whether the paragraphs in `range` (a head or a trailer) are page, not a stray line or two
    /// that the phrase rules should judge (a sign-off, a comment counter): prose of another
    /// cluster, or three lines or more that are not sentences.
    func isHeavy(_ range: Range<Int>) -> Bool {
        var lines = 0
        for k in kinds[range] {
            if k == .prose { return true }
            if k != .sentence { lines += 1 }
        }
        return lines >= 3
    }

    /// Lines between two prose paragraphs weigh this much or more: the article is not going on.
    static let heavyGap = 4

    private static func weight(_ k: Kind) -> Int {
        switch k {
        case .prose, .sentence: 0
        case .chrome: 1
        case .marker, .endMarker: heavyGap
        }
    }

    private struct Cluster {
        var first: Int
        var last: Int
        var prose = 0
        var words = 0
        /// Words of the prose paragraphs that stand right next to another: an article runs
        /// paragraph after paragraph, a list of teasers or comments puts a headline or a name
        /// between every two.
        var runWords = 0
        /// Lines between the cluster's prose that are not sentences (headlines, names, dates,
        /// counters): few in an article, one or two around every comment of a thread.
        var inner = 0
    }

    /// An end marker that opens a comment section (its header, a counter, a form), not a footer.
    static func isCommentSection(_ w: Words) -> Bool {
        w.count <= 6 && isCommentHeader(w) || commentPhrases.contains { w.has(padded: $0) }
    }

    /// `comments`: the end markers that open a comment section.
    static func span(_ kinds: [Kind], sizes: [Int], comments: Set<Int> = []) -> ClosedRange<Int>? {
        // Clusters of prose split at heavy gaps.
        var clusters: [Cluster] = []
        var gap = 0, gapLines = 0
        for (i, k) in kinds.enumerated() {
            if k == .prose {
                let run = i > 0 && kinds[i - 1] == .prose || i + 1 < kinds.count && kinds[i + 1] == .prose
                if var c = clusters.last, gap < heavyGap {
                    c.last = i
                    c.prose += 1
                    c.words += sizes[i]
                    c.inner += gapLines
                    clusters[clusters.count - 1] = c
                } else {
                    clusters.append(Cluster(first: i, last: i, prose: 1, words: sizes[i]))
                }
                if run { clusters[clusters.count - 1].runWords += sizes[i] }
                gap = 0
                gapLines = 0
            } else {
                gap += weight(k)
                if k != .sentence { gapLines += 1 }
            }
        }
        // Prose after a comment header, once an article has run before it, with a name or a
        // date line around every other paragraph, is the comments: a forum thread under a short
        // story may run longer than the story. (A weekly edition's next article after a
        // "Comments (5 posted)" link has few such lines.) Both halves: news trailer dropped
        // A 97.3 → 97.3, B 94.3 → 97.5 %, no article paragraph lost.
        var candidates = Array(clusters.indices)
        if let end = clusters.first(where: { $0.runWords > 0 })?.last,
           let header = comments.filter({ $0 > end }).min() {
            candidates = candidates.filter { clusters[$0].first < header || 2 * clusters[$0].inner < clusters[$0].prose }
        }
        guard let main = candidates.max(by: {
            (clusters[$0].runWords, clusters[$0].words) < (clusters[$1].runWords, clusters[$1].words)
        }) else { return nil }
        // No two prose paragraphs in a row anywhere: the article is a table, a list or a data
        // page (standings, a recipe's steps, a code list) and the prose found is the page's
        // sidebar teasers. The shape has nothing to anchor on; only the phrase rules clean.
        // News pages: kept B 98.5 → 99.8 % (a standings page), trailer dropped B 97.5 → 97.3 %
        // (its sidebar), A unchanged. All pages, with ArticleEdges' rules: kept A 92.0 → 94.2 %, B 79.3 → 80.8 %, trailer
        // dropped B 94.1 → 93.7 %, head dropped A 93.7 → 93.3 %, B 91.3 → 90.2 % (how-to steps
        // between photos, a product page, a short post: pages whose article has no prose run).
        guard clusters[main].runWords > 0 else { return nil }
        var lo = main, hi = main
        // A neighbour that runs paragraph after paragraph joins unless a comment section or a
        // footer lies between (before the article, those words are a counter by the byline or a
        // form's small print); a lone prose paragraph only across a light gap (one marker, a
        // chrome line: "Subscribe now" between the lede and the rest). Past a comment header or
        // a footer only another article of a page that holds several (a weekly edition) joins:
        // three prose paragraphs, running half as long as the main's.
        func joins(_ c: Cluster, gap range: Range<Int>, backward: Bool) -> Bool {
            var weight = 0
            let runsLikeMain = 2 * c.runWords >= clusters[main].runWords
            for (i, k) in zip(range, kinds[range]) {
                // What follows a comment header is the comments, however long they run (a
                // forum's thread under a news story); only past a footer may another article
                // of the same page follow. With the choice of the main cluster above.
                if k == .endMarker, !backward { return !comments.contains(i) && c.prose >= 3 && runsLikeMain }
                weight += Self.weight(k)
            }
            return c.runWords > 0 || weight <= heavyGap + 1
        }
        while hi + 1 < clusters.count, joins(clusters[hi + 1], gap: (clusters[hi].last + 1)..<clusters[hi + 1].first, backward: false) {
            hi += 1
        }
        while lo > 0, joins(clusters[lo - 1], gap: (clusters[lo - 1].last + 1)..<clusters[lo].first, backward: true) {
            lo -= 1
        }
        var first = clusters[lo].first, last = clusters[hi].last
        // A short sentence right before or after the prose is still the article (a one-line
        // lede, a closing line); chrome is not.
        while first > 0, kinds[first - 1] == .sentence { first -= 1 }
        while last + 1 < kinds.count, kinds[last + 1] == .sentence { last += 1 }
        // A rule line with no words ("___", "* * *") right after the article closes it, as wire
        // stories end their text before the credits: it goes with the article, not the trailer.
        if last + 1 < kinds.count, sizes[last + 1] == 0 { last += 1 }
        return first...last
    }
}
