/// Names of rotated segments, and the pure rotation decision.
///
/// The live file is `archive.path`, e.g. `articles.jsonl`. A rotated segment keeps the live name's
/// stem and extension with its `seq` range in between, zero-padded to 12 digits so that a plain
/// `ls` lists segments in archive order: `articles.000000000001-000000052341.jsonl`. Both ends are
/// inclusive. A live name without an extension gives `articles.000000000001-000000052341`.
public struct SegmentNaming: Sendable, Hashable {
    public let stem: String
    public let ext: String

    static let digits = 12

    /// - Parameter liveName: the live file's name (last path component).
    public init(liveName: String) {
        if let dot = liveName.lastIndex(of: "."), dot != liveName.startIndex {
            stem = String(liveName[..<dot])
            ext = String(liveName[dot...])
        } else {
            stem = liveName
            ext = ""
        }
    }

    public func name(first: Int, last: Int) -> String {
        "\(stem).\(Self.pad(first))-\(Self.pad(last))\(ext)"
    }

    /// The inclusive `seq` range a segment name carries, `nil` for any other file name.
    public func range(of name: String) -> ClosedRange<Int>? {
        let prefix = stem + "."
        guard name.hasPrefix(prefix), name.hasSuffix(ext),
              name.utf8.count == prefix.utf8.count + 2 * Self.digits + 1 + ext.utf8.count else { return nil }
        let middle = Array(name.utf8.dropFirst(prefix.utf8.count).prefix(2 * Self.digits + 1))
        guard middle[Self.digits] == UInt8(ascii: "-"),
              let first = Self.number(middle[..<Self.digits]),
              let last = Self.number(middle[(Self.digits + 1)...]),
              first >= 1, first <= last else { return nil }
        return first...last
    }

    private static func pad(_ n: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, digits - s.count)) + s
    }

    private static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        var n = 0
        for b in bytes {
            guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
            n = n * 10 + Int(b - UInt8(ascii: "0"))
        }
        return n
    }
}

/// What the live file holds, and whether the next record goes into it or into a fresh segment.
///
/// A segment is closed before the record that would take it past `segmentBytes`, so segments stay
/// within the limit; a single record larger than the limit gets a segment of its own. An empty live
/// file is never rotated (it has no `seq` range to name it by).
public struct RotationPlan: Sendable, Hashable {
    public enum Decision: Sendable, Hashable {
        case append
        /// Close the live file as the segment holding `range`, then append to a new live file.
        case rotate(range: ClosedRange<Int>)
    }

    public let segmentBytes: Int64
    /// `seq` of the live file's first record; meaningful only when `records > 0`.
    public private(set) var firstSeq: Int
    public private(set) var records: Int
    public private(set) var bytes: Int64

    public init(segmentBytes: Int64, firstSeq: Int, records: Int, bytes: Int64) {
        self.segmentBytes = max(1, segmentBytes)
        self.firstSeq = firstSeq
        self.records = records
        self.bytes = bytes
    }

    /// The decision for a record of `recordBytes` bytes that will get `seq`.
    public func decide(recordBytes: Int) -> Decision {
        guard records > 0, bytes + Int64(recordBytes) > segmentBytes else { return .append }
        return .rotate(range: firstSeq...(firstSeq + records - 1))
    }

    /// Records that the live file was rotated away and a new, empty one started.
    public mutating func rotated() {
        firstSeq += records
        records = 0
        bytes = 0
    }

    public mutating func appended(seq: Int, recordBytes: Int) {
        if records == 0 { firstSeq = seq }
        records += 1
        bytes += Int64(recordBytes)
    }

    /// Rolls back to an earlier state after a failed write (the file was truncated back).
    public mutating func reset(records: Int, bytes: Int64) {
        self.records = records
        self.bytes = bytes
    }
}
