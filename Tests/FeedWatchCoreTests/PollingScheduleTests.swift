@testable import FeedWatchCore
import Foundation
import FeedWatchTesting
import Testing

@Suite struct PollingScheduleTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test(arguments: [1, 2, 10, 500])
    func firstPollsAreSpreadOverTheWindowInDistinctSlots(count: Int) {
        var random = SeededRandom(seed: UInt64(count))
        let window = Duration.seconds(60)
        let times = (0..<count).map {
            Schedule.firstPoll(index: $0, of: count, window: window, interval: .seconds(900), now: now, using: &random)
        }
        let offsets = times.map { $0.timeIntervalSince(now) }
        #expect(offsets.allSatisfy { $0 >= 0 && $0 < 60 })
        // Each source sits in its own slot: strictly increasing with the index, never equal.
        #expect(zip(offsets, offsets.dropFirst()).allSatisfy { $0 < $1 })
        #expect(Set(offsets).count == count)
        if count >= 10 { #expect(offsets.last! > 60 * 0.8) }
    }

    @Test func theWindowNeverExceedsTheInterval() {
        var random = SeededRandom(seed: 3)
        let offsets = (0..<20).map {
            Schedule.firstPoll(index: $0, of: 20, window: .seconds(3600), interval: .seconds(30), now: now, using: &random)
                .timeIntervalSince(now)
        }
        #expect(offsets.allSatisfy { $0 < 30 })
    }

    @Test func regularPollsAreJitteredAroundTheInterval() {
        var random = SeededRandom(seed: 11)
        let offsets = (0..<200).map {
            _ in Schedule.next(after: now, interval: .seconds(900), using: &random).timeIntervalSince(now)
        }
        #expect(offsets.allSatisfy { $0 >= 810 && $0 <= 990 })
        #expect(Set(offsets).count == 200)
        #expect(offsets.min()! < 850 && offsets.max()! > 950)
    }
}
