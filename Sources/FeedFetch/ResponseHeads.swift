import ParserSupport

/// Collects the header lines curl's header callback delivers, one response head at a time.
///
/// With redirects followed, curl passes the heads of every response in the chain (and of any
/// `100 Continue` / `103 Early Hints`) through the same callback; the status line starts a new
/// head. Keeping them apart lets the client report the final headers alone and rebuild the
/// redirect chain with each hop's status.
struct ResponseHeads {
    struct Head {
        var status: Int
        var headers = HTTPHeaders()
    }

    private(set) var heads: [Head] = []

    mutating func append(line raw: UnsafeRawBufferPointer) {
        var bytes = Array(raw)[...]
        while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
        if bytes.isEmpty { return } // the blank line that ends a head
        if bytes.starts(with: "HTTP/".utf8) {
            heads.append(Head(status: Self.status(ofStatusLine: bytes)))
            return
        }
        guard !heads.isEmpty else { return }
        let index = heads.count - 1
        if let first = bytes.first, first == 0x20 || first == 0x09 {
            // obs-fold: a continuation of the previous field's value (RFC 9112 §5.2).
            guard var last = heads[index].headers.fields.last else { return }
            last.value += " " + HeaderBytes.decode(bytes).trimmingHTTPWhitespace()
            var fields = heads[index].headers.fields
            fields[fields.count - 1] = last
            heads[index].headers = HTTPHeaders(fields)
            return
        }
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return }
        let name = HeaderBytes.decode(bytes[..<colon]).trimmingHTTPWhitespace()
        let value = HeaderBytes.decode(bytes[(colon + 1)...]).trimmingHTTPWhitespace()
        heads[index].headers.add(name: name, value: value)
    }

    /// Final heads, without interim 1xx ones.
    var finalHeads: [Head] { heads.filter { $0.status >= 200 } }

    /// The head of the response the transfer ended with.
    var last: Head? { finalHeads.last }

    /// Every 3xx head with a `Location` before the last (or, for a transfer stopped by the
    /// redirect limit, including the last), with the URL that answered it.
    ///
    /// `Location` is resolved by ParserSupport's `URIReference` (RFC 3986 §5.2, the project's one
    /// resolver), as curl resolves it when following. It is sanitized first, as curl encodes a raw
    /// space or non-ASCII byte before following it, so that a stored permanent-redirect target is
    /// always a URL curl accepts. What is left of the difference is cosmetic: curl writes `%c3`
    /// where we write `%C3`, and adds a `/` to an empty path (a redirect loop is still found, at
    /// most one hop later).
    func redirects(startingAt url: String, includingLast: Bool = false) -> [HTTPRedirect] {
        let heads = includingLast ? finalHeads : Array(finalHeads.dropLast())
        var chain: [HTTPRedirect] = []
        var current = url
        for head in heads where (300...399).contains(head.status) {
            guard let location = head.headers["Location"] else { continue }
            // The header's own bytes (UTF-8 in practice), not their Latin-1 reading, are encoded.
            let reference = URIReference(sanitizing: String(decoding: HeaderBytes.encode(location), as: UTF8.self))
            let next = reference.resolved(against: URIReference(parsing: Array(current.utf8))).string
            chain.append(HTTPRedirect(url: current, status: head.status, location: next))
            current = next
        }
        return chain
    }

    /// `HTTP/1.1 301 Moved Permanently` or `HTTP/2 200` → the three-digit code (0 if garbled).
    private static func status(ofStatusLine line: ArraySlice<UInt8>) -> Int {
        guard let space = line.firstIndex(of: UInt8(ascii: " ")) else { return 0 }
        var code = 0
        var digits = 0
        for byte in line[(space + 1)...] {
            guard byte >= 0x30, byte <= 0x39, digits < 3 else { break }
            code = code * 10 + Int(byte - 0x30)
            digits += 1
        }
        return digits == 3 ? code : 0
    }
}
