/// ISO 8601 / RFC 3339 / W3C-DTF and their broken relatives, recognised strictly: the whole
/// string must match or the result is `nil` (then `TextDateSyntax` gets its turn).
///
/// Accepted dates: `YYYY-MM-DD`, `YYYY-M-D`, `YYYY-MM`, `YYYY`, `YYYYMMDD`, `YYYY-OOO`,
/// `YYYYOOO` (ordinal), `YY-MM-DD`, `YYMMDD`, `YY-OOO`, `YYOOO`, `-YYMM`, `-YY-MM`, Google's
/// `YYYY-0MM-DD`, and a month name in place of the month (`2004-július-13`). Two-digit years
/// are 20YY. A time follows after `T` or spaces (`HH:MM[:SS[.f]]`, `HHMM[SS]`, `HH`), then an
/// optional zone (`Z`, `±HH[:MM]`, `±HHMM`, a zone name), or the Korean `오전`/`오후` marker
/// before the time (nate.com), which also implies Korean time.
///
/// Forms that need the current year (`--MM-DD`, `-OOO`) are refused: the parser has no clock.
/// Five digits are `YYOOO` (`03335` is 2003-12-01), never a five-digit year.
package enum ISODateSyntax {
    package static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> DateFields? {
        var c = DateCursor(bytes)
        var f = DateFields()
        guard date(&c, &f) else { return nil }
        if c.atEnd { return f }

        var defaultOffset = 0
        var meridiem: Bool?
        if c.skip(UInt8(ascii: "T")) || c.skip(UInt8(ascii: "t")) {
            // RFC 3339 separator.
        } else if let p = c.peek, ASCIIBytes.isSpace(p) {
            c.skipSpaces()
            if let pm = koreanMeridiem(&c) {
                meridiem = pm
                defaultOffset = DateNames.koreanOffset
                c.skipSpaces()
            }
        } else {
            return nil
        }
        guard time(&c, &f) else { return nil }
        if let meridiem, !f.applyMeridiem(pm: meridiem) { return nil }
        guard let offset = zone(&c, default: defaultOffset) else { return nil }
        f.offsetMinutes = offset
        return f
    }

    private static func date(_ c: inout DateCursor, _ f: inout DateFields) -> Bool {
        let dash = UInt8(ascii: "-")
        if c.skip(dash) {
            // Truncated ISO 8601:2000 forms, century implied.
            let run = c.digitRun
            if run == 4 {
                f.year = 2000 + c.number(2)
                f.month = c.number(2)
                return true
            }
            guard run == 2 else { return false }
            f.year = 2000 + c.number(2)
            guard c.skip(dash), c.digitRun == 2 else { return false }
            f.month = c.number(2)
            return true
        }
        switch c.digitRun {
        case 8:
            f.year = c.number(4)
            f.month = c.number(2)
            f.day = c.number(2)
            return true
        case 7:
            f.year = c.number(4)
            return f.setOrdinal(c.number(3))
        case 6:
            f.year = 2000 + c.number(2)
            f.month = c.number(2)
            f.day = c.number(2)
            return true
        case 5:
            // ISO 8601's compact `YYDDD` (ordinal date, century implied), as feedparser reads it.
            f.year = 2000 + c.number(2)
            return f.setOrdinal(c.number(3))
        case 4:
            f.year = c.number(4)
            guard c.skip(dash) else { return true }
            return monthAndDay(&c, &f, ordinalAllowed: true)
        case 2:
            f.year = 2000 + c.number(2)
            guard c.skip(dash) else { return false }
            return monthAndDay(&c, &f, ordinalAllowed: true)
        default:
            return false
        }
    }

    /// What follows `YYYY-`: `MM[-DD]`, `OOO`, `0MM-DD`, or `name-DD`.
    private static func monthAndDay(_ c: inout DateCursor, _ f: inout DateFields, ordinalAllowed: Bool) -> Bool {
        let dash = UInt8(ascii: "-")
        let run = c.digitRun
        if run == 0 {
            let start = c.index
            while let p = c.peek, ASCIIBytes.isWordByte(p) { c.index += 1 }
            guard c.index > start,
                  let m = DateNames.month(UnsafeBufferPointer(rebasing: c.bytes[start..<c.index])),
                  c.skip(dash), let d = c.number(upTo: 2)
            else { return false }
            f.month = m
            f.day = d
            return true
        }
        if run == 3 {
            let v = c.number(3)
            if c.skip(dash) {
                // Google's "2003-012-31": a zero-padded month.
                guard v <= 12, let d = c.number(upTo: 2) else { return false }
                f.month = v
                f.day = d
                return true
            }
            return ordinalAllowed && f.setOrdinal(v)
        }
        guard run <= 2 else { return false }
        f.month = c.number(run)
        guard c.skip(dash) else { return true }
        guard let d = c.number(upTo: 2) else { return false }
        f.day = d
        return true
    }

    private static func time(_ c: inout DateCursor, _ f: inout DateFields) -> Bool {
        let run = c.digitRun
        if let next = c.index + run < c.end ? c.bytes[c.index + run] : nil, next == UInt8(ascii: ":") {
            return c.colonTime(into: &f)
        }
        switch run {
        case 2:
            f.hour = c.number(2)
        case 4:
            f.hour = c.number(2)
            f.minute = c.number(2)
        case 6:
            f.hour = c.number(2)
            f.minute = c.number(2)
            f.second = c.number(2)
        default:
            return false
        }
        c.skipFraction()
        return true
    }

    /// The zone after the time, which must end the string; `default` when there is none.
    private static func zone(_ c: inout DateCursor, default defaultOffset: Int) -> Int? {
        c.skipSpaces()
        guard let p = c.peek else { return defaultOffset }
        let offset: Int?
        if p == UInt8(ascii: "+") || p == UInt8(ascii: "-") {
            offset = c.numericOffset()
        } else {
            let start = c.index
            c.index = c.end
            offset = DateNames.zoneOffset(UnsafeBufferPointer(rebasing: c.bytes[start..<c.end]))
        }
        guard let offset, c.atEnd else { return nil }
        return offset
    }

    /// `오전` (AM) → false, `오후` (PM) → true; the cursor moves past it.
    private static func koreanMeridiem(_ c: inout DateCursor) -> Bool? {
        for (marker, pm) in [(DateNames.koreanAM, false), (DateNames.koreanPM, true)]
            where c.index + marker.count <= c.end {
            var same = true
            for (k, b) in marker.enumerated() where c.bytes[c.index + k] != b {
                same = false
                break
            }
            if same {
                c.index += marker.count
                return pm
            }
        }
        return nil
    }
}
