import CCurl

/// Why a request produced no response.
///
/// A struct over a private reason (not a public enum) so reasons can be added without breaking
/// callers; callers branch on `category`, which is what the scheduler needs to pick a delay
/// and what `stats` shows. The curl code and curl's own text are kept for the log line.
public struct HTTPClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Coarse classes of failure. Extensible: compare with the static members.
    public struct Category: Sendable, Hashable, CustomStringConvertible {
        public let description: String
        private init(_ name: String) { description = name }

        /// Connect, total or low-speed timeout.
        public static let timeout = Category("timeout")
        /// The decoded body would exceed `maxBodyBytes`.
        public static let bodyTooLarge = Category("body too large")
        /// DNS, refused or reset connections, send/receive failures.
        public static let network = Category("network")
        /// Handshake or certificate verification failed.
        public static let tls = Category("tls")
        public static let tooManyRedirects = Category("too many redirects")
        /// A redirect chain that came back to a URL it had already visited.
        public static let redirectLoop = Category("redirect loop")
        /// Anything but http/https, asked for directly or through a redirect.
        public static let unsupportedScheme = Category("unsupported scheme")
        /// The server answered something that is not HTTP, or undecodable content.
        public static let invalidResponse = Category("invalid response")
        /// The request itself is malformed (bad URL, header with a line break).
        public static let invalidRequest = Category("invalid request")
        /// The client was shut down with the request still queued.
        public static let shutdown = Category("shutdown")
        public static let other = Category("other")
    }

    private enum Reason: Sendable, Hashable {
        case curl(code: Int, text: String, detail: String)
        case bodyTooLarge(limit: Int)
        case redirectLoop(chain: [String])
        case invalidRequest(String)
        case unsupportedScheme(String)
        case shutdown
    }

    private let reason: Reason
    /// The URL requested.
    public private(set) var url: String?

    private init(_ reason: Reason, url: String? = nil) {
        self.reason = reason
        self.url = url
    }

    /// The `CURLcode`, when curl reported the failure.
    public var curlCode: Int? {
        if case let .curl(code, _, _) = reason { return code }
        return nil
    }

    public var category: Category {
        switch reason {
        case let .curl(code, _, _): return Self.category(ofCurlCode: code)
        case .bodyTooLarge: return .bodyTooLarge
        case .redirectLoop: return .redirectLoop
        case .invalidRequest: return .invalidRequest
        case .unsupportedScheme: return .unsupportedScheme
        case .shutdown: return .shutdown
        }
    }

    public var description: String {
        let message: String
        switch reason {
        case let .curl(code, text, detail):
            var what = detail.isEmpty || detail == text ? text : detail
            if code == Int(CURLE_OUT_OF_MEMORY.rawValue) {
                // libcurl refuses a header line over CURL_MAX_HTTP_HEADER (100 KB) with this code:
                // in a feed fetch that, not the machine's memory, is what it nearly always means.
                what = "the server sent a header line longer than curl's limit (100 KB), or curl ran out of memory"
            }
            message = "\(what) (curl error \(code): \(text))"
        case let .bodyTooLarge(limit):
            message = "body exceeds \(limit) bytes; raise [http] max_bytes if this source is legitimately that large"
        case let .redirectLoop(chain):
            message = "redirect loop: " + chain.map(URLCredentials.redact).joined(separator: " → ")
        case let .invalidRequest(why):
            message = why
        case let .unsupportedScheme(scheme):
            message = "only http and https URLs can be fetched, not \(scheme.isEmpty ? "a URL without a scheme" : scheme)"
        case .shutdown:
            message = "the HTTP client shut down before the request completed"
        }
        // Credentials in the URL stay out of every message (logs, `stats`, sources.json).
        return url.map { "\(URLCredentials.redact($0)): \(message)" } ?? message
    }

    static func curl(code: CURLcode, detail: String, url: String?) -> HTTPClientError {
        let text = curl_easy_strerror(code).map { String(cString: $0) } ?? "unknown curl error"
        return HTTPClientError(.curl(code: Int(code.rawValue), text: text, detail: detail), url: url)
    }

    static func bodyTooLarge(limit: Int, url: String) -> HTTPClientError {
        HTTPClientError(.bodyTooLarge(limit: limit), url: url)
    }

    static func redirectLoop(_ chain: [String], url: String) -> HTTPClientError {
        HTTPClientError(.redirectLoop(chain: chain), url: url)
    }

    static func invalidRequest(_ why: String, url: String? = nil) -> HTTPClientError {
        HTTPClientError(.invalidRequest(why), url: url)
    }

    static func unsupportedScheme(_ scheme: String, url: String) -> HTTPClientError {
        HTTPClientError(.unsupportedScheme(scheme), url: url)
    }

    static let shutdown = HTTPClientError(.shutdown)

    func with(url: String) -> HTTPClientError {
        var copy = self
        copy.url = url
        return copy
    }

    private static func category(ofCurlCode raw: Int) -> Category {
        let code = CURLcode(rawValue: UInt32(clamping: raw))
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout
        case CURLE_TOO_MANY_REDIRECTS:
            return .tooManyRedirects
        case CURLE_UNSUPPORTED_PROTOCOL:
            return .unsupportedScheme
        case CURLE_URL_MALFORMAT, CURLE_BAD_FUNCTION_ARGUMENT:
            return .invalidRequest
        case CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT,
             CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE,
             CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_HTTP3, CURLE_QUIC_CONNECT_ERROR, CURLE_PROXY:
            return .network
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
             CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE,
             CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
             CURLE_SSL_ENGINE_INITFAILED, CURLE_USE_SSL_FAILED, CURLE_SSL_CLIENTCERT:
            return .tls
        case CURLE_WEIRD_SERVER_REPLY, CURLE_BAD_CONTENT_ENCODING, CURLE_RANGE_ERROR, CURLE_OUT_OF_MEMORY:
            return .invalidResponse
        default:
            return .other
        }
    }
}
