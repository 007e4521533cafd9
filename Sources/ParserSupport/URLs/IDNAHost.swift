import Foundation

/// Internationalized host names → their ASCII (`xn--`) form, so that `http://bücher.de/` and
/// `http://xn--bcher-kva.de/` are one URL in the record and in dedup. Labels are lowercased
/// and NFC-normalized (the IDNA2008 mapping that matters in practice), then Punycode-encoded
/// (RFC 3492). Hosts that are already ASCII pass through untouched.
package enum IDNAHost {
    /// `host` as written in the URL (possibly percent-encoded UTF-8); `nil` when it is ASCII
    /// already or cannot be converted (then the caller keeps it as it is).
    package static func ascii(_ host: ArraySlice<UInt8>) -> [UInt8]? {
        guard host.contains(where: { $0 >= 0x80 || $0 == UInt8(ascii: "%") }),
              let decoded = percentDecoded(host), decoded.contains(where: { $0 >= 0x80 }),
              // Spaces or punctuation in a host are not a name IDNA can express.
              decoded.allSatisfy({ $0 >= 0x80 || DateBytes.isASCIILetter($0) || DateBytes.isDigit($0)
                  || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") }),
              let text = String(validating: decoded, as: UTF8.self)
        else { return nil }
        var out = [UInt8]()
        for (k, label) in text.lowercased().precomposedStringWithCanonicalMapping
            .split(separator: ".", omittingEmptySubsequences: false).enumerated() {
            if k > 0 { out.append(UInt8(ascii: ".")) }
            if label.utf8.allSatisfy({ $0 < 0x80 }) {
                out += label.utf8
            } else {
                guard let encoded = punycode(label.unicodeScalars.map(\.value)) else { return nil }
                out += "xn--".utf8
                out += encoded
            }
        }
        return out
    }

    private static func percentDecoded(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        var out = [UInt8]()
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] == UInt8(ascii: "%") {
                guard i + 2 < bytes.endIndex, let hi = hexValue(bytes[i + 1]), let lo = hexValue(bytes[i + 2]) else {
                    return nil
                }
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static let base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700

    /// RFC 3492 §6.3 encoding; `nil` on overflow (absurdly long labels).
    package static func punycode(_ input: [UInt32]) -> [UInt8]? {
        var output: [UInt8] = input.filter { $0 < 0x80 }.map { UInt8($0) }
        let basicCount = output.count
        var handled = basicCount
        if basicCount > 0 { output.append(UInt8(ascii: "-")) }
        var n: UInt32 = 0x80
        var delta = 0
        var bias = 72
        while handled < input.count {
            guard let m = input.filter({ $0 >= n }).min() else { return nil }
            let (step, overflow) = Int(m - n).multipliedReportingOverflow(by: handled + 1)
            guard !overflow, delta <= Int.max - step else { return nil }
            delta += step
            n = m
            for c in input {
                if c < n { delta += 1 }
                guard c == n else { continue }
                var q = delta
                var k = base
                while true {
                    let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                    if q < t { break }
                    output.append(digit(t + (q - t) % (base - t)))
                    q = (q - t) / (base - t)
                    k += base
                }
                output.append(digit(q))
                bias = adapt(delta, handled + 1, handled == basicCount)
                delta = 0
                handled += 1
            }
            delta += 1
            n += 1
        }
        return output
    }

    private static func adapt(_ delta: Int, _ points: Int, _ first: Bool) -> Int {
        var d = first ? delta / damp : delta / 2
        d += d / points
        var k = 0
        while d > ((base - tMin) * tMax) / 2 {
            d /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * d / (d + skew)
    }

    private static func digit(_ d: Int) -> UInt8 {
        d < 26 ? UInt8(ascii: "a") + UInt8(d) : UInt8(ascii: "0") + UInt8(d - 26)
    }
}
