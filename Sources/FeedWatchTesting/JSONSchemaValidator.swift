public import Foundation

/// A JSON value as decoded, with integers, doubles and booleans kept apart (which
/// `JSONSerialization`'s `NSNumber` does not do reliably).
public enum JSONValue: Sendable, Hashable, Decodable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .integer(i) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public static func parse(_ data: Data) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data)
    }

    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// Validates JSON values against the subset of JSON Schema (2020-12) that `docs/record.schema.json`
/// uses: `type`, `const`, `enum`, `required`, `properties`, `additionalProperties` (boolean),
/// `items`, `minItems`, `minLength`, `minimum`, `pattern`, `if`/`then`/`else` and `not`.
/// A keyword outside that subset is refused when the schema is loaded, so the schema file cannot
/// grow a rule that this check would silently skip.
public struct JSONSchemaValidator: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    private let schema: JSONValue
    static let known: Set<String> = [
        "$schema", "$id", "title", "description", "type", "const", "enum", "required", "properties",
        "additionalProperties", "items", "minItems", "minLength", "minimum", "pattern", "if", "then", "else", "not",
    ]

    public init(schema: JSONValue) throws(Failure) {
        try Self.checkKeywords(schema, at: "#")
        self.schema = schema
    }

    public init(contentsOf url: URL) throws {
        try self.init(schema: JSONValue.parse(Data(contentsOf: url)))
    }

    /// Every violation, each as "path: what"; empty when `value` is valid.
    public func violations(of value: JSONValue) -> [String] {
        var out: [String] = []
        Self.check(value, against: schema, at: "$", into: &out)
        return out
    }

    private static func checkKeywords(_ schema: JSONValue, at path: String) throws(Failure) {
        guard case .object(let keywords) = schema else {
            if case .bool = schema { return }
            throw Failure(description: "\(path): a schema must be an object or a boolean")
        }
        for (key, sub) in keywords {
            guard known.contains(key) else { throw Failure(description: "\(path): keyword \(key) is not supported") }
            switch key {
            case "properties":
                if case .object(let props) = sub {
                    for (name, s) in props { try checkKeywords(s, at: "\(path)/properties/\(name)") }
                }
            case "items", "if", "then", "else", "not": try checkKeywords(sub, at: "\(path)/\(key)")
            default: break
            }
        }
    }

    private static func check(_ value: JSONValue, against schema: JSONValue, at path: String, into out: inout [String]) {
        guard case .object(let s) = schema else {
            if case .bool(false) = schema { out.append("\(path): not allowed") }
            return
        }
        if case .string(let type)? = s["type"], !matches(value, type: type) {
            out.append("\(path): is \(value.typeName), not \(type)")
            return
        }
        if let expected = s["const"], expected != value { out.append("\(path): must be \(expected)") }
        if case .array(let options)? = s["enum"], !options.contains(value) { out.append("\(path): \(value) is not one of \(options)") }
        switch value {
        case .object(let members):
            if case .array(let required)? = s["required"] {
                for case .string(let key) in required where members[key] == nil { out.append("\(path): missing \(key)") }
            }
            let props: [String: JSONValue]
            if case .object(let p)? = s["properties"] { props = p } else { props = [:] }
            for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                if let sub = props[key] {
                    check(member, against: sub, at: "\(path).\(key)", into: &out)
                } else if case .bool(false)? = s["additionalProperties"] {
                    out.append("\(path): unexpected key \(key)")
                }
            }
        case .array(let items):
            if case .integer(let n)? = s["minItems"], items.count < n { out.append("\(path): fewer than \(n) items") }
            if let sub = s["items"] {
                for (i, item) in items.enumerated() { check(item, against: sub, at: "\(path)[\(i)]", into: &out) }
            }
        case .string(let text):
            if case .integer(let n)? = s["minLength"], text.count < n { out.append("\(path): shorter than \(n)") }
            if case .string(let pattern)? = s["pattern"] {
                let regex = try? NSRegularExpression(pattern: pattern)
                let range = NSRange(text.startIndex..., in: text)
                if regex?.firstMatch(in: text, range: range) == nil { out.append("\(path): \"\(text)\" does not match \(pattern)") }
            }
        case .integer(let n):
            if case .integer(let min)? = s["minimum"], n < min { out.append("\(path): \(n) is below \(min)") }
        default: break
        }
        if let condition = s["if"] {
            var probe: [String] = []
            check(value, against: condition, at: path, into: &probe)
            if let branch = probe.isEmpty ? s["then"] : s["else"] { check(value, against: branch, at: path, into: &out) }
        }
        if let negated = s["not"] {
            var probe: [String] = []
            check(value, against: negated, at: path, into: &probe)
            if probe.isEmpty { out.append("\(path): must not match \(negated)") }
        }
    }

    private static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("integer", .integer), ("number", .integer), ("number", .number),
             ("string", .string), ("array", .array), ("object", .object): true
        default: false
        }
    }
}

extension JSONValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let b): "\(b)"
        case .integer(let i): "\(i)"
        case .number(let d): "\(d)"
        case .string(let s): "\"\(s)\""
        case .array(let a): "[\(a.map(\.description).joined(separator: ","))]"
        case .object(let o): "{\(o.keys.sorted().joined(separator: ","))}"
        }
    }
}

/// The record schema checked in at `docs/record.schema.json`.
public enum RecordSchema {
    public static let url = TestPaths.packageRoot.appendingPathComponent("docs/record.schema.json")

    /// Violations of one archive line; empty when it is a valid schema-1 record.
    public static func violations(ofLine line: some StringProtocol) throws -> [String] {
        try loaded.get().violations(of: try JSONValue.parse(Data(line.utf8)))
    }

    private static let loaded = Result<JSONSchemaValidator, any Error> {
        try JSONSchemaValidator(contentsOf: url)
    }
}
