import SystemPackage
import SystemSupport

/// Where the snapshot's coverage of the archive ends.
///
/// A file is named by the `seq` of its first record rather than by its name, because the live file
/// keeps its records when it is renamed into a segment: a snapshot taken before a rotation still
/// finds its position afterwards. `fileName` is only for messages.
struct ArchivePosition: Hashable, Sendable {
    /// `seq` of the first record of the file holding the position; 0 when nothing is covered.
    var fileFirstSeq: Int
    var fileName: String
    /// End of the last covered record (just past its "\n").
    var offset: Int64
    /// Start of the last covered record, to check it is still there.
    var lastLineStart: Int64
    var lastSeq: Int

    static let start = ArchivePosition(fileFirstSeq: 0, fileName: "", offset: 0, lastLineStart: 0, lastSeq: 0)
}

/// A 64-bit checksum over 8-byte words (the xxHash64 round function, one lane): fast enough to
/// verify a 50 MB snapshot in milliseconds, and any flipped bit changes it.
struct Checksum64 {
    private(set) var value: UInt64 = 0x27D4_EB2F_1656_67C5

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count % 8 == 0, "snapshot sections are whole words")
        var acc = value
        var k = 0
        while k < bytes.count {
            let w = bytes.loadUnaligned(fromByteOffset: k, as: UInt64.self)
            acc ^= w &* 0xC2B2_AE3D_27D4_EB4F
            acc = (acc << 31 | acc >> 33) &* 0x9E37_79B1_85EB_CA87
            k += 8
        }
        value = acc
    }
}

/// The dedup index on disk: a 192-byte header, then every digest (32 bytes each) and every identity
/// key (16 bytes each) in `seq` order, then the id table's and the identity table's slots (4 bytes
/// each), in this machine's byte order (it is a cache; another machine rebuilds it from the archive).
/// Storing the tables as they are makes loading a read and a checksum: re-inserting a million keys
/// took most of a second, a random memory access or more per key.
///
/// Header: magic `FWDEDUP\0`, version (u32), header size (u32), records, last seq, duplicates
/// suppressed, covered file's first seq, covered offset, last covered line's start (u64 each), the
/// covered file's name (u16 length + up to 54 bytes), checksum (u64 at byte 120) over the header
/// (checksum zeroed) and the body; at byte 128 the id table's capacity and count, the identity
/// table's capacity and count (u64 each).
enum IndexSnapshot {
    static let fileName = "dedup-index.bin"
    static let headerBytes = 192
    private static let magic: UInt64 = 0x0045_5550_4544_5746 // "FWDEDUP\0" read as little-endian
    private static let version: UInt32 = 2

    struct Loaded {
        var index: DedupIndex
        var position: ArchivePosition
        var duplicatesSuppressed: Int
    }

    /// Writes atomically through `AtomicFile.replace` (temp file, fsync, rename, directory fsync):
    /// a crash at any point leaves the old snapshot or the new one, never a mix.
    static func save(_ index: DedupIndex, position: ArchivePosition, duplicatesSuppressed: Int,
                     stateDirectory: FilePath) throws(ArchiveError) {
        precondition(position.lastSeq == index.records, "a snapshot covers exactly the indexed records")
        let final = stateDirectory.appending(fileName)
        do {
            try AtomicFile.replace(final, temporaryName: fileName + ".tmp",
                                   permissions: [.ownerReadWrite, .groupRead, .otherRead]) { (fd) throws(ArchiveError) in
                let file = ArchiveFile(fd: fd, path: stateDirectory.appending(fileName + ".tmp"))
                var header = [UInt8](repeating: 0, count: headerBytes)
                header.withUnsafeMutableBytes { h in
                    h.storeBytes(of: magic, toByteOffset: 0, as: UInt64.self)
                    h.storeBytes(of: version, toByteOffset: 8, as: UInt32.self)
                    h.storeBytes(of: UInt32(headerBytes), toByteOffset: 12, as: UInt32.self)
                    let words = [index.records, position.lastSeq, duplicatesSuppressed, position.fileFirstSeq,
                                 Int(position.offset), Int(position.lastLineStart)]
                    for (k, w) in words.enumerated() {
                        h.storeBytes(of: UInt64(w), toByteOffset: 16 + 8 * k, as: UInt64.self)
                    }
                    let name = Array(position.fileName.utf8.prefix(54))
                    h.storeBytes(of: UInt16(name.count), toByteOffset: 64, as: UInt16.self)
                    for (k, b) in name.enumerated() { h[66 + k] = b }
                    let tables = [index.idTable.capacity, index.idTable.count,
                                  index.identityTable.capacity, index.identityTable.count]
                    for (k, w) in tables.enumerated() {
                        h.storeBytes(of: UInt64(w), toByteOffset: 128 + 8 * k, as: UInt64.self)
                    }
                }
                var sum = Checksum64()
                header.withUnsafeBytes { sum.update($0) }
                index.digests.withChunks { sum.update(UnsafeRawBufferPointer($0)) }
                index.identities.withChunks { sum.update(UnsafeRawBufferPointer($0)) }
                index.idTable.withSlots { sum.update(UnsafeRawBufferPointer($0)) }
                index.identityTable.withSlots { sum.update(UnsafeRawBufferPointer($0)) }
                header.withUnsafeMutableBytes { $0.storeBytes(of: sum.value, toByteOffset: 120, as: UInt64.self) }
                try file.writeAll(header)
                try index.digests.withChunks { (c) throws(ArchiveError) in try file.writeAll(UnsafeRawBufferPointer(c)) }
                try index.identities.withChunks { (c) throws(ArchiveError) in try file.writeAll(UnsafeRawBufferPointer(c)) }
                try index.idTable.withSlots { (c) throws(ArchiveError) in try file.writeAll(UnsafeRawBufferPointer(c)) }
                try index.identityTable.withSlots { (c) throws(ArchiveError) in try file.writeAll(UnsafeRawBufferPointer(c)) }
            }
        } catch {
            switch error {
            case let .write(e): throw e
            case let .system(e): throw .system(e.call, FilePath(e.path ?? final.string), e.errno)
            }
        }
    }

