/// `&name;`, `&#123;` and `&#x7B;` outside the HTML parser (markup-free feed text).
package enum CharacterReference {
    /// The scalar a reference starting at `bytes[start]` (an `&`) stands for, and its length
    /// including the `;`. `nil` when it is not a well-formed reference: the `&` is then text.
    package static func decode(_ bytes: [UInt8], at start: Int) -> (Unicode.Scalar, Int)? {
        var i = start + 1
        guard i < bytes.count else { return nil }
        if bytes[i] == UInt8(ascii: "#") {
            i += 1
            var hex = false
            if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "x") { hex = true; i += 1 }
            var value: UInt32 = 0
            var digits = 0
            while i < bytes.count, digits < 8, let d = digit(bytes[i], hex: hex) {
                value = value * (hex ? 16 : 10) + d
                digits += 1
                i += 1
            }
            guard digits > 0, i < bytes.count, bytes[i] == UInt8(ascii: ";") else { return nil }
            return (scalar(forCode: value), i + 1 - start)
        }
        var name = [UInt8]()
        while i < bytes.count, name.count < 32, isAlnum(bytes[i]) {
            name.append(bytes[i])
            i += 1
        }
        guard !name.isEmpty, i < bytes.count, bytes[i] == UInt8(ascii: ";"),
              let s = NamedCharacterReferences.scalar(named: name)
        else { return nil }
        return (s, i + 1 - start)
    }

    /// Numeric references as browsers read them: 128–159 are windows-1252 (`&#146;` is ’),
    /// and anything that is not a scalar becomes U+FFFD.
    package static func scalar(forCode value: UInt32) -> Unicode.Scalar {
        if (0x80...0x9F).contains(value) {
            let cp1252: [UInt16] = [0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6,
                                    0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018,
                                    0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161,
                                    0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178]
            return Unicode.Scalar(cp1252[Int(value - 0x80)]) ?? "\u{FFFD}"
        }
        guard value != 0, let s = Unicode.Scalar(value) else { return "\u{FFFD}" }
        return s
    }

    private static func digit(_ b: UInt8, hex: Bool) -> UInt32? {
        if hex { return ASCIIBytes.hexValue(b).map(UInt32.init) }
        return ASCIIBytes.isDigit(b) ? UInt32(b &- 0x30) : nil
    }

    private static func isAlnum(_ b: UInt8) -> Bool { ASCIIBytes.isASCIILetter(b) || ASCIIBytes.isDigit(b) }
}
