/// The appeal signals of one paragraph.
struct AppealSignals {
    var imperative = false
    var linkWords = false
    var addressesReader = false
    /// "we", "our", "us": the publication speaking for itself, as a site's appeal does; an
    /// op-ed's own call ("So support the strikers. Give to the hardship fund if you can.") has
    /// only "you".
    var speaksForSite = false
    var moneyTerms = 0
    var telltale = false

    init(_ w: Words) {
        for (k, word) in w.list.enumerated() {
            let commanded = w.sentenceStarts.contains(k) || k > 0 && w.list[k - 1] == "please"
            if commanded, Self.callsToAction.contains(word) {
                // The verb itself ("Support …") is not also evidence of money talk.
                imperative = true
                continue
            }
            if Self.readerWords.contains(word) { addressesReader = true }
            if Self.siteWords.contains(word) { speaksForSite = true }
            if Self.isMoneyTerm(word) { moneyTerms += 1 }
        }
        linkWords = Self.linkPhrases.contains { w.has(padded: $0) }
        telltale = Self.telltales.contains { w.has(padded: $0) }
    }

    /// Starts with one of `moneyStems`; only the stems sharing the word's first byte are tried
    /// (20 `hasPrefix` calls on every word of every paragraph were a fifth of the parse).
    private static func isMoneyTerm(_ word: String) -> Bool {
        guard let first = word.utf8.first else { return false }
        for stem in stemsByFirstByte[Int(first)] where word.utf8.starts(with: stem) { return true }
        return false
    }

    /// Enough on its own to start trimming.
    var isAppeal: Bool {
        if telltale { return true }
        // "Sign up … our …": a command, a link and the site speaking, with no money word.
        if imperative && linkWords && speaksForSite { return true }
        guard moneyTerms >= 1 else { return false }
        return imperative && (speaksForSite || linkWords) || linkWords && speaksForSite
    }

    /// Appeal-flavoured enough to go along with a block that has already started.
    var isAppealLike: Bool {
        var score = 0
        if imperative { score += 1 }
        if linkWords { score += 1 }
        if addressesReader { score += 1 }
        if moneyTerms > 0 { score += 1 }
        return score >= 2
    }

    private static let callsToAction: Set<String> = [
        "support", "donate", "subscribe", "join", "become", "help", "click", "tap", "sign", "give", "contribute",
        "chip", "consider", "pledge", "register", "upgrade", "please", "log", "buy",
        "soutenez-nous", "abonnez-vous", "inscrivez-vous", "suscríbete", "hazte", "apoya", "unterstützen", "spenden",
        "abonnieren",
    ]

    static func isCallToAction(_ word: String) -> Bool { callsToAction.contains(word) }
    private static let siteWords: Set<String> = [
        "we", "we're", "we've", "our", "us", "nous", "notre", "nos", "nuestro", "nuestra", "nuestros", "uns", "unser",
        "unsere", "unseren",
    ]
    private static let readerWords: Set<String> = [
        "you", "your", "you're", "you've", "you'll", "yourself", "we", "we're", "our", "us",
        "vous", "votre", "vos", "notre", "nous", "tu", "nuestro", "nuestra", "te", "ihr", "ihre", "unser", "unsere", "uns",
    ]
    private static let stemsByFirstByte: [[[UInt8]]] = {
        var table = [[[UInt8]]](repeating: [], count: 256)
        for stem in moneyStems { table[Int(stem.utf8.first ?? 0)].append(Array(stem.utf8)) }
        return table
    }()
    private static let moneyStems: [String] = [
        "donat", "subscri", "contribut", "member", "support", "patron", "paypal", "fund", "generosity", "one-time",
        "monthly", "paywall", "pay", "dollar", "$", "recurring", "sustainer", "sustaining", "tax-deductible", "newsletter", "inbox", "premium", "sponsor",
        "abonn", "soutien", "soutenez", "suscri", "boletín", "apoyo", "spende", "unterstütz", "€",
    ]
    private static let linkPhrases = Words.padded([
        "click here", "tap here", "click below", "link below", "subscribe now", "donate now", "sign up for",
        "sign up here", "sign up now", "sign up below", "sign up today",
        "support us", "join us", "by check", "chip in", "chipped in", "pitch in",
    ])
    private static let telltales = Words.padded([
        "enjoy this piece", "enjoy this article", "enjoyed this article", "enjoyed this piece", "like this article",
        "liked this article", "make a small request", "readers like you", "thank you for reading",
        "thanks for reading", "before you go", "if you value", "if you appreciate our", "if you enjoyed this",
        "if you liked this", "support independent journalism", "support our journalism", "become a subscriber",
        "become a member", "click here to donate", "click here to subscribe", "make a contribution",
        "make a donation", "keep our journalism free", "since you're here", "small favour to ask",
        "small favor to ask", "subscribe to continue reading", "free articles", "already a subscriber",
        "unlimited digital access", "cancel anytime", "buy me a coffee", "upgrade to paid", "become a paid subscriber",
        "made possible by readers", "your support makes", "independent journalism needs", "become a patron",
        "jetzt spenden", "soutenez-nous", "hazte socio", "tu apoyo", "votre soutien", "ihre unterstützung",
        "unabhängigen journalismus", "journalisme indépendant", "periodismo independiente", "unterstützen sie",
        "like this story", "liked this story", "enjoyed this story", "share it with your friends",
        "support progressive journalism", "did you find this story useful", "a favor to ask", "a favour to ask",
        "takes less than a minute", "only takes a minute", "never miss a story", "in your inbox", "give monthly", "give once", "did you enjoy this", "coverage needs you", "needs your support",
        "cet article vous a plu", "hat ihnen dieser artikel gefallen", "te ha gustado este artículo",
    ])
}
