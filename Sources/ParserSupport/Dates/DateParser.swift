public import FeedModel

/// Feed date strings → UTC timestamps (RFC 822/1123/2822 with every zone form, RFC 3339 /
/// ISO 8601 variants, and the broken forms real feeds use). `nil` when unparseable: a missing
/// date stays missing, never "now".
///
/// Works on the UTF-8 bytes with no `DateFormatter` and no regex: a big feed carries two dates
/// per entry, and formatter-based parsing (trying format after format) dominated parse time in
/// the tools we measured against. Two strict recognizers run in turn: `ISODateSyntax` for
/// anything shaped like ISO 8601 / W3C-DTF, then `TextDateSyntax` for the token-based forms
/// (RFC 822, asctime, perforce, the Korean and Greek variants). Every field is range-checked:
/// 25 hours, 61 seconds, 30 February or a five-digit year give `nil`, not a rolled-over date.
public enum DateParser {
    public static func parse<S: StringProtocol>(_ string: S) -> Timestamp? {
        if let result = string.utf8.withContiguousStorageIfAvailable({ parse(utf8: $0) }) {
            return result
        }
        return Array(string.utf8).withUnsafeBufferPointer { parse(utf8: $0) }
    }

    /// The same on raw UTF-8, for callers that hold bytes (the XML layer's text buffers).
    public static func parse(utf8 raw: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        var lo = 0
        var hi = raw.count
        while lo < hi, ASCIIBytes.isSpace(raw[lo]) { lo += 1 }
        while hi > lo, ASCIIBytes.isSpace(raw[hi - 1]) { hi -= 1 }
        // Real dates are short; a long string is prose, and bounding it bounds the work.
        guard lo < hi, hi - lo <= 96 else { return nil }
        let bytes = UnsafeBufferPointer(rebasing: raw[lo..<hi])
        if let fields = ISODateSyntax.parse(bytes) { return fields.timestamp }
        return TextDateSyntax.parse(bytes)?.timestamp
    }
}

/// Civil fields as written, plus the zone offset; `timestamp` does the range checks.
package struct DateFields {
    package var year = 0
    package var month = 1
    package var day = 1
    package var hour = 0
    package var minute = 0
    package var second = 0
    package var offsetMinutes = 0

    /// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the record format writes four-digit years.
    private static let earliest: Int64 = -62_167_219_200
    private static let latest: Int64 = 253_402_300_799

    package var timestamp: Timestamp? {
        guard second <= 59 || (second == 60 && minute == 59),
              let t = Timestamp(year: year, month: month, day: day, hour: hour, minute: minute,
                                second: second, offsetSeconds: offsetMinutes * 60),
              t.secondsSince1970 >= Self.earliest, t.secondsSince1970 <= Self.latest
        else { return nil }
        return t
    }

    /// Day-of-year → month and day; `false` when the ordinal does not exist in that year.
    package mutating func setOrdinal(_ ordinal: Int) -> Bool {
        var rest = ordinal
        guard rest >= 1 else { return false }
        for m in 1...12 {
            let n = Timestamp.daysIn(month: m, year: year)
            if rest <= n {
                month = m
                day = rest
                return true
            }
            rest -= n
        }
        return false
    }

    /// Applies an "AM"/"PM" marker (`pm == true` for PM) to a 12-hour clock reading.
    package mutating func applyMeridiem(pm: Bool) -> Bool {
        guard (1...12).contains(hour) else { return false }
        if pm, hour < 12 { hour += 12 }
        if !pm, hour == 12 { hour = 0 }
        return true
    }
}

/// A read position over the date's bytes with the few scanners both syntaxes need.
///
/// Over a buffer pointer, not an array: the caller's `String` storage is read in place
/// (`withContiguousStorageIfAvailable`), so a date costs no copy, and sub-ranges for the name
/// tables (`DateNames`) are rebased views, not new arrays. The bytes never outlive `parse`.
package struct DateCursor {
    package let bytes: UnsafeBufferPointer<UInt8>
    package var index: Int
    package let end: Int

    package init(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.index = start
        self.end = end ?? bytes.count
    }

    package var atEnd: Bool { index >= end }
    package var peek: UInt8? { index < end ? bytes[index] : nil }

    /// Number of consecutive ASCII digits at the current position.
    package var digitRun: Int {
        var i = index
        while i < end, ASCIIBytes.isDigit(bytes[i]) { i += 1 }
        return i - index
    }

    package mutating func skip(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        index += 1
        return true
    }

    package mutating func skipSpaces() {
        while index < end, ASCIIBytes.isSpace(bytes[index]) { index += 1 }
    }

    /// Exactly `count` digits as a number (the caller has checked the run length).
    package mutating func number(_ count: Int) -> Int {
        var v = 0
        for _ in 0..<count {
            v = v * 10 + Int(bytes[index] &- 0x30)
            index += 1
        }
        return v
    }

    /// 1 to `max` digits; `nil` when there are none or more than `max`.
    package mutating func number(upTo max: Int) -> Int? {
        let run = digitRun
        guard run >= 1, run <= max else { return nil }
        return number(run)
    }

    /// `H:MM[:SS][.fraction]` with one- or two-digit parts (feeds write `9:15` and `1:2:3`).
    package mutating func colonTime(into f: inout DateFields) -> Bool {
        guard let h = number(upTo: 2), skip(UInt8(ascii: ":")), let m = number(upTo: 2) else { return false }
        f.hour = h
        f.minute = m
        f.second = 0
        if skip(UInt8(ascii: ":")) {
            guard let s = number(upTo: 2) else { return false }
            f.second = s
        }
        skipFraction()
        return true
    }

    /// Fractions of a second are dropped: the record carries whole seconds.
    package mutating func skipFraction() {
        guard let p = peek, p == UInt8(ascii: ".") || p == UInt8(ascii: ","), index + 1 < end,
              ASCIIBytes.isDigit(bytes[index + 1]) else { return }
        index += 1
        while index < end, ASCIIBytes.isDigit(bytes[index]) { index += 1 }
    }

    /// `+HH`, `+HHMM`, `+HH:MM`, `+H` (also with `-`) up to `end`, as minutes east of UTC.
    package mutating func numericOffset() -> Int? {
        guard let sign = peek, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        index += 1
        let run = digitRun
        var h = 0
        var m = 0
        switch run {
        case 4:
            h = number(2)
            m = number(2)
        case 3:
            h = number(1)
            m = number(2)
        case 1, 2:
            h = number(run)
            if skip(UInt8(ascii: ":")) {
                guard digitRun == 2 else { return nil }
                m = number(2)
            }
        default:
            return nil
        }
        guard h <= 23, m <= 59 else { return nil }
        let minutes = h * 60 + m
        return sign == UInt8(ascii: "-") ? -minutes : minutes
    }
}
