/// A UTC instant with whole-second precision: all the record format (RFC 3339, `…Z`) carries.
///
/// Kept as seconds since 1970 instead of `Date` so that formatting is pure arithmetic: the
/// archive writes two or three of these per record and `DateFormatter` would dominate.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var secondsSince1970: Int64

    public init(secondsSince1970: Int64) {
        self.secondsSince1970 = secondsSince1970
    }

    /// Builds a timestamp from civil UTC fields; `nil` when a field is out of range.
    /// Leap seconds (`:60`) are folded into the next second, as RFC 3339 readers usually do.
    public init?(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0,
                 offsetSeconds: Int = 0) {
        guard (1...12).contains(month), day >= 1, day <= Timestamp.daysIn(month: month, year: year),
              (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        let days = Timestamp.daysFromCivil(year: year, month: month, day: day)
        secondsSince1970 = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.secondsSince1970 < b.secondsSince1970 }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    public var rfc3339: String {
        let days = secondsSince1970 >= 0 ? secondsSince1970 / 86_400 : (secondsSince1970 - 86_399) / 86_400
        let rem = Int(secondsSince1970 - days * 86_400)
        let (y, m, d) = Timestamp.civilFromDays(days)
        // Written straight into the String's storage: an array per field cost a sixth of the
        // JSON line's time (`parse` formats two or three of these per record).
        return String(unsafeUninitializedCapacity: 20) { out in
            func put(_ v: Int, _ width: Int, at start: Int) {
                var v = abs(v)
                var i = start + width - 1
                while i >= start { out[i] = UInt8(ascii: "0") + UInt8(v % 10); v /= 10; i -= 1 }
            }
            put(y, 4, at: 0); out[4] = UInt8(ascii: "-"); put(m, 2, at: 5); out[7] = UInt8(ascii: "-")
            put(d, 2, at: 8); out[10] = UInt8(ascii: "T")
            put(rem / 3600, 2, at: 11); out[13] = UInt8(ascii: ":"); put(rem / 60 % 60, 2, at: 14)
            out[16] = UInt8(ascii: ":"); put(rem % 60, 2, at: 17); out[19] = UInt8(ascii: "Z")
            return 20
        }
    }

    public var description: String { rfc3339 }

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Howard Hinnant's days-from-civil: proleptic Gregorian, valid far beyond any feed date.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((month + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int64) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (Int(y), Int(m), Int(d))
    }
}
