/// Finds a document's own charset declaration in its first kilobyte, the way browsers'
/// prescan does: cheap byte matching, no parser, so it can run before we know how to decode.
package enum CharsetSniffer {
    private static let window = 1024

    package static func declaredCharset(in bytes: [UInt8]) -> String? {
        var b = Array(bytes.prefix(window))
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { b.removeFirst(3) }
        // `<?xml` written in UTF-16 without a BOM.
        if b.starts(with: [0x3C, 0x00, 0x3F, 0x00]) { return "utf-16le" }
        if b.starts(with: [0x00, 0x3C, 0x00, 0x3F]) { return "utf-16be" }
        var i = 0
        while i < b.count, ASCIIBytes.isSpace(b[i]) { i += 1 }
        if matches(b, at: i, "<?xml") {
            let end = find(b, "?>", from: i) ?? b.count
            if let v = attributeValue(b, named: "encoding", from: i + 5, to: end) { return v }
        }
        var k = 0
        while let start = find(b, "<meta", from: k) {
            let end = b[start...].firstIndex(of: UInt8(ascii: ">")) ?? b.count
            if let v = attributeValue(b, named: "charset", from: start + 5, to: end) { return v }
            k = start + 5
        }
        return nil
    }

    /// The value after `name` `=` (quoted or not) between `from` and `to`; also finds
    /// `charset=` inside `content="text/html; charset=…"`.
    private static func attributeValue(_ b: [UInt8], named name: String, from: Int, to: Int) -> String? {
        var k = from
        while let hit = find(b, name, from: k), hit < to {
            var i = hit + name.utf8.count
            k = i
            while i < to, ASCIIBytes.isSpace(b[i]) { i += 1 }
            guard i < to, b[i] == UInt8(ascii: "=") else { continue }
            i += 1
            while i < to, ASCIIBytes.isSpace(b[i]) { i += 1 }
            var quote: UInt8?
            if i < to, b[i] == UInt8(ascii: "\"") || b[i] == UInt8(ascii: "'") {
                quote = b[i]
                i += 1
            }
            var j = i
            while j < to {
                let c = b[j]
                if let quote, c == quote { break }
                if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") || c == UInt8(ascii: ";")
                    || c == UInt8(ascii: ">") || c == UInt8(ascii: "?") || c == UInt8(ascii: "/") && quote == nil
                    || ASCIIBytes.isSpace(c) { break }
                j += 1
            }
            if j > i { return String(decoding: b[i..<j], as: UTF8.self) }
        }
        return nil
    }

    /// Case-insensitive ASCII search.
    private static func find(_ b: [UInt8], _ needle: String, from: Int) -> Int? {
        let n = Array(needle.utf8)
        guard !n.isEmpty, b.count >= n.count else { return nil }
        var i = from
        while i + n.count <= b.count {
            if matches(b, at: i, needle) { return i }
            i += 1
        }
        return nil
    }

    private static func matches(_ b: [UInt8], at i: Int, _ needle: String) -> Bool {
        var k = i
        for c in needle.utf8 {
            guard k < b.count, ASCIIBytes.lower(b[k]) == c else { return false }
            k += 1
        }
        return true
    }
}
