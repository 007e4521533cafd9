/// One header line as it travelled, name and value untouched.
public struct HTTPHeaderField: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// An ordered header list with case-insensitive lookup.
///
/// Order and duplicates are kept because feeds' servers send repeated headers (`Set-Cookie`,
/// `Link`) and tests assert on exactly what was sent. Values are ISO-8859-1 decodings of the raw
/// bytes, so every byte round-trips: a validator read here and echoed back by the client is
/// the same byte sequence the server sent, even when it is not UTF-8.
public struct HTTPHeaders: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public private(set) var fields: [HTTPHeaderField]

    public init(_ fields: [HTTPHeaderField] = []) {
        self.fields = fields
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { HTTPHeaderField(name: $0.0, value: $0.1) }
    }

    public mutating func add(name: String, value: String) {
        fields.append(HTTPHeaderField(name: name, value: value))
    }

    /// The first value of `name`, compared case-insensitively (RFC 9110 §5.1).
    public subscript(name: String) -> String? {
        fields.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public func values(for name: String) -> [String] {
        let key = name.lowercased()
        return fields.filter { $0.name.lowercased() == key }.map(\.value)
    }

    public var isEmpty: Bool { fields.isEmpty }

    public func makeIterator() -> IndexingIterator<[HTTPHeaderField]> { fields.makeIterator() }
}

/// Header text ↔ bytes under the ISO-8859-1 convention `HTTPHeaders` documents.
enum HeaderBytes {
    static func decode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
        return String(scalars)
    }

    /// ISO-8859-1 when every scalar fits in a byte (so decoded validators go back unchanged);
    /// otherwise UTF-8, which is what a person typing a non-Latin header value in a config means.
    static func encode(_ string: String) -> [UInt8] {
        if string.unicodeScalars.allSatisfy({ $0.value <= 0xFF }) {
            return string.unicodeScalars.map { UInt8($0.value) }
        }
        return Array(string.utf8)
    }
}
