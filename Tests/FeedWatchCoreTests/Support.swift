import Foundation
import FeedWatchTesting

/// Test paths through the shared testing module.
enum TestPathsShim {
    static var packageRoot: URL { TestPaths.packageRoot }
    static func temporaryDirectory() throws -> URL { try TestPaths.makeTemporaryDirectory("fw-core") }
}
