@testable import FeedWatchCore
import Foundation
import Testing

@Suite struct PollingRetryAfterTests {
    /// 1994-11-06T08:49:37Z, the RFC's example instant.
    let rfcInstant = Date(timeIntervalSince1970: 784_111_777)

    @Test(arguments: [("120", 120.0), (" 0 ", 0), ("86400", 86_400)])
    func deltaSeconds(value: String, seconds: Double) {
        #expect(RetryAfter.delay(value, now: rfcInstant)?.seconds == seconds)
    }

    @Test(arguments: ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"])
    func allThreeHTTPDateForms(value: String) {
        #expect(RetryAfter.date(value) == rfcInstant)
        #expect(RetryAfter.delay(value, now: rfcInstant.addingTimeInterval(-90))?.seconds == 90)
    }

    @Test func aDateInThePastMeansNow() {
        #expect(RetryAfter.delay("Sun, 06 Nov 1994 08:49:37 GMT", now: rfcInstant.addingTimeInterval(3600)) == .zero)
    }

    @Test(arguments: ["", "soon", "-5", "1.5", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
                      "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 PST"])
    func garbageIsIgnored(value: String) {
        #expect(RetryAfter.delay(value, now: rfcInstant) == nil)
    }

    @Test func hugeDeltasSaturateInsteadOfFailing() throws {
        let delay = try #require(RetryAfter.delay("99999999999999999999999", now: rfcInstant))
        #expect(delay > .seconds(1_000_000))
    }
}
