public import FeedFetch

/// What one poll of a URL source came to, as far as scheduling is concerned.
///
/// Built by the poller from the client's answer (`init(response:)`, `init(error:)`) and, after
/// parsing, `.rejected` when the body could not be used. Pure data: `SourceState.record` is
/// the only place that decides what each case means.
public enum PollOutcome: Sendable, Hashable {
    /// 2xx: a body to parse; the validators to store with it.
    case fetched(HTTPValidators, redirects: [HTTPRedirect])
    /// 304: nothing new; a 304 may carry fresher validators.
    case notModified(HTTPValidators, redirects: [HTTPRedirect])
    /// Any other final status (404, 410, 429, 500, 503…), with `Retry-After` as sent.
    case httpError(status: Int, retryAfter: String?, redirects: [HTTPRedirect])
    /// No response at all (DNS, connect, TLS, timeout, body cap…).
    case transportError(HTTPClientError)
    /// A 2xx whose body the parser refused: a failure, and its validators are not kept, so
    /// the next poll fetches the whole body again instead of getting a 304 for it.
    case rejected(status: Int, message: String, redirects: [HTTPRedirect])

    public init(response: HTTPResponse) {
        switch response.status {
        case 200...299: self = .fetched(response.validators, redirects: response.redirects)
        case 304: self = .notModified(response.validators, redirects: response.redirects)
        default: self = .httpError(status: response.status, retryAfter: response.retryAfter, redirects: response.redirects)
        }
    }

    public init(error: HTTPClientError) {
        self = .transportError(error)
    }

    var redirects: [HTTPRedirect]? {
        switch self {
        case let .fetched(_, redirects), let .notModified(_, redirects), let .httpError(_, _, redirects),
             let .rejected(_, _, redirects):
            return redirects
        case .transportError:
            return nil
        }
    }
}
