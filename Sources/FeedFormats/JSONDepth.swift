/// Nesting depth of JSON text, and the same text with everything nested too deep replaced by
/// `null`: what lets `JSONFeedParser` keep the entries of a feed that Foundation's parser refuses
/// whole for its depth. One linear pass over the bytes; strings (and their escapes) are skipped.
enum JSONDepth {
    /// Deeper than any real feed nests (entries at 3, extension objects a few more), far below
    /// Foundation's limit.
    static let keptLevels = 64

    /// `nil` when `bytes` are not nested deeper than `keptLevels` (then depth is not why they
    /// failed to parse). Otherwise the bytes with each array or object that opens below
    /// `keptLevels` replaced by `null`, and the deepest level seen.
    static func flattened(_ bytes: [UInt8]) -> (bytes: [UInt8], deepest: Int)? {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var depth = 0
        var deepest = 0
        var inString = false
        var escaped = false
        var skippingFrom: Int?  // depth at which a dropped value opened
        for b in bytes {
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                if skippingFrom == nil { out.append(b) }
                continue
            }
            switch b {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                deepest = max(deepest, depth)
                if skippingFrom == nil, depth > keptLevels {
                    skippingFrom = depth
                    out += "null".utf8
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if let from = skippingFrom, depth == from {
                    skippingFrom = nil
                    depth -= 1
                    continue
                }
                depth -= 1
            default:
                break
            }
            if skippingFrom == nil { out.append(b) }
        }
        guard deepest > keptLevels else { return nil }
        return (out, deepest)
    }
}
