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
