import Foundation
import FeedModel

/// Wall-clock time in the record format's `Timestamp`, so every file of the daemon spells
/// time the same way (`fetched_at`, error notes, log lines).
enum FeedModelTime {
    static func now() -> Timestamp {
        Timestamp(secondsSince1970: Int64(Date().timeIntervalSince1970))
    }

    static func rfc3339(seconds: Int64) -> String {
        Timestamp(secondsSince1970: seconds).rfc3339
    }
}
