/// ASCII case-insensitive comparisons on raw bytes, for the parse-time code that looks at tag
/// and attribute names and values without making strings of them.
package enum ASCIIBytes {
    @inline(__always)
    package static func lower(_ b: UInt8) -> UInt8 { b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") ? b | 0x20 : b }

    /// `bytes` equals the lowercase `word`, ignoring ASCII case.
    package static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        guard bytes.count == word.utf8CodeUnitCount else { return false }
        for k in 0..<bytes.count where lower(bytes[k]) != word.utf8Start[k] { return false }
        return true
    }

    /// `bytes` contains `word` (lowercase); `ignoringCase: false` compares bytes as they are.
    package static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString, ignoringCase: Bool = true) -> Bool {
        let w = word.utf8CodeUnitCount
        guard bytes.count >= w else { return false }
        outer: for i in 0...(bytes.count - w) {
            for k in 0..<w where (ignoringCase ? lower(bytes[i + k]) : bytes[i + k]) != word.utf8Start[k] { continue outer }
            return true
        }
        return false
    }
}
