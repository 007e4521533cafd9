import Foundation
import Glibc
import SystemPackage
import SystemSupport

/// Reads a config or OPML file with one-line reasons (`is a directory`, `permission denied`,
/// `not UTF-8 text at line 3, byte 0xFF`) instead of Foundation's error dumps.
enum ConfigFileBytes {
    /// Config files are small; anything bigger is not one.
    static let maxBytes = 16 << 20

    struct Failure: Error {
        var line: Int?
        var reason: String
    }

    /// The file's bytes through `FileContents.read` (regular files only, so a FIFO named as the
    /// config is refused instead of waited on), its failures in the config's words.
    static func read(_ path: String) -> Result<[UInt8], Failure> {
        do {
            return .success(try FileContents.read(.path(FilePath(path)), maxBytes: maxBytes,
                                                  options: FileContents.Options(regularFilesOnly: true)))
        } catch {
            switch error.reason {
            case let .open(code), let .stat(code), let .read(code):
                return .failure(Failure(reason: "cannot read: \(describe(code.rawValue))"))
            case let .tooLarge(bytes, _, _):
                return .failure(Failure(reason: "is \(bytes) bytes; a config or OPML file is at most \(maxBytes)"))
            case .directory, .notRegularFile:
                return .failure(Failure(reason: error.description))
            }
        }
    }

    /// The text, or where it stops being UTF-8.
    static func text(_ bytes: [UInt8]) -> Result<String, Failure> {
        if let s = String(validating: bytes, as: UTF8.self) { return .success(s) }
        // Find the first invalid byte: decode scalar by scalar.
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0, line = 1
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s):
                if s == "\n" { line += 1 }
                offset += UTF8.width(s)
            case .emptyInput: break loop
            case .error:
                let byte = offset < bytes.count ? String(format: "0x%02X", bytes[offset]) : "end of file"
                return .failure(Failure(line: line, reason: "not UTF-8 text: byte \(byte) at offset \(offset) cannot be decoded; save the file as UTF-8"))
            }
        }
        return .failure(Failure(reason: "not UTF-8 text; save the file as UTF-8"))
    }

    static func describe(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file"
        case EACCES, EPERM: return "permission denied"
        case EISDIR: return "is a directory, not a file"
        case ENOTDIR: return "a part of the path is not a directory"
        default: return String(cString: strerror(code)).lowercased()
        }
    }
}
