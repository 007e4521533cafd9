import Foundation
import Glibc

/// One self-overwriting status line on stderr (`parse: 120/4000 files`), drawn only when stderr
/// is a terminal: piped or journald output gets nothing, so logs and scripts never see it.
struct TerminalProgress: Sendable {
    let label: String
    let total: Int
    let enabled: Bool

    init(label: String, total: Int, enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.label = label
        self.total = total
        self.enabled = enabled && total > 1
    }

    /// Redraws the line: carriage return, erase to end of line, the figures.
    func update(done: Int, unit: String, detail: String = "") {
        guard enabled else { return }
        let percent = total > 0 ? done * 100 / total : 100
        var line = "\r\u{1B}[K\(label): \(done)/\(total) \(unit) (\(percent)%)"
        if !detail.isEmpty { line += " " + detail }
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Erases the line, so whatever follows starts on a clean one.
    func clear() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
