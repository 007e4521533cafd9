/// Decides which paragraphs of an article are not the article: donation, subscription and
/// paywall appeals (English, French, German, Spanish), newsletter prompts, share lists,
/// "related stories" lists, comment counters and prompts, copyright and licence lines, logo
/// captions and photo credits, republication notes, wire and contributor credits, author bios,
/// "Advertisement" and reading-time markers, and the short slogans that trail an appeal.
///
/// Rules, not a list of known sentences: a paragraph is an appeal by a combination of
/// signals — an imperative call to action at a sentence start ("Support…", "Click here…",
/// "Join…"), words that address the reader ("you", "our"), money and subscription vocabulary,
/// link words ("click here") — or by one of the few phrases that only appeals use ("readers
/// like you", "make a small request"). One signal alone ("donate" in a news sentence) is not
/// enough. At the tail, trimming starts only at a strong signal and then takes everything
/// after it that is weak-appeal, boilerplate or short, so a real closing paragraph is kept.
/// Context vetoes a match: a quotation with its speaker ("“Please donate,” she said.") is the
/// story, an appeal speaks for the site ("we", "our") or links, and a bio counts only for the
/// byline's own name, with contact details or with a current newsroom title.
enum BoilerplateClassifier {
    struct Verdict {
        /// Starts a removable block on its own (a clear appeal or a structural boilerplate kind).
        var strong: Bool
        /// May follow a strong block and go with it (appeal-ish, short slogan, tagline).
        var removableAfterBlock: Bool
    }

    /// Why a paragraph left the text, for `feedwatch parse --explain`.
    enum Rule: Sendable, Equatable, CustomStringConvertible {
        /// "Advertisement", "5 min read", "Listen to this article": page chrome by its words.
        case pageChrome
        /// Before the article's first prose paragraph, in a head heavy with chrome.
        case beforeArticle(ArticleShape.Kind)
        /// After the article's last prose paragraph, in a trailer of chrome or sections.
        case afterArticle(ArticleShape.Kind)
        /// A boilerplate or appeal block at the end (started by a strong paragraph).
        case tailBlock(strong: Bool)
        /// The site's pitch or a lead-in right before a tail block.
        case leadIn
        /// Structural boilerplate or an appeal before the first real paragraph.
        case headBoilerplate

        var description: String {
            switch self {
            case .pageChrome: "page chrome (advertisement, reading time, listen/share/save buttons)"
            case let .beforeArticle(k): "before the article: \(k.name)"
            case let .afterArticle(k): "after the article: \(k.name)"
            case .tailBlock(true): "closing boilerplate: appeal, prompt, credit, bio or link list"
            case .tailBlock(false): "closing boilerplate: short line or slogan inside a closing block"
            case .leadIn: "closing boilerplate: the site's pitch or a lead-in to the closing block"
            case .headBoilerplate: "opening boilerplate: appeal, prompt, credit or share list"
            }
        }
    }

    struct Removal: Sendable {
        var index: Int
        var rule: Rule
    }

    /// The body paragraphs to keep, in order. `author` (the byline) tells an author bio from a
    /// closing paragraph about someone else. `removals`, when given, is filled with the index
    /// (into `paragraphs`) and rule of every paragraph that goes.
    static func trim(_ paragraphs: [String], author: String? = nil, removals: inout [Removal]?) -> [String] {
        // Each paragraph is split into words once, for the marker test and the verdict.
        var index: [Int] = []
        var words: [Words] = []
        for (i, p) in paragraphs.enumerated() {
            let w = Words(p)
            if isAdvertisementMarker(w) {
                removals?.append(Removal(index: i, rule: .pageChrome))
            } else {
                index.append(i)
                words.append(w)
            }
        }
        guard !words.isEmpty else { return [] }
        let authorWords = Set((author ?? "").lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init))
        var verdicts = words.map { classify($0, authorWords: authorWords) }

