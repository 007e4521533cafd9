import FeedFetch
import Foundation

/// How many sources are in each health state: the `STATUS=` line and `stats` (SPEC §8, §9).
public struct SourceHealthCounts: Sendable, Hashable {
    public var ok = 0
    public var backingOff = 0
    public var failing = 0
    public var gone = 0
    /// Configured but not polled yet.
    public var waiting = 0

    public init(_ states: some Sequence<SourceState>) {
        for state in states {
            if state.lastPoll == nil {
                waiting += 1
                continue
            }
            switch state.health {
            case .ok: ok += 1
            case .backingOff: backingOff += 1
            case .failing: failing += 1
            case .gone: gone += 1
            }
        }
    }

    /// `3 ok, 1 backing off, 0 failing, 0 gone` (plus `, 2 not polled yet` when any).
    public var summary: String {
        "\(ok) ok, \(backingOff) backing off, \(failing) failing, \(gone) gone" + (waiting > 0 ? ", \(waiting) not polled yet" : "")
    }
}

/// The per-source lines of `feedwatch stats`, read from the saved state (so they work while
/// the daemon runs, without its lock).
enum SourceHealthReport {
    static func lines(sources: [SourceConfig], stored: [String: StoredSource]) -> [(String, String)] {
        var states: [SourceState] = []
        var perSource: [(String, String)] = []
        for config in sources {
            guard let saved = stored[config.name], URLCredentials.matches(saved: saved.configuredURL, configured: config.url),
                  saved.state.lastPoll != nil else {
                perSource.append(("source.\(config.name)", "not polled yet; url \(URLCredentials.redact(config.url))"))
                states.append(SourceState(url: config.url, nextDue: .distantPast))
                continue
            }
            let state = saved.state
            states.append(state)
            var parts = [healthText(state.health)]
            if let status = state.lastStatus { parts.append("last status \(status)") }
            if let last = state.lastPoll { parts.append("last poll \(Poller.format(last))") }
            if state.consecutiveFailures > 0 { parts.append("\(state.consecutiveFailures) failures in a row") }
            if let error = state.lastError, state.health != .ok { parts.append("last error \(error)") }
            parts.append("next poll \(Poller.format(state.nextDue))")
            parts.append("url \(URLCredentials.redact(state.url))")
            perSource.append(("source.\(config.name)", parts.joined(separator: "; ")))
        }
        let counts = SourceHealthCounts(states)
        return [
            ("sources", "\(sources.count)"), ("sources_ok", "\(counts.ok)"), ("sources_backing_off", "\(counts.backingOff)"),
            ("sources_failing", "\(counts.failing)"), ("sources_gone", "\(counts.gone)"), ("sources_not_polled", "\(counts.waiting)"),
        ] + perSource
    }

    static func healthText(_ health: SourceState.Health) -> String {
        switch health {
        case .ok: "ok"
        case .backingOff: "backing off"
        case .failing: "failing"
        case .gone: "gone"
        }
    }
}
