/// `TextNormalizer.paragraph` on UTF-8 bytes: the same rules (white space runs → one space,
/// controls and noncharacters out, no leading no-break space, trailing spaces and no-break
/// spaces trimmed, NFC), appended to a byte buffer.
///
/// Why: the scalar iterator decoded every byte of every title, tag, author and plain-text body;
/// runs of visible ASCII (most of any feed's text) are now copied whole, and only bytes ≥ 0x80
/// are decoded. A feed body of several paragraphs is written into one buffer, with no String per
/// paragraph (`FeedText.body`). Input must be valid UTF-8 (it comes from Strings).
package enum ParagraphBytes {
    /// Appends the normalized paragraph of `b` to `out`; returns whether it appended anything.
    @discardableResult
    package static func append(_ b: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
        let start = out.count
        let n = b.count
        var pendingSpace = false
        var needsNFC = false
        var i = 0
        while i < n {
            let c = b[i]
            if c < 0x80 {
                if c > 0x20, c < 0x7F {
                    if pendingSpace {
                        out.append(0x20)
                        pendingSpace = false
                    }
                    let j = visibleRunEnd(b, from: i + 1)
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<j]))
                    i = j
                    continue
                }
                if c == 0x20 || (c >= 0x09 && c <= 0x0D) {
                    pendingSpace = out.count > start
                }
                // Any other C0 control and DEL: dropped.
                i += 1
                continue
            }
            let length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2
            guard i + length <= n else { break } // valid UTF-8 never ends mid-scalar
            var v = UInt32(c) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
            for k in 1..<length { v = v << 6 | UInt32(b[i + k] & 0x3F) }
            if v == 0x2028 || v == 0x2029 {
                pendingSpace = out.count > start
            } else if TextNormalizer.isControl(v) || (v == 0xA0 && out.count == start) {
                // dropped
            } else {
                if pendingSpace {
                    out.append(0x20)
                    pendingSpace = false
                }
                if v >= 0x300, !needsNFC, !TextNormalizer.isStableLetter(v), let u = Unicode.Scalar(v) {
                    needsNFC = TextNormalizer.mayChangeUnderNFC(u)
                }
                // A visible scalar: the run after it goes in whole, as after visible ASCII.
                let j = visibleRunEnd(b, from: i + length)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<j]))
                i = j
                continue
            }
            i += length
        }
        while out.count > start {
            if out[out.count - 1] == 0x20 {
                out.removeLast()
            } else if out.count - start >= 2, out[out.count - 1] == 0xA0, out[out.count - 2] == 0xC2 {
                out.removeLast(2)
            } else {
                break
            }
        }
        if needsNFC {
            let composed = TextNormalizer.composedNFC(String(decoding: out[start...], as: UTF8.self))
            out.removeSubrange(start...)
            out.append(contentsOf: composed.utf8)
        }
        return out.count > start
    }

    /// Where the run of visible ASCII from `start` ends, single spaces between visible bytes
    /// included (each would be written as it is: nothing is pending after a visible byte).
    /// Eight bytes at a time whenever they are such bytes and do not end in a space (a chunk
    /// ending in one takes a byte step or two, then the next chunk is tried whole again).
    @inline(__always)
    private static func visibleRunEnd(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let n = b.count
        var j = start
        let spaceBytes = UInt64(0x2020_2020_2020_2020)
        while j < n {
            if j + 8 <= n, let base = b.baseAddress {
                let x = UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self)
                if ASCIIBytes.isPrintableASCII(x) {
                    // No two spaces in a row (the byte before `j` is visible), none last.
                    let spaces = ASCIIBytes.zeroBytes(x ^ spaceBytes)
                    if spaces & (spaces << 8) == 0, spaces >> 63 == 0 {
                        j += 8
                        continue
                    }
                }
            }
            let c = b[j]
            if c > 0x20, c < 0x7F {
                j += 1
            } else if let length = plainScalarLength(b, at: j) {
                j += length
            } else if c == 0x20, j + 1 < n, b[j + 1] > 0x20, b[j + 1] < 0x7F || plainScalarLength(b, at: j + 1) != nil {
                j += 1
            } else {
                break
            }
        }
        return j
    }

    /// The length of the scalar at `j` when it is one the rules copy as it is and that never
    /// leaves NFC: Latin letters U+00C0…U+02FF, Cyrillic U+0400…U+047F, CJK ideographs
    /// U+4E00…U+9FFF (`TextNormalizer.isStableLetter`'s ranges, no space, control or mark);
    /// nil for anything else. The lead byte says it, the input being valid UTF-8.
    @inline(__always)
    private static func plainScalarLength(_ b: UnsafeBufferPointer<UInt8>, at j: Int) -> Int? {
        let c = b[j]
        if (c >= 0xC3 && c <= 0xCB) || c == 0xD0 || c == 0xD1 { return j + 2 <= b.count ? 2 : nil }
        if (c >= 0xE5 && c <= 0xE9) || (c == 0xE4 && j + 1 < b.count && b[j + 1] >= 0xB8) { return j + 3 <= b.count ? 3 : nil }
        return nil
    }
}
