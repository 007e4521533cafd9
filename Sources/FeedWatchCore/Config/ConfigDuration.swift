/// Parses the config's durations ("30s", "5m", "1h", "1d", also "1h30m").
///
/// A deliberate, small grammar instead of ISO 8601: it is what people write in cron-like
/// tools, and anything else ("5 minutes", "5") is refused so a typo never becomes a default.
public enum ConfigDuration {
    /// `nil` when `text` is not a duration; zero is allowed here, callers impose minimums.
    public static func parse(_ text: String) -> Duration? {
        var total: Int64 = 0
        var number: Int64? = nil
        var sawUnit = false
        for ch in text.unicodeScalars {
            if let digit = ch.properties.numericType == .decimal ? Int64(String(ch)) : nil, ch.isASCII {
                let (m, o1) = (number ?? 0).multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(digit)
                guard !o1, !o2 else { return nil }
                number = s
                continue
            }
            let unit: Int64
            switch ch {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            case "d": unit = 86_400
            default: return nil
            }
            guard let n = number else { return nil }
            let (part, o1) = n.multipliedReportingOverflow(by: unit)
            let (sum, o2) = total.addingReportingOverflow(part)
            guard !o1, !o2 else { return nil }
            total = sum
            number = nil
            sawUnit = true
        }
        guard sawUnit, number == nil else { return nil }
        return .seconds(total)
    }

    /// The shortest spelling of a whole-second duration, for `stats` and logs.
    public static func format(_ duration: Duration) -> String {
        let s = duration.components.seconds
        for (unit, size) in [("d", Int64(86_400)), ("h", 3600), ("m", 60)] where s >= size && s % size == 0 {
            return "\(s / size)\(unit)"
        }
        return "\(s)s"
    }
}
