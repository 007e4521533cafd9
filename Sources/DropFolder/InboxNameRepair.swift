import Glibc
import SystemPackage
import SystemSupport

/// Inbox files whose names are not valid UTF-8 (a Latin-1 `caf\xE9.txt` copied from an old
/// system). Every layer above works with `String` paths, where such a name cannot be spelled:
/// decoded lossily it names a file that does not exist, and the file used to sit in the inbox
/// forever, unreported. It is renamed in place, by its bytes, to a UTF-8 name with each
/// undecodable byte written as `%XX` (`caf%E9.txt`), logged, and then handled like any file.
enum InboxNameRepair {
    /// The UTF-8 name for `bytes`, or `nil` when they already are valid UTF-8.
    static func repairedName(_ bytes: [UInt8]) -> String? {
        guard String(validating: bytes, as: UTF8.self) == nil else { return nil }
        var out = ""
        var i = 0
        while i < bytes.count {
            var taken = false
            for length in (1...4).reversed() where i + length <= bytes.count {
                if let s = String(validating: bytes[i..<(i + length)], as: UTF8.self), s.unicodeScalars.count == 1 {
                    out += s
                    i += length
                    taken = true
                    break
                }
            }
            if !taken {
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(bytes[i] >> 4)], hex[Int(bytes[i] & 0xF)]], as: UTF8.self)
                i += 1
            }
        }
        return out
    }

    /// Renames `directory/bytes` to its repaired name (a free one: `-2`, `-3`… when taken).
    /// Returns the new path, or `nil` when the name was valid or the rename failed.
    static func rename(in directory: FilePath, bytes: [UInt8]) throws(SystemCallError) -> FilePath? {
        guard let name = repairedName(bytes) else { return nil }
        let target = InboxMover.freeName(for: InboxPath.join(directory, name), in: directory, reserving: [])
        var from = Array(directory.string.utf8)
        if from.last != UInt8(ascii: "/") { from.append(UInt8(ascii: "/")) }
        from += bytes
        from.append(0)
        let to = target.string
        _ = try retryingSyscall("rename", path: InboxPath.join(directory, name).string) {
            from.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { Glibc.rename($0.baseAddress!, to) }
            }
        }
        return target
    }
}
