import Foundation

/// How long a failing source waits before its next attempt.
///
/// Exponential from the source's own interval, jittered so that sources failing together
/// (one host down) spread out again, capped (6 h by default, or the interval when that is
/// longer), and never infinite: a source is never given up on (SPEC §8). The delay is never
/// shorter than the interval, so a failing source is never polled harder than a healthy one.
public struct Backoff: Sendable, Hashable {
    public enum Jitter: Sendable, Hashable {
        /// Uniform in [interval, min(cap, interval × 2^failures)] ("full jitter" over the
        /// exponential window, floored at the interval).
        case full
        /// Uniform in [interval, previous delay × 3], capped ("decorrelated jitter"): grows as
        /// fast on average but depends on the last delay rather than the count.
        case decorrelated
    }

    public var cap: Duration
    public var jitter: Jitter

    public init(cap: Duration = .seconds(6 * 3600), jitter: Jitter = .decorrelated) {
        self.cap = cap
        self.jitter = jitter
    }

    /// The wait after the `failures`-th consecutive failure (1 for the first).
    /// - Parameter previous: the wait chosen after the previous failure, for `.decorrelated`.
    public func delay(interval: Duration, failures: Int, previous: Duration?,
                      using random: inout some RandomNumberGenerator) -> Duration {
        let base = max(1, interval.seconds)
        let cap = max(self.cap.seconds, base)
        let upper: Double
        switch jitter {
        case .full:
            // 2^failures overflows Double only past ~1000 failures; clamp the exponent first.
            upper = min(cap, base * pow(2, Double(min(max(failures, 1), 62))))
        case .decorrelated:
            upper = min(cap, max(base, (previous?.seconds ?? base) * 3))
        }
        return .seconds(upper <= base ? base : Double.random(in: base...upper, using: &random))
    }
}

extension Duration {
    /// Seconds as a `Double`: the unit the scheduling arithmetic is done in.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
