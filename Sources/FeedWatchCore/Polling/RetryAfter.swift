public import Foundation
import FeedModel
import ParserSupport

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
        guard let date = date(trimmed) else { return nil }
        let seconds = date.timeIntervalSince(now)
        return seconds > 0 ? .seconds(seconds) : .zero
    }

    /// An HTTP-date (RFC 9110 §5.6.7) in any of its three forms: IMF-fixdate
    /// (`Sun, 06 Nov 1994 08:49:37 GMT`), obsolete RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and
    /// asctime (`Sun Nov  6 08:49:37 1994`), read by the feed parser's `DateParser`, the one date
    /// parser of the project.
    ///
    /// DateParser is more lenient than RFC 9110 asks: it also takes a missing weekday, single-digit
    /// days, ISO 8601 and the other feed forms, and reads a two-digit year below 90 as 20YY (RFC
    /// 9110 would put 70–89 in the 1900s; only RFC 850 dates have two-digit years, and none is
    /// sent today). That leniency costs nothing here. What it does not get is a zone: an HTTP-date
    /// is always GMT, so a value that ends in another zone (`PST`, `+0100`) is refused, as the RFC's
    /// recipients must, instead of being shifted by it. asctime has no zone and ends in the year.
    /// DateParser does not read RFC 850's dashed day-month-year (`06-Nov-94`), so the dashes
    /// become spaces first; no other dash can stand in an HTTP-date.
    static func date(_ value: String) -> Date? {
        guard let last = value.split(separator: " ").last,
              last.uppercased() == "GMT" || last.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let stamp = DateParser.parse(value.replacingOccurrences(of: "-", with: " "))
        else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(stamp.secondsSince1970))
    }
}
