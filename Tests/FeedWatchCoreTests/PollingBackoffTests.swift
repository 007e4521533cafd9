@testable import FeedWatchCore
import FeedWatchTesting
import Testing

@Suite struct PollingBackoffTests {
    let interval = Duration.seconds(900)
    let cap = Duration.seconds(6 * 3600)

    @Test(arguments: [UInt64(1), 2, 3, 42, 1_000_003])
    func fullJitterStaysInTheExponentialWindow(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let backoff = Backoff(jitter: .full)
        for failures in 1...40 {
            let delay = backoff.delay(interval: interval, failures: failures, previous: nil, using: &random)
            let upper = min(cap.seconds, 900 * Double(1 << min(failures, 40)))
            #expect(delay.seconds >= 900, "failure \(failures)")
            #expect(delay.seconds <= upper, "failure \(failures)")
        }
    }

    @Test(arguments: [UInt64(7), 8, 9])
    func decorrelatedJitterGrowsToTheCapAndStaysThere(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let backoff = Backoff(jitter: .decorrelated)
        var previous: Duration?
        var delays: [Double] = []
        for failures in 1...1000 {
            let delay = backoff.delay(interval: interval, failures: failures, previous: previous, using: &random)
            if let previous { #expect(delay.seconds <= max(900, previous.seconds * 3)) }
            #expect(delay.seconds >= 900)
            #expect(delay <= cap)
            delays.append(delay.seconds)
            previous = delay
        }
        // Never stops retrying, and does reach hours rather than staying near the interval.
        #expect(delays.suffix(100).allSatisfy { $0.isFinite && $0 > 900 })
        #expect(delays.max()! > 3 * 3600)
    }

    @Test func jitterSpreadsSourcesThatFailTogether() {
        var random = SeededRandom(seed: 99)
        let backoff = Backoff(jitter: .full)
        let delays = (0..<50).map { _ in backoff.delay(interval: interval, failures: 3, previous: nil, using: &random) }
        #expect(Set(delays).count == 50)
    }

    @Test func anIntervalLongerThanTheCapIsTheFloor() {
        var random = SeededRandom(seed: 5)
        let day = Duration.seconds(86_400)
        for jitter in [Backoff.Jitter.full, .decorrelated] {
            let delay = Backoff(jitter: jitter).delay(interval: day, failures: 10, previous: day, using: &random)
            #expect(delay == day)
        }
    }
}
