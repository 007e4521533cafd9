/// The token-based forms: RFC 822/1123/2822 (`Thu, 01 Jan 2004 19:48:21 GMT`), asctime
/// (`Sun Jan  4 16:29:06 2004`, `Sun Jul 15 01:16:00 +0000 2012`), swapped month and day
/// (`Thu Aug 30 2012 17:26:16 +0200`), perforce (`Fri, 2006/09/15 08:19:53 EDT`), Greek
/// (`Κυρ, 11 Ιούλ 2004 12:00:00 EST`) and Korean onblog (`2004년 05월 28일 01:31:15`).
///
/// Tokens are separated by white space and commas and classified by shape, so word order may
/// vary the way real feeds vary it; but every token must be understood, and day, month and
/// year must all be present, so prose or garbage gives `nil`. Two-digit years follow
/// feedparser (below 90 → 20YY, else 19YY). A missing time is midnight, a missing zone UTC
/// (Korean forms: Korean time), an unknown alphabetic zone after the time UTC, as feedparser does.
package enum TextDateSyntax {
    private struct State {
        var f = DateFields()
        var day: Int?
        var month: Int?
        var year: Int?
        var yearDigits = 0
        var hasTime = false
        var offset: Int?
        var weekdaySeen = false
        var meridiem: Bool?
        var korean = false
    }

    package static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> DateFields? {
        var s = State()
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if ASCIIBytes.isSpace(b) || b == UInt8(ascii: ",") {
                i += 1
                continue
            }
            if b == UInt8(ascii: "(") {
                // RFC 2822 comment, as in "-0800 (PST)": it restates the zone, skip it.
                while i < n, bytes[i] != UInt8(ascii: ")") { i += 1 }
                i += 1
                continue
            }
            var j = i
            while j < n, !ASCIIBytes.isSpace(bytes[j]), bytes[j] != UInt8(ascii: ",") { j += 1 }
            guard token(bytes, i, j, &s) else { return nil }
            i = j
        }
        guard let day = s.day, let month = s.month, var year = s.year else { return nil }
        if s.yearDigits <= 2 { year += year < 90 ? 2000 : 1900 }
        s.f.year = year
        s.f.month = month
        s.f.day = day
        if let pm = s.meridiem {
            guard s.hasTime, s.f.applyMeridiem(pm: pm) else { return nil }
        }
        s.f.offsetMinutes = s.offset ?? (s.korean ? DateNames.koreanOffset : 0)
        return s.f
    }

    private static func token(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ s: inout State) -> Bool {
        let first = bytes[start]
        var c = DateCursor(bytes, from: start, to: end)
        if ASCIIBytes.isDigit(first) {
            return numeric(&c, &s)
        }
        if first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            guard s.offset == nil, let o = c.numericOffset(), c.atEnd else { return false }
            s.offset = o
            return true
        }
        guard ASCIIBytes.isWordByte(first) else { return false }
        var word = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if word.count > 1, word[word.count - 1] == UInt8(ascii: ".") {
            word = UnsafeBufferPointer(rebasing: word[0..<(word.count - 1)])
        }
        if let marker = DateNames.meridiem(word) {
            guard s.meridiem == nil else { return false }
            s.meridiem = marker.pm
            if marker.korean { s.korean = true }
            return true
        }
        if s.month == nil, let m = DateNames.month(word) {
            s.month = m
            return true
        }
        if !s.weekdaySeen, !s.hasTime, DateNames.isWeekday(word) {
            s.weekdaySeen = true
            return true
        }
        guard s.offset == nil else { return false }
        if let o = DateNames.zoneOffset(word) {
            s.offset = o
            return true
        }
        // feedparser reads an unknown zone name after the time as UTC; only a short word qualifies.
        guard s.hasTime, word.count <= 5, word.allSatisfy(ASCIIBytes.isASCIILetter) else { return false }
        s.offset = 0
        return true
    }

    private static func numeric(_ c: inout DateCursor, _ s: inout State) -> Bool {
        let run = c.digitRun
        let after = c.index + run < c.end ? c.bytes[c.index + run] : nil
        switch after {
        case nil:
            let v = c.number(run)
            if run >= 3 {
                guard s.year == nil, run <= 4 else { return false }
                s.year = v
                s.yearDigits = run
            } else if s.day == nil {
                s.day = v
            } else if s.year == nil {
                s.year = v
                s.yearDigits = run
            } else {
                return false
            }
            return true
        case UInt8(ascii: ":"):
            guard !s.hasTime, c.colonTime(into: &s.f) else { return false }
            s.hasTime = true
            if c.atEnd { return true }
            // A zone glued to the time: `19:48:21Z`, `19:48:21+0100`.
            guard s.offset == nil else { return false }
            let rest = UnsafeBufferPointer(rebasing: c.bytes[c.index..<c.end])
            if let p = c.peek, p == UInt8(ascii: "+") || p == UInt8(ascii: "-") {
                guard let o = c.numericOffset(), c.atEnd else { return false }
                s.offset = o
            } else {
                guard let o = DateNames.zoneOffset(rest) else { return false }
                s.offset = o
            }
            return true
        case UInt8(ascii: "/"):
            // perforce: YYYY/MM/DD.
            guard run == 4, s.year == nil, s.day == nil, s.month == nil else { return false }
            s.year = c.number(4)
            s.yearDigits = 4
            guard c.skip(UInt8(ascii: "/")), let m = c.number(upTo: 2), c.skip(UInt8(ascii: "/")),
                  let d = c.number(upTo: 2), c.atEnd else { return false }
            s.month = m
            s.day = d
            return true
        case UInt8(ascii: "."):
            // A day written `16.`.
            if run <= 2, c.index + run + 1 == c.end, s.day == nil {
                s.day = c.number(run)
                return true
            }
            // A time written `18.02` after the date, as British papers do ("Mon 15 Jul 2024 18.02 BST").
            guard run <= 2, c.index + run + 3 == c.end, s.day != nil, s.month != nil, !s.hasTime,
                  let h = c.number(upTo: 2), c.skip(UInt8(ascii: ".")), let m = c.number(upTo: 2), c.atEnd
            else { return false }
            s.f.hour = h
            s.f.minute = m
            s.f.second = 0
            s.hasTime = true
            return true
        default:
            // Korean: 2004년 05월 28일.
            let v = c.number(run)
            let suffix = UnsafeBufferPointer(rebasing: c.bytes[c.index..<c.end])
            s.korean = true
            if suffix.elementsEqual(DateNames.koreanYear), s.year == nil, run == 4 {
                s.year = v
                s.yearDigits = 4
            } else if suffix.elementsEqual(DateNames.koreanMonth), s.month == nil {
                s.month = v
            } else if suffix.elementsEqual(DateNames.koreanDay), s.day == nil {
                s.day = v
            } else {
                return false
            }
            return true
        }
    }
}
