public import Foundation

/// Paths the tests share: the checked-in fixtures, the seeds, and the built binary.
public enum TestPaths {
    /// The package root, found from this file's location so tests run from any directory.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures")
    public static let seeds = packageRoot.appendingPathComponent("seeds")

    /// The `feedwatch` executable built next to the test bundle.
    public static var feedwatchBinary: URL {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = runner.deletingLastPathComponent()
        // The runner is `.build/<triple>/debug/feedwatchPackageTests.xctest` (a file on Linux).
        for _ in 0..<3 {
            let candidate = dir.appendingPathComponent("feedwatch")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug/feedwatch")
    }

    /// A fresh empty directory under the system temp dir.
    public static func makeTemporaryDirectory(_ label: String = "feedwatch-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
