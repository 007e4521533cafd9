import FeedWatchCore
import FeedWatchTesting
import Foundation
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
import SystemPackage
import Testing

@Suite struct DaemonServiceTests {
    @Test(.timeLimit(.minutes(1)))
    func gracefulShutdownSendsStoppingAndReturns() async throws {
        let dir = try TestPaths.makeTemporaryDirectory("fw-service")
        defer { try? FileManager.default.removeItem(at: dir) }
        let listener = try NotifySocketListener(directory: dir)
        let config = Configuration.defaults(base: FilePath(dir.path))
        let service = DaemonService(
            configuration: config, source: ConfigSource(explicitPath: nil, environment: [:]),
            notifier: SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.path]),
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        )
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                let ready = await listener.waitFor("READY=1")
                #expect(ready != nil)
                #expect(FileManager.default.fileExists(atPath: config.inbox.processed.string))
                trigger.triggerGracefulShutdown()
                try await group.next()
                #expect(await listener.waitFor("STOPPING=1", after: ready ?? 0) != nil)
            }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func unwatchableInboxFailsTheService() async throws {
        let dir = try TestPaths.makeTemporaryDirectory("fw-service")
        defer { try? FileManager.default.removeItem(at: dir) }
        var config = Configuration.defaults(base: FilePath(dir.path))
        // A regular file where the inbox directory should be.
        try "x".write(toFile: dir.appendingPathComponent("inbox-file").path, atomically: false, encoding: .utf8)
        config.inbox.path = FilePath(dir.appendingPathComponent("inbox-file").path)
        let service = DaemonService(
            configuration: config, source: ConfigSource(explicitPath: nil, environment: [:]),
            notifier: SystemdNotifier(environment: [:]), logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        )
        await #expect(throws: DaemonError.self) { try await service.run() }
    }
}
