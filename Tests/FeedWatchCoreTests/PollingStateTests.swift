import FeedFetch
@testable import FeedWatchCore
import Foundation
import FeedWatchTesting
import Testing

@Suite struct PollingStateTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let policy = PollPolicy(interval: .seconds(900))
    let feed = "http://127.0.0.1/feed.xml"

    private func ok(_ etag: String? = nil, _ lastModified: String? = nil, redirects: [HTTPRedirect] = []) -> PollOutcome {
        .fetched(HTTPValidators(etag: etag, lastModified: lastModified), redirects: redirects)
    }

    private func permanent(_ from: String, _ to: String, _ status: Int = 301) -> HTTPRedirect {
        HTTPRedirect(url: from, status: status, location: to)
    }

    @Test func validatorsAreStoredVerbatimAfter200And304() {
        var random = SeededRandom(seed: 1)
        var state = SourceState(url: feed, nextDue: start)
        let etag = "W/\"caf\u{E9} 1\""
        let date = "Sunday, 06-Nov-94 08:49:37 GMT"
        let decision = state.record(ok(etag, date), at: start, policy: policy, using: &random)
        #expect(decision.hasNewContent)
        #expect(state.validators == HTTPValidators(etag: etag, lastModified: date))
        // A 304 with a fresh ETag only: ETag replaced, Last-Modified kept.
        state.record(.notModified(HTTPValidators(etag: "\"2\""), redirects: []), at: start, policy: policy, using: &random)
        #expect(state.validators == HTTPValidators(etag: "\"2\"", lastModified: date))
        #expect(state.lastStatus == 304)
        // A 200 without validators clears them: echoing stale ones would be wrong.
        state.record(ok(), at: start, policy: policy, using: &random)
        #expect(state.validators.isEmpty)
    }

    @Test func aRejectedBodyKeepsTheOldValidators() {
        var random = SeededRandom(seed: 2)
        var state = SourceState(url: feed, nextDue: start)
        state.record(ok("\"1\""), at: start, policy: policy, using: &random)
        let decision = state.record(.rejected(status: 200, message: "input is binary data", redirects: []),
                                    at: start, policy: policy, using: &random)
        #expect(!decision.hasNewContent)
        #expect(state.validators.etag == "\"1\"")
        #expect(state.health == .backingOff)
        #expect(state.lastError == "input is binary data")
    }

    @Test func failuresBackOffThenFailThenRecover() {
        var random = SeededRandom(seed: 3)
        var state = SourceState(url: feed, nextDue: start)
        var now = start
        var previousDelay = 0.0
        for attempt in 1...6 {
            state.record(.httpError(status: 500, retryAfter: nil, redirects: []), at: now, policy: policy, using: &random)
            let delay = state.nextDue.timeIntervalSince(now)
            #expect(state.consecutiveFailures == attempt)
            #expect(state.health == (attempt >= 3 ? .failing : .backingOff))
            #expect(delay >= 900 && delay <= 6 * 3600)
            #expect(state.lastError == "HTTP 500")
            previousDelay = delay
            now = state.nextDue
        }
        #expect(previousDelay > 900)
        state.record(ok(), at: now, policy: policy, using: &random)
        #expect(state.health == .ok)
        #expect(state.consecutiveFailures == 0)
        #expect(state.lastError == nil)
        #expect(state.lastSuccess == now)
        let next = state.nextDue.timeIntervalSince(now)
        #expect(next >= 810 && next <= 990)
    }

    @Test func transportErrorsKeepTheCurlMessage() throws {
        var random = SeededRandom(seed: 4)
        var state = SourceState(url: feed, nextDue: start)
        // A real client error, from a request the client refuses before any I/O.
        let error = try #require(throws: HTTPClientError.self) { try HTTPClient.validate(url: "ftp://127.0.0.1/x") }
        state.record(.transportError(error), at: start, policy: policy, using: &random)
        #expect(state.lastStatus == nil)
        #expect(state.lastError?.contains("only http and https") == true)
        #expect(state.health == .backingOff)
    }

    @Test func goneIsShownAndStillRetriedAtTheCap() {
        var random = SeededRandom(seed: 5)
        var state = SourceState(url: feed, nextDue: start)
        state.record(.httpError(status: 410, retryAfter: nil, redirects: []), at: start, policy: policy, using: &random)
        #expect(state.health == .gone)
        #expect(state.nextDue == start.addingTimeInterval(6 * 3600))
        state.record(ok(), at: state.nextDue, policy: policy, using: &random)
        #expect(state.health == .ok)
    }

    @Test(arguments: [429, 503])
    func retryAfterIsHonouredOn429And503(status: Int) throws {
        var random = SeededRandom(seed: 6)
        var state = SourceState(url: feed, nextDue: start)
        state.record(.httpError(status: status, retryAfter: "7200", redirects: []), at: start, policy: policy, using: &random)
        #expect(state.nextDue >= start.addingTimeInterval(7200))
        #expect(state.nextDue <= start.addingTimeInterval(7200 + 1))
        // As an HTTP-date, three hours ahead.
        let date = "Fri, 15 Jan 2027 11:00:00 GMT"
        let target = try #require(RetryAfter.date(date))
        state.record(.httpError(status: status, retryAfter: date, redirects: []), at: target.addingTimeInterval(-3 * 3600),
                     policy: policy, using: &random)
        #expect(state.nextDue >= target)
    }

    @Test func retryAfterNeverParksASourceBeyondTheCeiling() {
        var random = SeededRandom(seed: 7)
        var state = SourceState(url: feed, nextDue: start)
        state.record(.httpError(status: 429, retryAfter: "31536000", redirects: []), at: start, policy: policy, using: &random)
        #expect(state.nextDue == start.addingTimeInterval(24 * 3600))
    }

    @Test func aShortRetryAfterDoesNotPollFasterThanTheBackoff() {
        var random = SeededRandom(seed: 8)
        var state = SourceState(url: feed, nextDue: start)
        state.record(.httpError(status: 503, retryAfter: "1", redirects: []), at: start, policy: policy, using: &random)
        #expect(state.nextDue >= start.addingTimeInterval(900))
    }

    @Test func threeConsecutivePermanentRedirectsRewriteTheURL() {
        var random = SeededRandom(seed: 9)
        var state = SourceState(url: feed, nextDue: start)
        let new = "https://127.0.0.1/new.xml"
        for (poll, status) in [301, 308, 301].enumerated() {
            let decision = state.record(ok(redirects: [permanent(feed, new, status)]), at: start, policy: policy, using: &random)
            if poll < 2 {
                #expect(decision.rewrittenURL == nil)
                #expect(state.url == feed)
                #expect(state.pendingRedirect?.count == poll + 1)
            } else {
                #expect(decision.rewrittenURL == new)
                #expect(state.url == new)
                #expect(state.pendingRedirect == nil)
            }
        }
    }

    @Test(arguments: [302, 303, 307])
    func temporaryRedirectsNeverRewrite(status: Int) {
        var random = SeededRandom(seed: 10)
        var state = SourceState(url: feed, nextDue: start)
        for _ in 0..<5 {
            let decision = state.record(ok(redirects: [HTTPRedirect(url: feed, status: status, location: "http://127.0.0.1/tmp")]),
                                        at: start, policy: policy, using: &random)
            #expect(decision.rewrittenURL == nil)
        }
        #expect(state.url == feed)
        #expect(state.pendingRedirect == nil)
    }

    @Test func aBreakInTheRunStartsTheCountAgain() {
        var random = SeededRandom(seed: 11)
        var state = SourceState(url: feed, nextDue: start)
        let new = "http://127.0.0.1/new"
        state.record(ok(redirects: [permanent(feed, new)]), at: start, policy: policy, using: &random)
        state.record(ok(redirects: [permanent(feed, new)]), at: start, policy: policy, using: &random)
        state.record(ok(), at: start, policy: policy, using: &random) // served directly again
        #expect(state.pendingRedirect == nil)
        state.record(ok(redirects: [permanent(feed, new)]), at: start, policy: policy, using: &random)
        state.record(ok(redirects: [permanent(feed, "http://127.0.0.1/other")]), at: start, policy: policy, using: &random)
        #expect(state.pendingRedirect == SourceState.PendingRedirect(target: "http://127.0.0.1/other", count: 1))
        #expect(state.url == feed)
    }

    @Test func aTransportErrorNeitherCountsNorBreaksTheRun() throws {
        var random = SeededRandom(seed: 12)
        var state = SourceState(url: feed, nextDue: start)
        let new = "http://127.0.0.1/new"
        let error = try #require(throws: HTTPClientError.self) { try HTTPClient.validate(url: "gopher://x/") }
        state.record(ok(redirects: [permanent(feed, new)]), at: start, policy: policy, using: &random)
        state.record(.transportError(error), at: start, policy: policy, using: &random)
        state.record(ok(redirects: [permanent(feed, new)]), at: start, policy: policy, using: &random)
        #expect(state.pendingRedirect?.count == 2)
        state.record(ok(redirects: [permanent(feed, new)]), at: start, policy: policy, using: &random)
        #expect(state.url == new)
    }

    @Test func onlyTheLeadingPermanentHopsCount() {
        var random = SeededRandom(seed: 13)
        var state = SourceState(url: feed, nextDue: start)
        let hop = "http://127.0.0.1/moved"
        let chain = [permanent(feed, hop), HTTPRedirect(url: hop, status: 302, location: "http://127.0.0.1/today")]
        for _ in 0..<3 { state.record(ok(redirects: chain), at: start, policy: policy, using: &random) }
        #expect(state.url == hop)
    }

    @Test func aRedirectEndingInAnErrorIsNotTrustedYet() {
        var random = SeededRandom(seed: 14)
        var state = SourceState(url: feed, nextDue: start)
        let new = "http://127.0.0.1/new"
        for _ in 0..<3 {
            state.record(.httpError(status: 404, retryAfter: nil, redirects: [permanent(feed, new)]),
                         at: start, policy: policy, using: &random)
        }
        #expect(state.url == feed)
        #expect(state.pendingRedirect?.count == 3)
        let decision = state.record(ok(redirects: [permanent(feed, new)]), at: start, policy: policy, using: &random)
        #expect(decision.rewrittenURL == new)
    }

    @Test func stateRoundTripsThroughJSON() throws {
        var random = SeededRandom(seed: 15)
        var state = SourceState(url: feed, nextDue: start)
        state.record(ok("\"e\u{E9}\"", "Mon, 02 Apr 2018 14:00:00 GMT"), at: start, policy: policy, using: &random)
        state.record(.httpError(status: 503, retryAfter: "60", redirects: [permanent(feed, "http://127.0.0.1/n")]),
                     at: start, policy: policy, using: &random)
        #expect(state.pendingRedirect != nil)
        let json = try JSONEncoder().encode(state)
        let decoded = try JSONDecoder().decode(SourceState.self, from: json)
        #expect(decoded == state)
        #expect(String(decoding: json, as: UTF8.self).contains("\"health\":\"backing_off\""))
    }
}
