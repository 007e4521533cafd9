public import Logging

/// Runs `body` with an HTTP client whose curl thread lives exactly as long as the call.
///
/// Scoped like AsyncHTTPClient's `withHTTPClient`: there is no open/close pair to forget, and
/// the thread is joined before this returns, whether `body` returns or throws. Requests still
/// queued at the end (only possible if `body` leaked the client into an unstructured task)
/// fail with a `.shutdown` error.
public func withHTTPClient<Result>(
    configuration: HTTPClientConfiguration,
    logger: Logger,
    isolation: isolated (any Actor)? = #isolation,
    _ body: (HTTPClient) async throws -> Result
) async throws -> Result {
    let driver = try CurlMultiDriver(configuration: configuration, logger: logger)
    try driver.start()
    let client = HTTPClient(driver: driver, configuration: configuration)
    let result: Swift.Result<Result, any Error>
    do {
        result = .success(try await body(client))
    } catch {
        result = .failure(error)
    }
    await driver.stop()
    return try result.get()
}

/// Makes GET requests through libcurl's multi interface (SPEC §8).
///
/// Cheap to copy and safe to share between tasks: every request goes to the one driver
/// thread, which bounds global and per-host concurrency and reuses connections.
public struct HTTPClient: Sendable {
    private let driver: CurlMultiDriver
    public let configuration: HTTPClientConfiguration

    init(driver: CurlMultiDriver, configuration: HTTPClientConfiguration) {
        self.driver = driver
        self.configuration = configuration
    }

    /// The response for any status the server sent (redirects already followed).
    ///
    /// - Throws: `HTTPClientError` when there is no response (see its `category`), or
    ///   `CancellationError` when the calling task is cancelled: the transfer is removed from
    ///   curl at once and its connection is not reused.
    public func get(_ request: HTTPRequest) async throws -> HTTPResponse {
        try Task.checkCancellation()
        let id = driver.nextID()
        defer { driver.forget(id) }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                driver.submit(CurlMultiDriver.Job(id: id, request: request, continuation: continuation))
            }
        } onCancel: {
            driver.cancel(id)
        }
    }

    public func get(_ url: String) async throws -> HTTPResponse {
        try await get(HTTPRequest(url: url))
    }

    /// Checks that `url` is something this client will fetch (an http or https URL with a
    /// host), with a message fit for a command line.
    public static func validate(url: String) throws(HTTPClientError) {
        _ = try CurlURL.parse(url)
    }
}
