import SystemPackage

/// The duplicates-suppressed figure, kept current in its own small file in the state directory.
///
/// Duplicates leave no trace in the archive to recount them from, and the index snapshot is saved
/// only every `snapshotInterval` records, so a crash used to lose the count since the last one.
/// The file is rewritten in place (one `pwrite` of a fixed-width decimal line) after every batch
/// that suppressed something, without an fsync: that survives a killed process, which is the
/// common case, at the price of a syscall. A power cut may lose the last writes or tear the line;
/// the loader then falls back to the snapshot's figure, whichever of the two is larger.
struct DuplicateCounter {
    static let fileName = "duplicates-suppressed"
    private static let width = 20

    private let file: ArchiveFile

    static func open(stateDirectory: FilePath) throws(ArchiveError) -> DuplicateCounter {
        DuplicateCounter(file: try ArchiveFile.open(stateDirectory.appending(fileName), .readWrite, options: .create))
    }

    /// The saved figure; `nil` when the file is missing or not one whole line.
    static func read(stateDirectory: FilePath) -> Int? {
        let path = stateDirectory.appending(fileName)
        guard Directory.exists(path), let file = try? ArchiveFile.open(path, .readOnly) else { return nil }
        defer { file.close() }
        guard let bytes = try? file.readBytes(at: 0, count: width + 1), bytes.count == width + 1,
              bytes.last == 0x0A else { return nil }
        var n = 0
        for b in bytes.dropLast() {
            guard b >= 0x30, b <= 0x39 else { return nil }
            n = n &* 10 &+ Int(b - 0x30)
        }
        return n
    }

    func store(_ count: Int) throws(ArchiveError) {
        let digits = Array(String(count).utf8)
        let line = [UInt8](repeating: 0x30, count: max(0, Self.width - digits.count)) + digits + [0x0A]
        try file.write(line, at: 0)
    }

    func close() { file.close() }
}
