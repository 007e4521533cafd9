/// What stays with the article at its edges although the page's shape alone would cut it: the
/// shape finds where the long prose runs, but an article may open with a box of labelled
/// fields before its prose, may go on into a list of short items, and may close with its
/// sign-off or a line that names where it first ran, after the page's related links. A
/// paragraph lost is worse than a line of chrome kept (the acceptance is 99 % kept, 80 % of the
/// trailer dropped), so each rule here only ever keeps a paragraph, never removes one.
extension ArticleShape {
    /// A box of labelled fields right before the article's prose, as fact-check and review
    /// pages show them ("Claim" / its sentence / "Rating" / "Unproven" / "Origin", "Verdict" /
    /// "Pros" / "Cons"): from the prose back, one- to three-word labels, each followed by at
    /// most one value (a sentence, or a word or two), with appeals in between left to the phrase
    /// rules. It is a box, not a menu, when it holds at least three labels, one of them right
    /// before the prose, and at least one sentence among the values; a menu ("Home", "World",
    /// "Politics") has no sentence. Returns where the box starts (`start` when there is none).
    /// News pages, half A: kept +6 paragraphs (a fact-check's box), head dropped unchanged at
    /// 94.6 %; half B unchanged (no box; the share-bar words keep a bar of buttons out).
    static func fieldBoxStart(_ paragraphs: [Words], kinds: [Kind], strong: [Bool], before start: Int) -> Int {
        guard start > 0, isFieldLabel(paragraphs[start - 1]) else { return start }
        var labels = 0, sentences = 0, boxStart = start
        var afterValue = false
        // Labels in a row: a box has a value after every label or two ("Rating" / "Unproven" /
        // "About this rating"); a share bar or a menu is a run of bare words.
        var inRow = 0
        var j = start - 1
        while j >= 0, labels <= 8 {
            let w = paragraphs[j]
            if isFieldLabel(w) {
                inRow += 1
                if inRow > 4 { break }
                labels += 1
                boxStart = j
                afterValue = false
            } else if strong[j] {
                // An appeal or a credit inside the box: the phrase rules remove it.
            } else if !afterValue, kinds[j] == .prose || kinds[j] == .sentence {
                sentences += 1
                afterValue = true
                inRow = 0
            } else if !afterValue, w.count <= 2, kinds[j] == .chrome {
                afterValue = true
                inRow = 0
            } else {
                break
            }
            j -= 1
        }
        return labels >= 3 && sentences >= 1 ? boxStart : start
    }

    /// "Claim", "Rating", "About this rating", "Our verdict": one to three words, the first
    /// capitalised, no digits, no end punctuation, and not a section header ("Related").
    static func isFieldLabel(_ w: Words) -> Bool {
        guard w.count >= 1, w.count <= 3, let first = w.raw.unicodeScalars.first, first.properties.isUppercase,
              !w.raw.contains(where: { $0.isNumber || $0 == "@" || $0 == "/" }),
              let last = w.raw.unicodeScalars.last, last.properties.isAlphabetic || last == ":"
        else { return false }
        return sectionMarker(w) == nil && !BoilerplateClassifier.isShareBarWord(w)
    }

    /// A note of where the story first ran ("Originally published on Live Science.", "This
    /// article first appeared in The Conversation."), without licence terms, anywhere in the
    /// trailer: the article's own closing line, which a page may print after its related links
    /// (the page-dump gold keeps it). Licence and permission notes stay boilerplate.
    /// News pages: kept A +1, trailer dropped unchanged in both halves.
    static func isClosingProvenance(_ w: Words, strong: Bool) -> Bool {
        !strong && BoilerplateClassifier.isProvenanceNote(w)
    }

    /// A list the article's last paragraph leads into ("… the deals not to miss:", then "1) …",
    /// "2) …"): a how-to's steps, a listicle's or a deals post's items are the article however
    /// short their lines. From a paragraph ending in a colon, the numbered or bulleted items
    /// that follow, with at most one short line between two of them (an item's link or price
    /// on a line of its own), stay with it. Returns the last paragraph of the article.
    /// News pages, half A: kept +1 (a deals list), trailer dropped unchanged; half B unchanged.
    static func listEnd(_ paragraphs: [Words], after last: Int) -> Int {
        // The lead-in, before any items the article already holds.
        var lead = last
        while lead > 0, isListItem(paragraphs[lead].raw) { lead -= 1 }
        guard paragraphs[lead].raw.hasSuffix(":") else { return last }
        var end = last
        var i = last + 1
        while i < paragraphs.count {
            if isListItem(paragraphs[i].raw) {
                end = i
                i += 1
            } else if i + 1 < paragraphs.count, paragraphs[i].count <= 6, isListItem(paragraphs[i + 1].raw), end > lead {
                i += 1
            } else {
                break
            }
        }
        return end
    }

    /// "1) …", "2. …", "- …", "* …", "• …": an item of a numbered or bulleted list.
    static func isListItem(_ raw: String) -> Bool {
        var digits = 0
        for ch in raw.unicodeScalars {
            if ch.properties.numericType != nil, ch.isASCII {
                digits += 1
                continue
            }
            if digits == 0 { return ["-", "*", "•", "–"].contains(ch) && raw.count > 2 }
            return digits <= 2 && (ch == ")" || ch == ".") && raw.count > digits + 2
        }
        return false
    }

    /// The article's sign-off, right after its last paragraph: the writer's name with an e-mail
    /// address ("정덕현 칼럼니스트 thekian1@entermedia.co.kr", "Jane Doe jdoe@paper.com") or a wire
    /// credit ("With Post wires", "With wire services", "With files from The Canadian Press").
    /// News pages print it under the text and the page-dump gold keeps it; a contact line
    /// elsewhere in the trailer, or with a social handle ("@rokafor on X"), stays boilerplate.
    /// News pages: kept A 98.9 → 99.1 %, B 99.8 → 100 %; trailer dropped A/B unchanged.
    static func isSignOff(_ w: Words) -> Bool {
        guard w.count >= 1, size(w) <= 8, !endsLikeASentence(w.raw) else { return false }
        if w.list.first == "with", w.count <= 6 {
            return w.list.contains { ["wires", "wire", "files", "agencies", "reporting"].contains($0) }
        }
        let tokens = w.raw.split(separator: " ")
        let mails = tokens.filter { t in
            guard let at = t.firstIndex(of: "@"), at != t.startIndex else { return false }
            return t[at...].contains(".")
        }
        return mails.count == 1 && !tokens.contains { $0.hasPrefix("@") } && !w.list.contains("on")
    }
}
