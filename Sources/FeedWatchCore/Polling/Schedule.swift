public import Foundation

/// When sources are due, so that they never fire together (SPEC §8: "jittered schedule, no bursts").
public enum Schedule {
    /// The first poll of source `index` of `count` started at `now`: the window (at most the
    /// interval) is cut into `count` equal slots and each source lands at a random point of
    /// its own slot, so no two sources share an instant and a restart does not line them up.
    public static func firstPoll(index: Int, of count: Int, window: Duration, interval: Duration, now: Date,
                                 using random: inout some RandomNumberGenerator) -> Date {
        let span = max(0, min(window.seconds, interval.seconds))
        guard count > 0, span > 0 else { return now }
        let slot = span / Double(count)
        let offset = slot * Double(min(max(index, 0), count - 1)) + Double.random(in: 0..<slot, using: &random)
        return now.addingTimeInterval(offset)
    }

    /// The next regular poll: the interval, give or take `jitter` (a fraction of it), so that
    /// sources started together drift apart instead of staying in lockstep.
    public static func next(after now: Date, interval: Duration, jitter: Double = 0.1,
                            using random: inout some RandomNumberGenerator) -> Date {
        let base = max(1, interval.seconds)
        let spread = base * min(max(jitter, 0), 0.5)
        let seconds = spread > 0 ? Double.random(in: (base - spread)...(base + spread), using: &random) : base
        return now.addingTimeInterval(seconds)
    }
}