    /// The snapshot, or why it cannot be used (missing, damaged, other version).
    static func load(stateDirectory: FilePath) -> Result<Loaded, ArchiveError> {
        let path = stateDirectory.appending(fileName)
        guard Directory.exists(path) else { return .failure(ArchiveError("no index snapshot at \(path)")) }
        do throws(ArchiveError) {
            let file = try ArchiveFile.open(path, .readOnly)
            defer { file.close() }
            var header = try file.readBytes(at: 0, count: headerBytes)
            guard header.count == headerBytes else { throw ArchiveError("index snapshot \(path) is truncated") }
            let fields = header.withUnsafeBytes { h in
                (h.load(fromByteOffset: 0, as: UInt64.self), h.load(fromByteOffset: 8, as: UInt32.self),
                 (0..<6).map { Int(truncatingIfNeeded: h.load(fromByteOffset: 16 + 8 * $0, as: UInt64.self)) }
                    + (0..<4).map { Int(truncatingIfNeeded: h.load(fromByteOffset: 128 + 8 * $0, as: UInt64.self)) },
                 Int(h.load(fromByteOffset: 64, as: UInt16.self)), h.load(fromByteOffset: 120, as: UInt64.self))
            }
            let (m, v, words, nameLength, stored) = fields
            guard m == magic, v == version else { throw ArchiveError("index snapshot \(path) has another format or version") }
            let records = words[0]
            guard records >= 0, records < Int(UInt32.max), words[1] == records, words[2] >= 0, nameLength <= 54,
                  words[3] >= 0, words[4] >= 0, words[5] >= 0, words[5] <= words[4],
                  SeqTable.isPlausible(capacity: words[6], count: words[7]), words[7] == records,
                  SeqTable.isPlausible(capacity: words[8], count: words[9]), words[9] <= records,
                  words[6] < Int(UInt32.max), words[8] < Int(UInt32.max) else {
                throw ArchiveError("index snapshot \(path) has an inconsistent header")
            }
            let size = try file.size()
            let expected = headerBytes + records * 48 + (words[6] + words[8]) * 4
            guard size == Int64(expected) else {
                throw ArchiveError("index snapshot \(path) is \(size) bytes, its header says \(expected)")
            }
            let name = String(decoding: header[66..<(66 + nameLength)], as: UTF8.self)
            header.withUnsafeMutableBytes { $0.storeBytes(of: UInt64(0), toByteOffset: 120, as: UInt64.self) }
            let index = DedupIndex(idTable: SeqTable(capacity: words[6], count: words[7]),
                                   identityTable: SeqTable(capacity: words[8], count: words[9]))
            index.digests.resize(to: records)
            index.identities.resize(to: records)
            var offset = Int64(headerBytes)
            var sum = Checksum64()
            header.withUnsafeBytes { sum.update($0) }
            func fill(_ c: UnsafeMutableRawBufferPointer) throws(ArchiveError) {
                guard try file.read(into: c, at: offset) == c.count else {
                    throw ArchiveError("index snapshot \(path) is truncated")
                }
                sum.update(UnsafeRawBufferPointer(c))
                offset += Int64(c.count)
            }
            try index.digests.withChunks(fill)
            try index.identities.withChunks(fill)
            try index.idTable.withSlots(fill)
            try index.identityTable.withSlots(fill)
            guard sum.value == stored else { throw ArchiveError("index snapshot \(path) fails its checksum") }
            guard index.idTable.isSound(records: records), index.identityTable.isSound(records: records) else {
                throw ArchiveError("index snapshot \(path) has tables that do not fit its records")
            }
            let position = ArchivePosition(fileFirstSeq: words[3], fileName: name, offset: Int64(words[4]),
                                           lastLineStart: Int64(words[5]), lastSeq: words[1])
            return .success(Loaded(index: index, position: position, duplicatesSuppressed: words[2]))
        } catch {
            return .failure(error)
        }
    }
}
