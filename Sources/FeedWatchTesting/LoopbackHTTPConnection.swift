import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One accepted connection of `LoopbackHTTPServer`: reads request heads, answers each from
/// the script, and keeps the connection open between requests unless told otherwise.
struct LoopbackHTTPConnection {
    let fd: Int32
    let number: Int
    let server: LoopbackHTTPServerCore

    private static let maxHeadBytes = 64 * 1024

    func serve() {
        var buffer: [UInt8] = []
        while !server.isStopping {
            guard let end = Self.endOfHead(in: buffer) else {
                guard buffer.count < Self.maxHeadBytes else {
                    _ = LoopbackSocket.sendAll(fd, Array("HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
                    return
                }
                guard LoopbackSocket.waitReadable(fd, timeoutMilliseconds: 50) else { continue }
                guard LoopbackSocket.receive(fd, into: &buffer) != nil else { return }
                continue
            }
            guard let request = parse(Array(buffer[..<end])) else {
                _ = LoopbackSocket.sendAll(fd, Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
                return
            }
            buffer.removeFirst(end + 4)
            guard discardBody(of: request, buffered: &buffer) else { return }
            let response = server.received(request)
            let keepAlive = answer(request, with: response)
            server.answered()
            if !keepAlive { return }
        }
    }

    /// Index of the `\r\n\r\n` that ends the head.
    private static func endOfHead(in buffer: [UInt8]) -> Int? {
        guard buffer.count >= 4 else { return nil }
        for i in 0...(buffer.count - 4)
        where buffer[i] == 0x0D && buffer[i + 1] == 0x0A && buffer[i + 2] == 0x0D && buffer[i + 3] == 0x0A {
            return i
        }
        return nil
    }

    private func parse(_ head: [UInt8]) -> RecordedRequest? {
        let text = head.map { Character(Unicode.Scalar($0)) }
        let lines = String(text).components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ")
        guard requestLine.count == 3 else { return nil }
        var headers: [RecordedRequest.Header] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            headers.append(RecordedRequest.Header(
                name: String(line[..<colon]),
                value: line[line.index(after: colon)...].trimmingCharacters(in: CharacterSet(charactersIn: " \t"))))
        }
        return RecordedRequest(method: String(requestLine[0]), target: String(requestLine[1]),
                               version: String(requestLine[2]), headers: headers, connection: number)
    }

    /// Reads and drops a request body announced by `Content-Length` (GETs normally have none).
    private func discardBody(of request: RecordedRequest, buffered buffer: inout [UInt8]) -> Bool {
        var remaining = request.header("Content-Length").flatMap { Int($0) } ?? 0
        while remaining > 0 {
            if buffer.isEmpty, LoopbackSocket.receive(fd, into: &buffer) == nil { return false }
            let take = min(remaining, buffer.count)
            buffer.removeFirst(take)
            remaining -= take
        }
        return true
    }

    /// Writes the scripted response. - Returns: whether the connection may carry another request.
    private func answer(_ request: RecordedRequest, with response: ScriptedResponse) -> Bool {
        guard server.pause(response.delay) else { return false }
        var keepAlive = request.version == "HTTP/1.1"
            ? request.header("Connection")?.lowercased() != "close"
            : request.header("Connection")?.lowercased() == "keep-alive"
        let bodyless = request.method == "HEAD" || response.status == 304 || response.status == 204
            || (100...199).contains(response.status)
        var head = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n"
        for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
        switch response.body {
        case .reset:
            LoopbackSocket.reset(fd)
            return false
        case let .bytes(bytes):
            if !bodyless { head += "Content-Length: \(bytes.count)\r\n" }
        case let .drip(bytes, _):
            head += "Content-Length: \(bytes.count)\r\n"
        case .endless:
            keepAlive = false
        }
        if !keepAlive { head += "Connection: close\r\n" }
        head += "\r\n"
        guard LoopbackSocket.sendAll(fd, head.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }) else { return false }
        guard !bodyless else { return keepAlive }
        switch response.body {
        case .reset:
            return false
        case let .bytes(bytes):
            guard LoopbackSocket.sendAll(fd, bytes) else { return false }
            server.sent(bodyBytes: bytes.count, for: request.path)
        case let .drip(bytes, interval):
            for byte in bytes {
                guard LoopbackSocket.sendAll(fd, [byte]) else { return false }
                server.sent(bodyBytes: 1, for: request.path)
                guard server.pause(interval) else { return false }
            }
        case let .endless(chunk):
            while !server.isStopping, !chunk.isEmpty, LoopbackSocket.sendAll(fd, chunk) {
                server.sent(bodyBytes: chunk.count, for: request.path)
            }
            return false
        }
        return keepAlive
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 404: "Not Found"
        case 410: "Gone"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status \(status)"
        }
    }
}
