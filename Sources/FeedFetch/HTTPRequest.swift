/// The validators a server handed out for a resource, kept verbatim so that the next request
/// can make it conditional (SPEC §8: "ETag / Last-Modified echoed byte for byte").
public struct HTTPValidators: Sendable, Hashable, Codable {
    public var etag: String?
    public var lastModified: String?

    public init(etag: String? = nil, lastModified: String? = nil) {
        self.etag = etag
        self.lastModified = lastModified
    }

    public var isEmpty: Bool { etag == nil && lastModified == nil }
}

public struct HTTPBasicAuth: Sendable, Hashable {
    public var user: String
    public var password: String

    public init(user: String, password: String) {
        self.user = user
        self.password = password
    }
}

/// One GET. Feeds and pages are only ever read, so there is no method or body.
public struct HTTPRequest: Sendable, Hashable {
    public var url: String
    /// Extra headers (a source's configured `headers`). `User-Agent` here overrides the client's.
    public var headers: HTTPHeaders
    /// Sent only to the host of `url`: curl drops credentials when a redirect leaves it.
    public var basicAuth: HTTPBasicAuth?
    /// `etag` → `If-None-Match`, `lastModified` → `If-Modified-Since`, byte for byte.
    public var validators: HTTPValidators

    public init(url: String, headers: HTTPHeaders = [:], basicAuth: HTTPBasicAuth? = nil,
                validators: HTTPValidators = HTTPValidators()) {
        self.url = url
        self.headers = headers
        self.basicAuth = basicAuth
        self.validators = validators
    }

    /// The header lines curl will send besides its own, in order; rejects values that would
    /// smuggle extra header lines (CR, LF or NUL).
    func headerLines() throws(HTTPClientError) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        func add(_ name: String, _ value: String) throws(HTTPClientError) {
            guard !name.isEmpty, name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") }) else {
                throw .invalidRequest("header name \"\(name)\" is not a valid HTTP token")
            }
            let bytes = HeaderBytes.encode(value)
            guard !bytes.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
                throw .invalidRequest("header \(name) contains a line break")
            }
            // "Name;" is curl's spelling for "send this header with an empty value".
            lines.append(bytes.isEmpty ? Array(name.utf8) + [UInt8(ascii: ";")]
                                       : Array(name.utf8) + Array(": ".utf8) + bytes)
        }
        for field in headers { try add(field.name, field.value) }
        if let etag = validators.etag { try add("If-None-Match", etag) }
        if let lastModified = validators.lastModified { try add("If-Modified-Since", lastModified) }
        return lines
    }
}
