import Foundation

/// A request as the loopback server received it, for exact assertions.
public struct RecordedRequest: Sendable, Hashable {
    public struct Header: Sendable, Hashable {
        public var name: String
        /// ISO-8859-1 decoding of the raw bytes, so a non-UTF-8 validator compares byte for byte.
        public var value: String
    }

    public var method: String
    /// The request target as sent: path plus `?query`.
    public var target: String
    public var version: String
    public var headers: [Header]
    /// Which accepted connection carried it (1, 2, …): equal numbers mean a reused connection.
    public var connection: Int

    public var path: String { String(target.prefix { $0 != "?" }) }

    /// The first value of `name`, case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// What the server does with one request.
public struct ScriptedResponse: Sendable {
    public enum Body: Sendable {
        case bytes([UInt8])
        /// `Content-Length` of the whole, then one byte per `interval`.
        case drip([UInt8], interval: Duration)
        /// No length, `Connection: close`, `chunk` repeated until the client hangs up.
        case endless(chunk: [UInt8])
        /// No response at all: the connection is closed with a TCP RST (SO_LINGER 0).
        case reset
    }

    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Body
    /// Wait before answering, so concurrent requests overlap on the server.
    public var delay: Duration

    public init(status: Int = 200, headers: [(name: String, value: String)] = [], body: Body = .bytes([]),
                delay: Duration = .zero) {
        self.status = status
        self.headers = headers
        self.body = body
        self.delay = delay
    }

    public static func text(_ body: String, status: Int = 200, contentType: String = "text/plain; charset=utf-8") -> ScriptedResponse {
        ScriptedResponse(status: status, headers: [("Content-Type", contentType)], body: .bytes(Array(body.utf8)))
    }
}

/// A script for one path: a function of the request (and of how many came before it).
public struct Route: Sendable {
    let respond: @Sendable (RecordedRequest) -> ScriptedResponse

    public init(_ respond: @escaping @Sendable (RecordedRequest) -> ScriptedResponse) {
        self.respond = respond
    }

    public static func fixed(_ response: ScriptedResponse) -> Route {
        Route { _ in response }
    }

    /// A cacheable resource: 200 with the validators, or a 304 carrying them again when the
    /// request's `If-None-Match` lists the ETag (or `*`), or — with no `If-None-Match`, as
    /// RFC 9110 §13.2.2 orders it — `If-Modified-Since` equals `lastModified` exactly.
    public static func resource(_ body: [UInt8], contentType: String = "application/rss+xml; charset=utf-8",
                                etag: String? = nil, lastModified: String? = nil,
                                contentEncoding: String? = nil, extraHeaders: [(name: String, value: String)] = [],
                                delay: Duration = .zero) -> Route {
        var validators: [(name: String, value: String)] = []
        if let etag { validators.append(("ETag", etag)) }
        if let lastModified { validators.append(("Last-Modified", lastModified)) }
        var headers = [(name: "Content-Type", value: contentType)] + validators + extraHeaders
        if let contentEncoding { headers.append(("Content-Encoding", contentEncoding)) }
        let full = ScriptedResponse(status: 200, headers: headers, body: .bytes(body), delay: delay)
        let notModified = ScriptedResponse(status: 304, headers: validators, delay: delay)
        return Route { request in
            if let inm = request.header("If-None-Match") {
                let tags = inm.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                return tags.contains("*") || (etag.map { tags.contains($0) } ?? false) ? notModified : full
            }
            if let ims = request.header("If-Modified-Since"), ims == lastModified { return notModified }
            return full
        }
    }

    public static func redirect(_ status: Int, to location: String) -> Route {
        .fixed(ScriptedResponse(status: status, headers: [("Location", location)], body: .bytes(Array("moved\n".utf8))))
    }

    public static func status(_ status: Int, headers: [(name: String, value: String)] = []) -> Route {
        .fixed(ScriptedResponse(status: status, headers: headers + [("Content-Type", "text/plain")],
                                body: .bytes(Array("status \(status)\n".utf8))))
    }

    /// The responses in turn, repeating the last one: a server whose answers change between polls.
    public static func sequence(_ responses: [ScriptedResponse]) -> Route {
        let counter = Counter()
        return Route { _ in
            let index = counter.next()
            return responses.isEmpty ? ScriptedResponse(status: 500) : responses[min(index, responses.count - 1)]
        }
    }
}

/// `@unchecked Sendable`: `value` is only touched with `lock` held.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.withLock {
            defer { value += 1 }
            return value
        }
    }
}
