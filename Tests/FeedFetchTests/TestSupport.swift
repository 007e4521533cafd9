import FeedFetch
import FeedWatchTesting
import Foundation
import Logging

/// Shared by the FeedFetch suites: fixtures and a client with test-sized limits.
enum HTTPTestSupport {
    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("http/\(name)")))
    }

    static func configuration(
        timeout: Duration = .seconds(10),
        maxBodyBytes: Int = 1 << 20,
        maxConcurrentRequests: Int = 16,
        maxConnectionsPerHost: Int = 4
    ) -> HTTPClientConfiguration {
        HTTPClientConfiguration(userAgent: "feedwatch-tests/1.0", connectTimeout: .seconds(5), timeout: timeout,
                                maxBodyBytes: maxBodyBytes, maxConcurrentRequests: maxConcurrentRequests,
                                maxConnectionsPerHost: maxConnectionsPerHost)
    }

    static func withClient<T>(
        _ configuration: HTTPClientConfiguration = configuration(),
        isolation: isolated (any Actor)? = #isolation,
        _ body: (HTTPClient) async throws -> T
    ) async throws -> T {
        try await withHTTPClient(configuration: configuration, logger: Logger(label: "test.http"), body)
    }

    /// The client error `body` throws; fails the test with the value when it does not throw.
    static func error<T>(isolation: isolated (any Actor)? = #isolation,
                         _ body: () async throws -> T) async -> HTTPClientError? {
        do {
            _ = try await body()
            return nil
        } catch let error as HTTPClientError {
            return error
        } catch {
            return nil
        }
    }
}
