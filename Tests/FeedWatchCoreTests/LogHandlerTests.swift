@testable import FeedWatchCore
import Foundation
import Logging
import Testing

@Suite struct LogHandlerTests {
    @Test(arguments: [
        (Logger.Level.trace, 7), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2),
    ])
    func syslogPriorities(level: Logger.Level, priority: Int) {
        #expect(StderrLogHandler.syslogPriority(level) == priority)
    }

    @Test func journalLinesStartWithThePriority() {
        var handler = StderrLogHandler(label: "feedwatch", journal: true)
        handler.metadata = ["feed": "news"]
        let line = handler.format(level: .warning, message: "inbox file rejected\nsecond line",
                                  metadata: ["file": "a b.txt"], now: Date(timeIntervalSince1970: 0))
        #expect(line == "<4>WARNING inbox file rejected | second line feed=news file=\"a b.txt\"\n")
    }

    @Test func terminalLinesStartWithTheTime() {
        let handler = StderrLogHandler(label: "feedwatch", journal: false)
        let line = handler.format(level: .info, message: "ready", metadata: nil, now: Date(timeIntervalSince1970: 1.5))
        #expect(line == "1970-01-01T00:00:01.500Z INFO ready\n")
    }

    @Test func levelComesFromTheConfigAndJournalFromTheEnvironment() {
        let logger = StderrLogHandler.logger(level: .debug, environment: ["JOURNAL_STREAM": "8:123"])
        #expect(logger.logLevel == .debug)
        #expect((logger.handler as? StderrLogHandler)?.journal == true)
    }
}

extension LogHandlerTests {
    /// Issue 14, item 12: a file name with ESC, DEL or \x01 cannot drive the terminal or forge a line.
    @Test func controlCharactersAreEscaped() {
        let handler = StderrLogHandler(label: "feedwatch", journal: true)
        let line = handler.format(level: .info, message: "inbox file archived",
                                  metadata: ["file": "a\u{1B}[31mred\u{7F}\u{01}\u{9B}.txt"], now: Date(timeIntervalSince1970: 0))
        #expect(line == "<6>INFO inbox file archived file=a\\x1B[31mred\\x7F\\x01\\x9B.txt\n")
        #expect(!line.dropLast().unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
    }
}
