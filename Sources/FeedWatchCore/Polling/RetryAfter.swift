public import Foundation
import FeedModel

/// `Retry-After` (RFC 9110 §10.2.3): delta-seconds or an HTTP-date.
public enum RetryAfter {
    /// The wait the server asked for, measured from `now`; `.zero` for a date in the past,
    /// `nil` when the value is neither form (then it is ignored, not guessed at).
    public static func delay(_ value: String, now: Date) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            // Absurdly long digit strings saturate instead of failing: the ceiling clamps them.
            return .seconds(Int64(trimmed) ?? Int64.max / 1_000_000_000_000)
        }
        guard let date = HTTPDate.parse(trimmed) else { return nil }
        let seconds = date.timeIntervalSince(now)
        return seconds > 0 ? .seconds(seconds) : .zero
    }
}

/// HTTP-date (RFC 9110 §5.6.7) in its three forms: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`),
/// obsolete RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`).
enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    static func parse(_ string: String) -> Date? {
        let fields = string.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "-" })
        let day: Int?, monthName: Substring, year: Int?, time: Substring
        switch fields.count {
        case 6 where fields[5].uppercased() == "GMT":
            // IMF-fixdate or RFC 850: weekday, day, month, year, time, GMT.
            (day, monthName, year, time) = (Int(fields[1]), fields[2], Int(fields[3]), fields[4])
        case 5:
            // asctime: weekday, month, day, time, year.
            (day, monthName, year, time) = (Int(fields[2]), fields[1], Int(fields[4]), fields[3])
        default:
            return nil
        }
        guard let day, var year, let month = months.firstIndex(of: monthName.lowercased()) else { return nil }
        if year < 100 {
            // RFC 9110: a two-digit year more than 50 years in the future is in the past century.
            year += year < 70 ? 2000 : 1900
        }
        let clock = time.split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3,
              let stamp = Timestamp(year: year, month: month + 1, day: day, hour: clock[0], minute: clock[1], second: clock[2])
        else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(stamp.secondsSince1970))
    }
}
