/// Month, weekday and zone names the date syntaxes recognise, in English and in the
/// localized forms feedparser supports (Greek, Hungarian, Korean).
package enum DateNames {
    /// Korea Standard Time, implied by the Korean date forms (onblog, nate).
    package static let koreanOffset = 9 * 60
    package static let koreanYear = Array("년".utf8)
    package static let koreanMonth = Array("월".utf8)
    package static let koreanDay = Array("일".utf8)
    package static let koreanAM = Array("오전".utf8)
    package static let koreanPM = Array("오후".utf8)

    private static let englishMonths: [[UInt8]] = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december",
    ].map { Array($0.utf8) }

    private static let englishWeekdays: [[UInt8]] = [
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    ].map { Array($0.utf8) }

    /// Exact spellings from feedparser's Greek and Hungarian tables (its `máujus` typo included).
    private static let otherMonths: [String: Int] = [
        "Ιαν": 1, "Φεβ": 2, "Μάώ": 3, "Μαώ": 3, "Μαρ": 3, "Απρ": 4, "Μάι": 5, "Μαϊ": 5, "Μαι": 5,
        "Ιούν": 6, "Ιον": 6, "Ιούλ": 7, "Ιολ": 7, "Αύγ": 8, "Αυγ": 8, "Σεπ": 9, "Οκτ": 10,
        "Νοέ": 11, "Νοε": 11, "Δεκ": 12,
        "január": 1, "február": 2, "februári": 2, "március": 3, "április": 4, "május": 5,
        "máujus": 5, "június": 6, "július": 7, "augusztus": 8, "szeptember": 9, "október": 10,
        "november": 11, "december": 12,
    ]

    private static let otherWeekdays: Set<String> = ["Κυρ", "Δευ", "Τρι", "Τετ", "Πεμ", "Παρ", "Σαβ"]

    /// Zone abbreviations → minutes east of UTC. Ambiguous ones take their most common meaning
    /// in English-language feeds (IST = India, BST = British Summer Time, AT = Atlantic).
    private static let zones: [UInt64: Int] = zoneNames.reduce(into: [:]) { table, entry in
        let key = Array(entry.key.utf8).withUnsafeBufferPointer { packed($0) }
        if let key { table[key] = entry.value }
    }

    private static let zoneNames: [String: Int] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0, "uct": 0, "wet": 0,
        "adt": -180, "ast": -240, "at": -240,
        "edt": -240, "est": -300, "et": -300,
        "cdt": -300, "cst": -360, "ct": -360,
        "mdt": -360, "mst": -420, "mt": -420,
        "pdt": -420, "pst": -480, "pt": -480,
        "akdt": -480, "akst": -540, "hdt": -540, "hst": -600,
        "nst": -210, "ndt": -150,
        "west": 60, "bst": 60, "met": 60, "cet": 60, "mez": 60,
        "mest": 120, "cest": 120, "mesz": 120, "eet": 120, "sast": 120,
        "eest": 180, "msk": 180, "ist": 330, "ict": 420, "wib": 420,
        "hkt": 480, "sgt": 480, "awst": 480, "pht": 480,
        "jst": 540, "kst": 540, "acst": 570, "acdt": 630, "aest": 600, "aedt": 660,
        "nzst": 720, "nzdt": 780,
    ]

    /// Month 1...12 from an English name or any prefix of one from three letters (`Sept`,
    /// `January`), or a Greek/Hungarian spelling.
    package static func month(_ word: UnsafeBufferPointer<UInt8>) -> Int? {
        if word.count >= 3, word.allSatisfy(ASCIIBytes.isASCIILetter) {
            for (k, name) in englishMonths.enumerated() where isPrefix(word, of: name) { return k + 1 }
        }
        // The only ASCII spellings in `otherMonths` are `november` and `december`, which the
        // English prefixes already read in any case: an ASCII word (the weekday, zone and
        // number tokens of every English date) needs no String and no table lookup.
        guard word.contains(where: { $0 >= 0x80 }) else { return nil }
        return otherMonths[String(decoding: word, as: UTF8.self)]
            ?? otherMonths[String(decoding: word, as: UTF8.self).lowercased()]
    }

    package static func isWeekday(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        if word.count >= 3, word.allSatisfy(ASCIIBytes.isASCIILetter) {
            return englishWeekdays.contains { isPrefix(word, of: $0) }
        }
        guard word.contains(where: { $0 >= 0x80 }) else { return false } // `otherWeekdays` are Greek
        return otherWeekdays.contains(String(decoding: word, as: UTF8.self))
    }

    /// `AM`/`PM` (also `a.m.`) and the Korean 오전/오후.
    package static func meridiem(_ word: UnsafeBufferPointer<UInt8>) -> (pm: Bool, korean: Bool)? {
        if word.count == 6 {
            if word.elementsEqual(koreanAM) { return (false, true) }
            if word.elementsEqual(koreanPM) { return (true, true) }
        }
        guard word.count >= 2, word.count <= 4 else { return nil }
        var first: UInt8 = 0
        var letters = 0
        var last: UInt8 = 0
        for b in word where b != UInt8(ascii: ".") {
            letters += 1
            if letters == 1 { first = ASCIIBytes.lower(b) }
            last = ASCIIBytes.lower(b)
        }
        guard letters == 2, last == UInt8(ascii: "m") else { return nil }
        switch first {
        case UInt8(ascii: "a"): return (false, false)
        case UInt8(ascii: "p"): return (true, false)
        default: return nil
        }
    }

    /// A zone word: a name from the table, an RFC 822 military letter, or a name with an
    /// offset glued on (`GMT+1`, `GMT-05:00`, `UTC+05:30`, `Etc/GMT`).
    package static func zoneOffset(_ word: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !word.isEmpty, word.count <= 16 else { return nil }
        var nameEnd = word.count
        for (k, b) in word.enumerated() where b == UInt8(ascii: "+") || b == UInt8(ascii: "-") {
            nameEnd = k
            break
        }
        var nameStart = 0
        if nameEnd > 4, packed(UnsafeBufferPointer(rebasing: word[0..<4])) == packed("etc/") { nameStart = 4 }
        let name = UnsafeBufferPointer(rebasing: word[nameStart..<nameEnd])
        let base: Int
        if let key = packed(name), let known = zones[key] {
            base = known
        } else if name.count == 1, let m = military(ASCIIBytes.lower(name[0])) {
            base = m
        } else {
            return nil
        }
        guard nameEnd < word.count else { return base }
        // Only the UTC names take a glued offset.
        guard base == 0, name.count > 1 else { return nil }
        var c = DateCursor(word, from: nameEnd)
        guard let o = c.numericOffset(), c.atEnd else { return nil }
        return o
    }

    /// Up to eight ASCII bytes, lowercased, packed into an integer: a zone lookup without
    /// allocating a `String` per token.
    private static func packed(_ word: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard !word.isEmpty, word.count <= 8 else { return nil }
        var v: UInt64 = 0
        for b in word {
            guard b < 0x80 else { return nil }
            v = v << 8 | UInt64(ASCIIBytes.lower(b))
        }
        return v
    }

    private static func packed(_ s: StaticString) -> UInt64? {
        s.withUTF8Buffer { packed($0) }
    }

    /// RFC 822 §5 military zones as the RFC writes them (A = -1 … M = -12, N = +1 … Y = +12,
    /// J unused), which is also what feedparser does.
    private static func military(_ b: UInt8) -> Int? {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "i"): return -Int(b - UInt8(ascii: "a") + 1) * 60
        case UInt8(ascii: "k")...UInt8(ascii: "m"): return -Int(b - UInt8(ascii: "k") + 10) * 60
        case UInt8(ascii: "n")...UInt8(ascii: "y"): return Int(b - UInt8(ascii: "n") + 1) * 60
        case UInt8(ascii: "z"): return 0
        default: return nil
        }
    }

    private static func isPrefix(_ word: UnsafeBufferPointer<UInt8>, of name: [UInt8]) -> Bool {
        guard word.count <= name.count else { return false }
        for (k, b) in word.enumerated() where ASCIIBytes.lower(b) != name[k] { return false }
        return true
    }
}
