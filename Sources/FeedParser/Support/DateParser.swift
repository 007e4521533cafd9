public import FeedModel

/// Feed date strings → UTC timestamps (RFC 822/1123/2822 with every zone form, RFC 3339 /
/// ISO 8601 variants, and the broken forms real feeds use). `nil` when unparseable: a missing
/// date stays missing, never "now".
public enum DateParser {
    public static func parse<S: StringProtocol>(_ string: S) -> Timestamp? {
        nil // implemented by the support layer
    }
}
