/// One redirect the client followed: `url` answered `status` and pointed at `location`.
///
/// The whole chain is reported so that the caller can apply rules no single response can:
/// a feed URL is rewritten only after several consecutive permanent redirects (SPEC §8).
public struct HTTPRedirect: Sendable, Hashable, Codable {
    public var url: String
    public var status: Int
    /// The `Location` resolved against `url`, as curl followed it.
    public var location: String

    public init(url: String, status: Int, location: String) {
        self.url = url
        self.status = status
        self.location = location
    }

    /// 301 and 308 say "use the new URL from now on"; 302, 303 and 307 do not.
    public var isPermanent: Bool { status == 301 || status == 308 }
}

/// Where the time of a transfer went, measured by curl from the start of the request.
public struct HTTPTiming: Sendable, Hashable {
    public var nameLookup: Duration
    public var connect: Duration
    public var firstByte: Duration
    public var total: Duration

    public init(nameLookup: Duration = .zero, connect: Duration = .zero, firstByte: Duration = .zero,
                total: Duration = .zero) {
        self.nameLookup = nameLookup
        self.connect = connect
        self.firstByte = firstByte
        self.total = total
    }
}

/// A complete response. Any status is a response, not an error: 304, 410 and 429 are
/// information the poller acts on.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// The headers of the last response only (not of the redirects before it).
    public var headers: HTTPHeaders
    /// Decoded (decompressed) body, at most `HTTPClientConfiguration.maxBodyBytes`.
    public var body: [UInt8]
    /// The URL that produced this response, after redirects.
    public var url: String
    public var redirects: [HTTPRedirect]
    public var timing: HTTPTiming
    /// Connections curl had to open for this transfer; 0 means an idle one was reused.
    public var newConnections: Int

    public init(status: Int, headers: HTTPHeaders, body: [UInt8], url: String,
                redirects: [HTTPRedirect] = [], timing: HTTPTiming = HTTPTiming(), newConnections: Int = 0) {
        self.status = status
        self.headers = headers
        self.body = body
        self.url = url
        self.redirects = redirects
        self.timing = timing
        self.newConnections = newConnections
    }

    public var isSuccess: Bool { (200...299).contains(status) }

    /// The media type of `Content-Type`, lowercased, without parameters.
    public var mediaType: String? { headers["Content-Type"].map { ContentType($0).mediaType } }

    /// The `charset` parameter of `Content-Type`, unquoted; outranks in-document declarations.
    public var charset: String? { headers["Content-Type"].flatMap { ContentType($0).charset } }

    /// The validators to store for the next conditional request, exactly as sent.
    public var validators: HTTPValidators {
        HTTPValidators(etag: headers["ETag"], lastModified: headers["Last-Modified"])
    }

    /// `Retry-After` as sent (delta-seconds or an HTTP-date); the poller interprets it.
    public var retryAfter: String? { headers["Retry-After"] }
}

/// `type/subtype; param=value; param="quoted value"` (RFC 9110 §8.3).
struct ContentType {
    var mediaType: String
    var charset: String?

    init(_ value: String) {
        var parts = value.split(separator: ";", omittingEmptySubsequences: false).makeIterator()
        mediaType = (parts.next().map(String.init) ?? "").trimmingHTTPWhitespace().lowercased()
        charset = nil
        while let part = parts.next() {
            guard let eq = part.firstIndex(of: "=") else { continue }
            let name = String(part[..<eq]).trimmingHTTPWhitespace().lowercased()
            var raw = String(part[part.index(after: eq)...]).trimmingHTTPWhitespace()
            if raw.count >= 2, raw.hasPrefix("\""), raw.hasSuffix("\"") {
                raw = Self.unquote(raw.dropFirst().dropLast())
            }
            if name == "charset", !raw.isEmpty, charset == nil { charset = raw }
        }
    }

    /// The inside of a quoted-string with its backslash escapes resolved.
    private static func unquote(_ quoted: Substring) -> String {
        var out = ""
        var escaped = false
        for character in quoted {
            if !escaped && character == "\\" { escaped = true; continue }
            escaped = false
            out.append(character)
        }
        return out
    }
}

extension String {
    /// Strips spaces and tabs, the only white space HTTP allows around values.
    func trimmingHTTPWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