        // A whole page: the head and trailer around the article go by their shape first.
        var lo = 0, hi = words.count
        var trailerOpensWithBlock = false
        // Trailer paragraphs that stay: the article's sign-off and its note of where it first ran.
        var closing: [String] = []
        // Appeals inside a field box before the article (positions after slicing).
        var boxAppeals: Set<Int> = []
        let shape = ArticleShape(words, verdicts: verdicts)
        if let span = shape.span {
            if shape.isHeavy(span.upperBound + 1..<words.count) {
                for k in (span.upperBound + 1)..<words.count {
                    if ArticleShape.isClosingProvenance(words[k], strong: verdicts[k].strong)
                        || k == span.upperBound + 1 && ArticleShape.isSignOff(words[k]) {
                        closing.append(words[k].raw)
                        continue
                    }
                    removals?.append(Removal(index: index[k], rule: .afterArticle(shape.kinds[k])))
                }
                hi = span.upperBound + 1
                trailerOpensWithBlock = verdicts[hi].strong
            }
            let start = ArticleShape.fieldBoxStart(words, kinds: shape.kinds, strong: verdicts.map(\.strong),
                                                   before: span.lowerBound)
            if shape.isHeavy(0..<start) {
                for k in 0..<start { removals?.append(Removal(index: index[k], rule: .beforeArticle(shape.kinds[k]))) }
                lo = start
                for k in start..<span.lowerBound where verdicts[k].strong { boxAppeals.insert(k - lo) }
            }
        }
        words = Array(words[lo..<hi])
        verdicts = Array(verdicts[lo..<hi])
        index = Array(index[lo..<hi])
        guard !words.isEmpty else { return closing }

        // Tail: the earliest strong paragraph after which everything is removable.
        var cut = words.count
        var i = words.count - 1
        while i >= 1 {
            guard verdicts[i].strong || verdicts[i].removableAfterBlock else { break }
            if verdicts[i].strong { cut = i }
            i -= 1
        }
        for k in cut..<words.count { removals?.append(Removal(index: index[k], rule: .tailBlock(strong: verdicts[k].strong))) }
        // The site's own pitch right before the block ("We aren't owned by a hedge fund … we answer
        // only to our readers") and a short lead-in that runs on into it ("One more thing…") go too.
        // The same before a trailer the shape removed when it opens with such a block.
        // A provenance note ("This article was produced by …") right before such a block is
        // the site's closing, not the article's last line.
        while cut < words.count || trailerOpensWithBlock, cut >= 2,
              isSitePitch(words[cut - 1]) || isLeadIn(words[cut - 1]) || isProvenanceNote(words[cut - 1]) {
            cut -= 1
            removals?.append(Removal(index: index[cut], rule: .leadIn))
        }

