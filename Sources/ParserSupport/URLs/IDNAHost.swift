import CIDN2
import Glibc

/// Internationalized host names → their ASCII (`xn--`) form, so that `http://bücher.de/`,
/// `http://ＢＵＣＨＥＲ。de/` and `http://xn--bcher-kva.de/` are one URL in the record and in dedup.
///
/// The conversion is libidn2's: UTS #46 non-transitional mapping (case folding, full-width
/// forms, the ideographic and other full stops, ß and ς kept), then the IDNA2008 checks. The
/// reference is Python's `idna.encode(host, uts46=True)`; `Tests/Fixtures/idna/hosts.json`
/// holds what it gives for a few hundred hosts and IDNATests requires agreement on every one.
/// Three steps close the gaps between libidn2's *lookup* checks and that reference:
///   - every resulting label must be letters, digits and inner hyphens (libidn2 without STD3
///     rules lets `_`, `!` and what maps to them through; with STD3 rules it drops them
///     silently instead of failing), no empty labels, length limits of RFC 1035;
///   - every `xn--` label goes through libidn2's *registration* checks as well, which add the
///     CONTEXTO rules (`l·l`, katakana middle dot, …) and reject `≠ ≮ ≯`;
///   - RFC 5893 rules 3 and 4 for right-to-left labels, which libidn2 2.3 does not check
///     (see `bidiRuleHolds`).
///
/// This file holds all of the libidn2 unsafe code. libidn2 keeps no mutable global state (its
/// tables are constant), so parsers on different threads may call it at the same time.
package enum IDNAHost {
    /// `host` as written in the URL (possibly percent-encoded UTF-8). `nil` means "keep the host
    /// as written": it is ASCII already (the caller lowercases it, which is all UTS #46 would do
    /// to it), or it is not a valid internationalized name.
    package static func ascii(_ host: ArraySlice<UInt8>) -> [UInt8]? {
        // Fast path: pure ASCII never reaches libidn2.
        guard host.contains(where: { $0 >= 0x80 || $0 == UInt8(ascii: "%") }),
              let decoded = percentDecoded(host), decoded.contains(where: { $0 >= 0x80 }),
              // Any ASCII besides letters, digits, `-` and `.` (`_`, spaces, `@`, `%`, NUL, …)
              // can never be part of a valid name, mapped or not.
              decoded.allSatisfy({ $0 >= 0x80 || ASCIIBytes.isASCIILetter($0) || ASCIIBytes.isDigit($0)
                  || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }),
              String(validating: decoded, as: UTF8.self) != nil,
              let ace = lookup(decoded),
              hasValidLabels(ace)
        else { return nil }
        // No hyphen, so no `xn--` label: the mapping left plain ASCII labels (`ＢＵＣＨＥＲ` → `bucher`).
        guard ace.contains(UInt8(ascii: "-")) else { return ace }
        guard let unicode = unicodeForm(ace) else { return nil }
        for label in unicode.split(separator: ".") where !bidiRuleHolds(label) { return nil }
        return ace
    }

    /// `idn2_lookup_u8` with
    ///   - `IDN2_NONTRANSITIONAL`: UTS #46 non-transitional processing (`straße` stays `straße`),
    ///     as Python's `transitional=False`;
    ///   - `IDN2_NFC_INPUT`: NFC before the mapping (the mapping normalizes again after it);
    ///   - no `IDN2_USE_STD3_ASCII_RULES`: Python's `std3_rules=False`; the ASCII left after
    ///     the mapping is checked in `hasValidLabels`.
    /// `IDN2_ALABEL_ROUNDTRIP` is libidn2's default: `xn--` input labels are decoded and checked.
    private static let lookupFlags = Int32(IDN2_NONTRANSITIONAL.rawValue | IDN2_NFC_INPUT.rawValue)

    /// The ASCII form of `utf8` (valid UTF-8, no NUL), `nil` when libidn2 refuses it.
    private static func lookup(_ utf8: [UInt8]) -> [UInt8]? {
        let input = utf8 + [0]
        // `out` receives a malloc'd, NUL-terminated string only when the call succeeds; it is
        // copied into Swift memory and released with `idn2_free` before returning.
        var out: UnsafeMutablePointer<UInt8>?
        let rc = input.withUnsafeBufferPointer { idn2_lookup_u8($0.baseAddress, &out, lookupFlags) }
        defer { idn2_free(out) }
        guard rc == IDN2_OK.rawValue, let out else { return nil }
        return Array(UnsafeBufferPointer(start: out, count: strlen(out)))
    }

    /// `ace` decoded back to Unicode (`xn--` labels only; the rest is ASCII already).
    private static func unicodeForm(_ ace: [UInt8]) -> String? {
        let input = ace.map { CChar(bitPattern: $0) } + [0]
        // As in `lookup`: a malloc'd NUL-terminated string on success, freed on every path.
        var out: UnsafeMutablePointer<CChar>?
        let rc = input.withUnsafeBufferPointer { idn2_to_unicode_8z8z($0.baseAddress, &out, 0) }
        defer { idn2_free(out) }
        guard rc == IDN2_OK.rawValue, let out else { return nil }
        return String(validatingCString: out)
    }

    /// IDNA2008 *registration* checks (RFC 5891 §4) on one `xn--` label: CONTEXTO rules and the
    /// code points UTS #46 lets through only without STD3 rules. Allocates nothing.
    private static func isRegistrable(_ label: ArraySlice<UInt8>) -> Bool {
        let input = Array(label) + [0]
        // Input only: with a nil output pointer libidn2 checks the label and returns a code.
        let rc = input.withUnsafeBufferPointer { idn2_register_u8(nil, $0.baseAddress, nil, 0) }
        return rc == IDN2_OK.rawValue
    }

    /// Labels of 1...63 letters, digits and hyphens, no hyphen first or last nor in positions
    /// 3–4 unless `xn--` (then registrable), at most 253 bytes without a final dot.
    private static func hasValidLabels(_ ace: [UInt8]) -> Bool {
        let name = ace.last == UInt8(ascii: ".") ? ace.dropLast() : ace[...]
        guard !name.isEmpty, name.count <= 253 else { return false }
        for label in name.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard (1...63).contains(label.count),
                  label.allSatisfy({ (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || ASCIIBytes.isDigit($0)
                      || $0 == UInt8(ascii: "-") }),
                  label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-")
            else { return false }
            let s = label.startIndex
            if label.count >= 4, label[s + 2] == UInt8(ascii: "-"), label[s + 3] == UInt8(ascii: "-") {
                guard label[s] == UInt8(ascii: "x"), label[s + 1] == UInt8(ascii: "n"), isRegistrable(label) else {
                    return false
                }
            }
        }
        return true
    }

    /// RFC 5893 rules 3 and 4 for a right-to-left label. libidn2 2.3 checks the others but
    /// accepts a label ending in `-` (or another neutral) plus combining marks, and one mixing
    /// European and Arabic-Indic digits. libidn2 has already rejected left-to-right labels with
    /// right-to-left characters, so a label with one here is a right-to-left label.
    ///
    /// Bidi classes without a Bidi_Class table: among the code points IDNA2008 permits, the
    /// right-to-left ones (R, AL, AN) are exactly the non-mark ones in the right-to-left blocks
    /// except the Extended Arabic-Indic digits (EN), and NSM is exactly the marks (Mn, Me)
    /// wherever it can occur in such a label (checked against Python's Unicode 14 tables).
    private static func bidiRuleHolds(_ label: Substring) -> Bool {
        let scalars = label.unicodeScalars
        guard scalars.contains(where: isRightToLeft) else { return true }
        // Rule 4: European (EN) and Arabic-Indic (AN) digits never together.
        if scalars.contains(where: isEuropeanDigit) && scalars.contains(where: isArabicDigit) { return false }
        // Rule 3: the last character before any trailing marks is R, AL, EN or AN.
        guard let last = scalars.last(where: { !isMark($0) }) else { return false }
        return isRightToLeft(last) || isEuropeanDigit(last)
    }

    private static func isRightToLeft(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        let inBlock = (0x0590...0x08FF).contains(v) || (0xFB1D...0xFDFF).contains(v) || (0xFE70...0xFEFF).contains(v)
            || (0x10800...0x10FFF).contains(v) || (0x1E800...0x1EFFF).contains(v)
        return inBlock && !isMark(c) && !isEuropeanDigit(c)
    }

    private static func isEuropeanDigit(_ c: Unicode.Scalar) -> Bool {
        (0x30...0x39).contains(c.value) || (0x06F0...0x06F9).contains(c.value)
    }

    private static func isArabicDigit(_ c: Unicode.Scalar) -> Bool {
        (0x0660...0x0669).contains(c.value) || (0x10D30...0x10D39).contains(c.value)
    }

    private static func isMark(_ c: Unicode.Scalar) -> Bool {
        let category = c.properties.generalCategory
        return category == .nonspacingMark || category == .enclosingMark
    }

    private static func percentDecoded(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        var out = [UInt8]()
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] == UInt8(ascii: "%") {
                guard i + 2 < bytes.endIndex, let hi = ASCIIBytes.hexValue(bytes[i + 1]), let lo = ASCIIBytes.hexValue(bytes[i + 2]) else {
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

}
