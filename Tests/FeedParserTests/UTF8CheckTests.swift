@testable import FeedParser
import Testing

/// `ArticleParser.isWellFormedUTF8` decides whether a feed's bytes go to the XML reader as they
/// are; it must agree with `String(validating:)` (what `CharsetDecoder` uses) on every input.
@Suite struct UTF8CheckTests {
    static func agrees(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { ArticleParser.isWellFormedUTF8($0) } == (String(validating: bytes, as: UTF8.self) != nil)
    }

    @Test func edgeSequences() {
        let cases: [[UInt8]] = [
            [], [0x41], [0xC2, 0x80], [0xC1, 0xBF], [0xC0, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xE0, 0x9F, 0xBF],
            [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xEF, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF0, 0x8F, 0xBF, 0xBF],
            [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF], [0x80], [0xE2, 0x82],
            Array("0123456789abcdé".utf8), Array("01234567\u{1F600}".utf8), [0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0xC3],
        ]
        for c in cases { #expect(Self.agrees(c), "\(c)") }
    }

    /// ASCII of every length around the 8- and 32-byte steps, inside a buffer whose next byte
    /// is invalid: the check must stop at the end it is given.
    @Test func asciiOfEveryLengthEndsAtTheEnd() {
        for length in 0...100 {
            let bytes = [UInt8](repeating: 0x61, count: length) + [0xFF]
            let ok = bytes.withUnsafeBufferPointer { ArticleParser.isWellFormedUTF8(UnsafeBufferPointer(rebasing: $0[..<length])) }
            #expect(ok, "\(length)")
            #expect(Self.agrees(bytes), "\(length)")
            #expect(Self.agrees(Array(bytes.dropLast()) + [0xC3, 0xA9]), "\(length)")
        }
    }

    @Test func randomBytes() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [0x41, 0x20, 0x7F, 0x80, 0xBF, 0xC2, 0xC3, 0xDF, 0xE0, 0xE2, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xA0, 0x90, 0x8F]
        for _ in 0..<3000 {
            let bytes = (0..<Int.random(in: 0..<80, using: &generator)).map { _ in
                alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]
            }
            #expect(Self.agrees(bytes), "\(bytes)")
        }
    }
}
