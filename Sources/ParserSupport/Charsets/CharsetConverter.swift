import Glibc

/// Byte conversions to UTF-8: windows-1252 natively (it is the fallback for every broken
/// document, and glibc's CP1252 refuses the five bytes WHATWG maps to C1 controls), all other
/// legacy charsets through glibc iconv (Foundation's string encodings lack most of them on Linux).
package enum CharsetConverter {
    package struct Failure: Error {
        package var message: String
    }

    /// windows-1252 → UTF-8; never fails (every byte has a meaning under WHATWG).
    package static func windows1252(_ bytes: some Collection<UInt8>) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + bytes.count / 4)
        for b in bytes {
            if b < 0x80 {
                out.append(b)
                continue
            }
            let v: UInt32 = b < 0xA0 ? UInt32(c1Table[Int(b - 0x80)]) : UInt32(b)
            if v < 0x800 {
                out.append(UInt8(0xC0 | (v >> 6)))
                out.append(UInt8(0x80 | (v & 0x3F)))
            } else {
                out.append(UInt8(0xE0 | (v >> 12)))
                out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
                out.append(UInt8(0x80 | (v & 0x3F)))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `from` (an iconv name) → UTF-8. Undecodable bytes become U+FFFD and decoding goes on;
    /// throws only when iconv does not know the charset. The pointers are iconv's C interface.
    package static func iconv(_ bytes: [UInt8], from charset: String) throws(Failure) -> (text: String, replaced: Int) {
        let cd = iconv_open("UTF-8", charset)
        guard let cd, cd != iconv_t(bitPattern: -1) else {
            let err = errno
            throw Failure(message: "iconv cannot convert from \(charset) (errno \(err): \(String(cString: strerror(err))))")
        }
        defer { iconv_close(cd) }
        var out = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        var produced = 0
        var replaced = 0
        var input = bytes
        input.withUnsafeMutableBufferPointer { inBuf in
            guard let inBase = inBuf.baseAddress else { return }
            var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBase).assumingMemoryBound(to: CChar.self)
            var inLeft = inBuf.count
            while inLeft > 0 {
                if out.count - produced < 16 { out.append(contentsOf: repeatElement(0, count: out.count)) }
                let (rc, err, written) = out.withUnsafeMutableBufferPointer { outBuf -> (Int, Int32, Int) in
                    // `out` always holds at least 16 bytes here, so it has storage.
                    guard let base = outBuf.baseAddress else { return (0, 0, 0) }
                    let start = base + produced
                    var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(start).assumingMemoryBound(to: CChar.self)
                    var outLeft = outBuf.count - produced
                    let before = outLeft
                    let rc = Glibc.iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                    return (rc, rc == -1 ? errno : 0, before - outLeft)
                }
                produced += written
                guard rc == -1 else { break }
                switch err {
                case E2BIG:
                    out.append(contentsOf: repeatElement(0, count: out.count))
                case EILSEQ, EINVAL:
                    // Skip one byte, write U+FFFD, go on: one bad byte must not lose the document.
                    if out.count - produced < 3 { out.append(contentsOf: repeatElement(0, count: out.count)) }
                    out[produced] = 0xEF
                    out[produced + 1] = 0xBF
                    out[produced + 2] = 0xBD
                    produced += 3
                    replaced += 1
                    inPtr = inPtr.map { $0 + 1 }
                    inLeft -= 1
                default:
                    inLeft = 0
                }
            }
        }
        return (String(decoding: out[0..<produced], as: UTF8.self), replaced)
    }

    /// U+0080…U+009F as WHATWG's windows-1252 maps bytes 0x80…0x9F.
    private static let c1Table: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]
}
