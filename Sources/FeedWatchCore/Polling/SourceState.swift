public import FeedFetch
public import Foundation

/// The rules `SourceState.record` applies; the daemon builds one per source from its config.
public struct PollPolicy: Sendable, Hashable {
    /// The source's `interval` (SPEC §10, default 15m).
    public var interval: Duration
    public var backoff: Backoff
    /// Consecutive failures after which health says `failing` rather than `backing_off`.
    public var failingAfter: Int
    /// Consecutive fetches through the same permanent redirect before the URL is rewritten.
    public var permanentRedirectsToRewrite: Int
    /// The longest `Retry-After` honoured: a server cannot park a source for a year.
    public var retryAfterCeiling: Duration
    /// Regular polls land within ± this fraction of the interval.
    public var jitter: Double

    public init(interval: Duration = .seconds(900), backoff: Backoff = Backoff(), failingAfter: Int = 3,
                permanentRedirectsToRewrite: Int = 3, retryAfterCeiling: Duration = .seconds(24 * 3600),
                jitter: Double = 0.1) {
        self.interval = interval
        self.backoff = backoff
        self.failingAfter = failingAfter
        self.permanentRedirectsToRewrite = permanentRedirectsToRewrite
        self.retryAfterCeiling = retryAfterCeiling
        self.jitter = jitter
    }
}

/// What the poller should do after recording an outcome.
public struct PollDecision: Sendable, Hashable {
    public var nextDue: Date
    /// Set when this poll completed the run of permanent redirects: the source's URL is now this.
    public var rewrittenURL: String?
    /// Whether the body of this poll should be parsed and archived (only for `.fetched`).
    public var hasNewContent: Bool
}

/// Everything feedwatch remembers about one URL source between polls (SPEC §8), persisted as
/// JSON by the daemon and shown by `stats`.
///
/// A value-type state machine in the AsyncHTTPClient style: `record(_:at:policy:using:)` is
/// the only transition, it does no I/O and takes time and randomness as arguments, so every
/// rule is testable without a clock or a network.
public struct SourceState: Sendable, Hashable, Codable {
    public enum Health: String, Sendable, Hashable, Codable {
        case ok
        /// Failing, retried with growing delays.
        case backingOff = "backing_off"
        /// At least `failingAfter` failures in a row; still retried.
        case failing
        /// The server said 410 Gone. Still polled (at the backoff cap) in case it returns.
        case gone
    }

    /// A permanent redirect seen on consecutive polls, not yet trusted enough to rewrite.
    public struct PendingRedirect: Sendable, Hashable, Codable {
        public var target: String
        public var count: Int
    }

    /// The URL polled; differs from the configured one after a rewrite.
    public var url: String
    /// Echoed byte for byte on the next request; updated after every 200 and 304.
    public var validators: HTTPValidators
    public var lastStatus: Int?
    public var lastPoll: Date?
    public var lastSuccess: Date?
    public var consecutiveFailures: Int
    public var pendingRedirect: PendingRedirect?
    public var nextDue: Date
    public var health: Health
    public var lastError: String?
    /// The last backoff delay in seconds, which decorrelated jitter grows from.
    public var lastBackoffSeconds: Double?

    public init(url: String, nextDue: Date) {
        self.url = url
        self.validators = HTTPValidators()
        self.consecutiveFailures = 0
        self.nextDue = nextDue
        self.health = .ok
    }

    public func isDue(at now: Date) -> Bool { nextDue <= now }

    /// Applies one poll's outcome and says when to poll next.
    @discardableResult
    public mutating func record(_ outcome: PollOutcome, at now: Date, policy: PollPolicy,
                                using random: inout some RandomNumberGenerator) -> PollDecision {
        lastPoll = now
        let success: Bool
        switch outcome {
        case .fetched, .notModified: success = true
        case .httpError, .transportError, .rejected: success = false
        }
        let rewritten = trackPermanentRedirects(outcome.redirects, success: success, policy: policy)
        var hasNewContent = false

        switch outcome {
        case let .fetched(validators, _):
            self.validators = validators
            lastStatus = 200
            hasNewContent = true
        case let .notModified(validators, _):
            // RFC 9110 §15.4.5: a 304 repeats the validators; keep the old ones where it does not.
            self.validators = HTTPValidators(etag: validators.etag ?? self.validators.etag,
                                             lastModified: validators.lastModified ?? self.validators.lastModified)
            lastStatus = 304
        case let .httpError(status, _, _):
            lastStatus = status
            lastError = "HTTP \(status)"
        case let .transportError(error):
            lastStatus = nil
            lastError = error.description
        case let .rejected(status, message, _):
            lastStatus = status
            lastError = message
        }

        if success {
            consecutiveFailures = 0
            lastBackoffSeconds = nil
            lastError = nil
            lastSuccess = now
            health = .ok
            nextDue = Schedule.next(after: now, interval: policy.interval, jitter: policy.jitter, using: &random)
        } else {
            consecutiveFailures += 1
            nextDue = now.addingTimeInterval(failureDelay(outcome, now: now, policy: policy, using: &random).seconds)
            if case .httpError(410, _, _) = outcome {
                health = .gone
            } else {
                health = consecutiveFailures >= policy.failingAfter ? .failing : .backingOff
            }
        }
        return PollDecision(nextDue: nextDue, rewrittenURL: rewritten, hasNewContent: hasNewContent)
    }

    private mutating func failureDelay(_ outcome: PollOutcome, now: Date, policy: PollPolicy,
                                       using random: inout some RandomNumberGenerator) -> Duration {
        let cap = max(policy.backoff.cap, policy.interval)
        if case .httpError(410, _, _) = outcome {
            lastBackoffSeconds = cap.seconds
            return cap
        }
        var delay = policy.backoff.delay(interval: policy.interval, failures: consecutiveFailures,
                                         previous: lastBackoffSeconds.map { .seconds($0) }, using: &random)
        lastBackoffSeconds = delay.seconds
        // SPEC §8: Retry-After on 429 and 503 is honoured — never sooner than asked, but never
        // beyond the ceiling, so a hostile value cannot stop a source for good.
        if case let .httpError(status, retryAfter?, _) = outcome, status == 429 || status == 503,
           let asked = RetryAfter.delay(retryAfter, now: now) {
            delay = max(delay, min(asked, policy.retryAfterCeiling))
        }
        return delay
    }

    /// Counts consecutive polls whose redirect chain starts with the same permanent hop(s) and
    /// rewrites `url` after `permanentRedirectsToRewrite` of them ending in success. 302, 303
    /// and 307 mean "this time only", so they neither count nor rewrite.
    private mutating func trackPermanentRedirects(_ redirects: [HTTPRedirect]?, success: Bool,
                                                  policy: PollPolicy) -> String? {
        guard let redirects else { return nil } // no response: nothing learned either way
        let target = redirects.prefix { $0.isPermanent }.last?.location
        guard let target, target != url else {
            pendingRedirect = nil
            return nil
        }
        if pendingRedirect?.target == target {
            pendingRedirect?.count += 1
        } else {
            pendingRedirect = PendingRedirect(target: target, count: 1)
        }
        guard success, let pending = pendingRedirect, pending.count >= policy.permanentRedirectsToRewrite else { return nil }
        url = target
        pendingRedirect = nil
        return target
    }
}
