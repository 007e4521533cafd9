import Foundation
import Glibc

/// Reads a config or OPML file with one-line reasons (`is a directory`, `permission denied`,
/// `not UTF-8 text at line 3, byte 0xFF`) instead of Foundation's error dumps.
enum ConfigFileBytes {
    /// Config files are small; anything bigger is not one.
    static let maxBytes = 16 << 20

    struct Failure: Error {
        var line: Int?
        var reason: String
    }

    static func read(_ path: String) -> Result<[UInt8], Failure> {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
        guard fd >= 0 else { return .failure(Failure(reason: "cannot read: \(describe(errno))")) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .failure(Failure(reason: "cannot read: \(describe(errno))")) }
        switch st.st_mode & S_IFMT {
        case S_IFDIR: return .failure(Failure(reason: "is a directory, not a file"))
        case S_IFREG: break
        default: return .failure(Failure(reason: "is not a regular file"))
        }
        guard st.st_size <= maxBytes else {
            return .failure(Failure(reason: "is \(st.st_size) bytes; a config or OPML file is at most \(maxBytes)"))
        }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        var filled = 0
        while filled < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { return .failure(Failure(reason: "cannot read: \(describe(errno))")) }
            if n == 0 { break }
            filled += n
        }
        return .success(Array(bytes.prefix(filled)))
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
