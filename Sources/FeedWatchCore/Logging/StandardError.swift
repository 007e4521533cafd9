import Foundation

/// What a command says to the user on stderr outside the log (config problems, a file that would
/// not parse, an unreadable archive): one line, written in one `write`.
enum StandardError {
    static func writeLine(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