        // Head: structural boilerplate and clear appeals before the first real paragraph.
        var head = 0
        while head < cut - 1, verdicts[head].strong {
            removals?.append(Removal(index: index[head], rule: .headBoilerplate))
            head += 1
        }
        for k in boxAppeals.sorted() where k >= head && k < cut {
            removals?.append(Removal(index: index[k], rule: .headBoilerplate))
        }
        return words[head..<cut].indices.filter { !boxAppeals.contains($0) }.map { words[$0].raw } + closing
    }

    static func classify(_ w: Words, authorWords: Set<String> = []) -> Verdict {
        // A quotation with its speaker is the story, whatever it says ("“Please donate,” she said.").
        if isQuotedSpeech(w) { return Verdict(strong: false, removableAfterBlock: false) }
        let s = AppealSignals(w)
        if isStructural(w, signals: s) || isAuthorBio(w, authorWords: authorWords) {
            return Verdict(strong: true, removableAfterBlock: true)
        }
        // Short enough to be a slogan or a button ("Demand honest news. Wanting it isn't enough.",
        // "Keep the truth in the headlines — join Raw Story today."), or a run of headlines or tags
        // with no sentence end: either goes with a block that has already started.
        let short = w.count <= 15 || w.count <= 40 && !endsLikeASentence(w.raw)
        return Verdict(strong: s.isAppeal, removableAfterBlock: s.isAppealLike || short)
    }

    /// A quotation with its speaker: opening with a quote mark and a speech verb somewhere, or
    /// a quote introduced by one ("Its front page read: “Support our journalism.”").
    static func isQuotedSpeech(_ w: Words) -> Bool {
        guard let first = w.raw.unicodeScalars.first else { return false }
        if quoteMarks.contains(first) { return w.list.contains { speechVerbs.contains($0) } }
        guard w.hasDoubleQuote, let open = w.raw.firstIndex(where: { $0 == "\u{201C}" || $0 == "\"" }) else { return false }
        // A quote and its speaker anywhere ("… she told the crowd. “So chip in …”"), or a quote
        // introduced as written text ("Its front page read: “Support our journalism.”").
        if w.list.contains(where: { speechVerbs.contains($0) }) { return true }
        return Words(String(w.raw[..<open])).list.suffix(3).contains { $0 == "read" || $0 == "reads" }
    }

    static func endsLikeASentence(_ raw: String) -> Bool {
        guard let last = raw.unicodeScalars.last else { return false }
        return ".!?\"'”’)…:".unicodeScalars.contains(last)
    }

    /// "Jane Doe is a senior writer at AlterNet.", "Jonah Whitfield covers transportation for …": a
    /// name (up to four capitalized words), then "is a/an" and a newsroom role, or "covers/writes/
    /// reports". Only the byline's own name, contact details ("Reach him at …") or a current title
    /// at an outlet make it a bio: "Garcia is a former reporter …" closing a profile is the story.
    static func isAuthorBio(_ w: Words, authorWords: Set<String>) -> Bool {
        guard w.count <= 40 else { return false }
        let raw = w.raw.split(separator: " ", maxSplits: 12)
        guard let verbAt = raw.prefix(6).firstIndex(where: { $0 == "is" || bioVerbs.contains($0) }), verbAt >= 1,
              raw[..<verbAt].allSatisfy({ $0.first?.isUppercase == true })
        else { return false }
        let isA = raw[verbAt] == "is"
        if isA {
            guard verbAt + 1 < raw.count, raw[verbAt + 1] == "a" || raw[verbAt + 1] == "an",
                  raw[(verbAt + 2)...].prefix(5).contains(where: { bioRoles.contains(String($0.lowercased().filter(\.isLetter))) })
            else { return false }
        }
        let name = raw[..<verbAt].map { String($0.lowercased().filter(\.isLetter)) }
        let contact = w.raw.contains("@") || bioContacts.contains { w.has(padded: $0) }
        // A current newsroom title at a named outlet ("is a contributing writer at The Nation")
        // reads as a bio on its own; "is a former reporter for …" is a profile.
        let title = isA && raw.contains("at") && !raw.contains("former") && !raw.contains("retired")
        return contact || title || name.contains(where: { authorWords.contains($0) })
    }

    /// "Grist is a nonprofit, independent media organization …": the publisher describing itself
    /// (a name, "is a/an", a nonprofit or independent kind, a newsroom word, all early on).
    static func isPublisherBlurb(_ w: Words) -> Bool {
        guard w.count <= 60, let isAt = w.list.prefix(5).firstIndex(of: "is"), isAt >= 1, isAt + 1 < w.count,
              w.list[isAt + 1] == "a" || w.list[isAt + 1] == "an" else { return false }
        let next = w.list[(isAt + 2)...].prefix(8)
        return next.contains(where: { publisherKinds.contains($0) }) && next.contains(where: { newsroomWords.contains($0) })
    }

    /// The site talking about itself ("our readers", "our journalism", "owned by") and money, not
    /// a quotation. An op-ed's "we" ("We support the state attorneys general …") is not enough.
    static func isSitePitch(_ w: Words) -> Bool {
        guard w.count <= 80, !isQuotedSpeech(w), sitePhrases.contains(where: { w.has(padded: $0) }) else { return false }
        return AppealSignals(w).moneyTerms >= 1
    }

    /// "This article was originally published by …", "Reprinted with …": where the story ran
    /// first, in a short paragraph.
    static func isProvenanceNote(_ w: Words) -> Bool {
        w.count <= 40 && w.startsWith(republishOpeners) && republishWords.contains(where: { w.list.contains($0) })
    }

    /// A paragraph of a few words that ends in an ellipsis or a colon: it runs on into the
    /// next one, so it opens the block that follows ("Since you're here …").
    static func isLeadIn(_ w: Words) -> Bool {
        guard w.count <= 8 else { return false }
        if w.raw.hasSuffix("…") || w.raw.hasSuffix("...") || w.raw.hasSuffix(":") { return true }
        // "We need your help.", "Can you help us out?"
        return AppealSignals(w).speaksForSite && (w.list.contains("help") || w.list.contains("support"))
    }

    /// Share lists, related-links lists, comment counters, copyright lines, logo captions,
    /// photo credits, republication notes, newsletter prompts.
    static func isStructural(_ w: Words, signals: AppealSignals) -> Bool {
        guard let first = w.list.first, !isEmbedSignature(w) else { return false }
        let n = w.count
        // Share widgets: "Share this: Facebook Twitter Email", or a bare list of networks.
        let networks = w.list.filter { socialNetworks.contains($0) }.count
        if shareWords.contains(first), n <= 16, n == 1 || shareSeconds.contains(w.list[1]) || networks >= 2 { return true }
        // A lone button: "Donate Now", "Become a patron", "Subscribe to The National Mirror".
        if n <= 6, AppealSignals.isCallToAction(first), !endsLikeASentence(w.raw) { return true }
        // "— Associated Press", "About the author: …".
        if n <= 5, w.raw.hasPrefix("\u{2014}") || w.raw.hasPrefix("-") { return true }
        if n <= 60, w.startsWith(aboutAuthorOpeners) { return true }
        // Wire credits "(Reporting by …; Editing by …)", "Our Standards: …".
        if n <= 40, w.raw.hasPrefix("("), w.has("reporting by") || w.has("editing by") || w.has("writing by") { return true }
        if n <= 12, w.startsWith(standardsOpeners) { return true }
        // Licence and republication terms: "licensed under Creative Commons", "Republish this story".
        if n <= 60, licenceTerms.contains(where: { w.has(padded: $0) }) { return true }
        // Editor's notes and top-photo captions framing the story.
        if n <= 60, w.startsWith(editorsNoteOpeners) { return true }
        if n <= 30, w.startsWith(captionOpeners) { return true }
        if n <= 30, w.raw.hasSuffix(")"), w.has("photo") || w.has("credit") || w.has("getty images") { return true }
        // A contact line: "Ryan Okafor ryan.okafor@theintercept.com @rokafor on X".
        if n <= 12, w.raw.contains("@"), !endsLikeASentence(w.raw) { return true }
        // Tip lines: "Do you have information …? Contact Lena at lena@example.org."
        if n <= 50, w.raw.contains("@"), signals.addressesReader,
           tipVerbs.contains(where: { w.list.contains($0) }) {
            return true
        }
        if networks >= 2, networks * 2 >= n { return true }
        // "Related stories: …", "Read more", "More from …": link lists, which end without a period.
        if w.startsWith(relatedOpeners), n <= 60, !w.raw.hasSuffix(".") || w.raw.hasSuffix("...") { return true }
        // A bare link prompt: "Click here for the latest updates".
        if n <= 12, w.startsWith(linkOpeners), !w.raw.hasSuffix(".") { return true }
        // Comment counters and prompts: "12 comments", "Leave a comment", "Join the conversation".
        if n <= 4, w.list.contains(where: { $0 == "comments" || $0 == "responses" || $0 == "replies" })
            || w.list.contains("comment") && commentVerbs.contains(first) {
            return true
        }
        if n <= 16, w.list.contains("comment") || w.list.contains("comments") || w.list.contains("commenting")
            || w.has("join the conversation"),
           commentPrompts.contains(where: { w.has(padded: $0) }) {
            return true
        }
        // Contributor credits: "Dana Kerr in Phoenix contributed to this report."
        if n <= 30, contributorCredits.contains(where: { w.has(padded: $0) }) { return true }
        if w.raw.hasPrefix("©") || first == "copyright" || w.has("all rights reserved"), n <= 30 { return true }
        if n <= 5, w.list.contains("logo") { return true }
        // Photo credits: "Photo by Jane Doe/Getty Images", "Image: Reuters".
        if n <= 14, creditOpeners.contains(first), n == 1 || creditSeconds.contains(w.list[1]) || w.raw.contains(":") {
            return true
        }
        if n <= 10, creditAgencies.contains(where: { w.has(padded: $0) }) { return true }
        // "Tags: science, oceans", "Filed under: Politics": the article's labels, not its text.
        if n <= 30, tagOpeners.contains(first), !w.raw.hasSuffix("."),
           let colon = w.raw.firstIndex(of: ":"), w.raw.distance(from: w.raw.startIndex, to: colon) <= 12 {
            return true
        }
        // Licence and permission terms of a republished story: "This story was first published
        // by … under a Creative Commons BY-ND 4.0 license", "… republished here with permission."
        // A bare provenance note ("This article was originally published by Futurism.", "This
        // article was reprinted on Wired.com.") is the article's own last line on news pages (the
        // page-dump gold keeps it, both halves): it only goes with a closing block around it.
        if isProvenanceNote(w), licenceWords.contains(where: { w.list.contains($0) }) {
            return true
        }
        // Cookie notices.
        if w.list.contains("cookies"), n <= 60, w.list.contains(where: { $0 == "agree" || $0 == "consent" || $0 == "accept" }) {
            return true
        }
        // Newsletter prompts speak to the reader or stand as a bare line; "Officials urged
        // residents to sign up for the alerts newsletter." is news.
        if w.list.contains("newsletter") || w.list.contains("newsletters") || w.list.contains("boletín")
            || w.has("lettre d'information"), n <= 40,
           newsletterVerbs.contains(where: { w.list.contains($0) }) || w.has("sign up") || w.has("don't miss") {
            if signals.imperative || signals.addressesReader || !w.raw.hasSuffix(".") { return true }
        }
        // "Follow Raw Story on Twitter", and "Follow her on Twitter @janedoe." anywhere in a short paragraph.
        if networks >= 1, first == "follow" && n <= 12 || n <= 30 && w.list.indices.dropLast().contains(where: {
            w.list[$0] == "follow" && followed.contains(w.list[$0 + 1])
        }) {
            return true
        }
        if isPublisherBlurb(w) { return true }
        return false
    }

    /// The signature line of an embedded post, as a page's text renders a quoted tweet or toot:
    /// "— Cooper Lund (@cooperlund) November 18, 2019". It closes a quotation inside the
    /// article (a dash, a handle in parentheses, a year at the end), so it is neither a credit
    /// nor a contact line, and it is the article's last line when the story ends on the post.
    static func isEmbedSignature(_ w: Words) -> Bool {
        guard w.count <= 14, w.raw.hasPrefix("\u{2014}") || w.raw.hasPrefix("-") || w.raw.hasPrefix("\u{2013}"),
              w.raw.contains("(@"), let year = w.list.last, year.count == 4, year.hasPrefix("19") || year.hasPrefix("20"),
              year.allSatisfy(\.isNumber)
        else { return false }
        return true
    }

    /// A stray "Advertisement" line inside a paragraph; cheap length test first, since every
    /// line of a text article passes through here.
    static func isAdvertisementLine(_ line: ArraySlice<UInt8>) -> Bool {
        line.count <= 48 && isAdvertisementMarker(Words(String(decoding: line, as: UTF8.self)))
    }

    /// "Advertisement" and the other lines of page chrome that survive a copy: "5 min read",
    /// "Listen to this article".
    static func isAdvertisementMarker(_ w: Words) -> Bool {
        // "This article is more than 9 months old".
        if w.count <= 9, w.list.last == "old", w.startsWith(articleAgeOpeners) {
            return true
        }
        guard w.count <= 7 else { return false }
        if adMarkers.contains(w.joined) { return true }
        // Navigation around ads and the page's flow, however a site words it: "Skip
        // advertisement", "Story continues below advertisement", "Continue reading the main
        // story", "Scroll to continue with content", "Skip to content", "Ad feedback".
        if let first = w.list.first, !w.raw.hasSuffix("."),
           flowVerbs.contains(first) || w.list.contains("continues"), w.list.contains(where: flowObjects.contains) {
            return true
        }
        if w.count <= 3, w.list.contains("ad") || w.list.contains("advertisement") { return true }
        // The same with a duration: "Listen to this story · 4:12", "Listen to this article · 4 min".
        let words = w.list.filter { !$0.allSatisfy(\.isNumber) }
        if words.count < w.count, adMarkers.contains(words.filter { !readingUnits.contains($0) }.joined(separator: " ")) {
            return true
        }
        // Reading time: "5 min read", "Reading time: 4 minutes", "Temps de lecture : 3 min", "Lesezeit: 3 Minuten".
        // Every other word from that small vocabulary: "He read for 20 minutes" is prose.
        return words.count <= 4 && words.count < w.count
            && words.contains(where: { readingUnits.contains($0) })
            && words.contains(where: { readingWords.contains($0) })
            && words.allSatisfy { readingUnits.contains($0) || readingWords.contains($0) || readingFillers.contains($0) }
    }

    /// A share bar's or a toolbar's lone button: "Reddit", "Email", "Tweet", "Save", "More".
    static func isShareBarWord(_ w: Words) -> Bool {
        w.count == 1 && (socialNetworks.contains(w.list[0]) || shareWords.contains(w.list[0])
            || ["save", "more", "bookmark", "pin", "comment", "comments"].contains(w.list[0]))
    }

    private static let socialNetworks: Set<String> = [
        "facebook", "twitter", "tweet", "x", "email", "e-mail", "linkedin", "reddit", "whatsapp", "pinterest", "print",
        "tumblr", "telegram", "pocket", "mastodon", "bluesky", "threads", "messenger", "flipboard", "copy", "link",
        "sms", "mail",
    ]

    private static let shareWords: Set<String> = ["share", "comparte", "compartir", "partager", "partagez", "teilen"]
    private static let licenceTerms = Words.padded([
        "licensed under creative commons", "licensed under a creative commons", "under a creative commons license", "republish this story",
        "feel free to republish", "may be republished", "republished from", "own shares in",
    ])
    private static let aboutAuthorOpeners: [[String]] = [["about", "the", "author"], ["about", "the", "authors"]]
    private static let standardsOpeners: [[String]] = [["our", "standards"]]
    // U+2019 is folded to "'" by `Words`, so "Editor’s" is "editor's" too.
    private static let editorsNoteOpeners: [[String]] = [["editor's", "note"], ["editors", "note"]]
    private static let articleAgeOpeners: [[String]] = [["this", "article", "is", "more", "than"], ["this", "story", "is", "more", "than"]]
    private static let captionOpeners: [[String]] = [
        ["top", "photo"], ["main", "photo"], ["lead", "photo"], ["top", "image"], ["header", "image"],
        ["featured", "image"], ["main", "image"], ["foto"],
    ]
    private static let tipVerbs: Set<String> = ["contact", "email", "e-mail", "reach", "tips", "tip", "signal"]
    private static let shareSeconds: Set<String> = ["this", "on", "via", "article", "story", "post", "page"]
    private static let commentVerbs: Set<String> = ["leave", "add", "post", "write", "view", "show", "hide"]
    private static let commentPrompts = Words.padded([
        "leave a comment", "post a comment", "add a comment", "join the conversation", "sign in to comment",
        "log in to comment", "view comments", "show comments", "comments are closed", "commenting forum",
    ])
    private static let contributorCredits = Words.padded([
        "contributed to this report", "contributed to this story", "contributed reporting", "additional reporting by",
    ])

    private static let relatedOpeners: [[String]] = [
        ["related"], ["read", "more"], ["more", "from"], ["you", "may", "also", "like"], ["you", "might", "also", "like"],
        ["recommended"], ["more", "stories"], ["also", "read"], ["see", "also"], ["read", "next"], ["most", "read"],
        ["trending"], ["more", "on", "this", "story"], ["further", "reading"],
        ["explore", "more"], ["related", "coverage"], ["filed", "under"], ["more", "on", "these", "topics"],
        ["read", "the", "original"], ["mehr", "zum", "thema"], ["lesen", "sie", "auch"], ["auch", "interessant"], ["lire", "aussi"], ["à", "lire", "aussi"],
        ["sur", "le", "même", "sujet"], ["lee", "también"], ["te", "puede", "interesar"], ["más", "información"],
    ]

    private static let creditOpeners: Set<String> = [
        "photo", "photos", "photograph", "image", "images", "picture", "illustration", "video", "credit", "credits",
    ]
    private static let linkOpeners: [[String]] = [["click", "here"], ["tap", "here"], ["click", "to"], ["tap", "to"]]
    private static let tagOpeners: Set<String> = ["tags", "tagged", "keywords", "topics", "categories", "filed"]
    private static let creditSeconds: Set<String> = ["by", "credit", "courtesy", "via"]
    private static let quoteMarks: Set<Unicode.Scalar> = ["\u{201C}", "\"", "\u{00AB}", "\u{201E}", "\u{2018}", "'"]
    private static let speechVerbs: Set<String> = [
        "said", "says", "told", "tells", "added", "asked", "asks", "wrote", "writes", "explained", "recalled",
        "a-t-il", "a-t-elle", "dit", "sagte", "sagt", "dijo", "afirmó",
    ]
    private static let bioVerbs: Set<Substring> = ["covers", "writes", "reports"]
    private static let bioContacts = Words.padded([
        "reach him", "reach her", "reach them", "email him", "email her", "contact him", "contact her",
        "follow him", "follow her", "follow them",
    ])
    private static let creditAgencies = Words.padded([
        "getty images", "ap photo", "afp via getty images", "shutterstock", "reuters photo", "epa-efe", "alamy",
    ])
    private static let republishOpeners: [[String]] = [
        ["this", "article"], ["this", "story"], ["this", "piece"], ["this", "post"], ["this", "essay"],
        ["a", "version", "of", "this"], ["originally", "published"], ["republished"], ["reprinted"],
    ]
    private static let licenceWords: Set<String> = [
        "license", "licence", "licensed", "permission", "commons", "partnership", "syndication", "copyright",
    ]
    private static let republishWords: Set<String> = [
        "published", "appeared", "republished", "reprinted", "reproduced", "produced", "syndicated", "distributed",
    ]
    private static let sitePhrases = Words.padded([
        "our readers", "our reporting", "our journalism", "our newsroom", "our work", "our coverage", "our reporters",
        "our mission", "our future", "readers like you", "independent journalism", "independent media",
        "reader-supported", "owned by",
    ])
    private static let publisherKinds: Set<String> = [
        "nonprofit", "non-profit", "independent", "reader-supported", "reader-funded", "member-supported", "not-for-profit",
    ]
    private static let newsroomWords: Set<String> = [
        "newsroom", "news", "media", "journalism", "publication", "magazine", "outlet", "newspaper",
    ]
    private static let followed: Set<String> = ["us", "me", "him", "her", "them"]
    private static let newsletterVerbs: Set<String> = [
        "subscribe", "inbox", "get", "receive", "delivered", "join", "abonnez-vous", "inscrivez-vous", "recevoir",
        "recevez", "suscríbete", "recibe", "abonnieren", "anmelden", "erhalten",
    ]
    private static let bioRoles: Set<String> = [
        "writer", "reporter", "journalist", "correspondent", "editor", "columnist", "contributor", "blogger",
        "contributing", "freelance", "staff", "fellow",
    ]

    private static let flowVerbs: Set<String> = ["continue", "skip", "scroll", "jump"]
    private static let flowObjects: Set<String> = ["advertisement", "ad", "ads", "reading", "story", "content", "article", "below"]

    private static let readingUnits: Set<String> = ["min", "mins", "minute", "minutes", "minuten", "minutos", "minuti"]
    private static let readingWords: Set<String> = ["read", "reading", "lecture", "lesezeit", "lectura", "lettura"]
    private static let readingFillers: Set<String> = ["time", "temps", "de", "tiempo", "di", "estimated"]

    private static let adMarkers: Set<String> = [
        "advertisement", "advertisements", "ad", "sponsored", "sponsored content",
        "listen to this article", "listen to this story", "listen to article", "share this article", "print this article",
        "email this article", "gift this article", "save article", "save for later",
    ]
}
