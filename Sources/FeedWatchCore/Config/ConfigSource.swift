/// Where the daemon's configuration is read from, again on every SIGHUP.
public struct ConfigSource: Sendable {
    public var explicitPath: String?
    public var environment: [String: String]

    public init(explicitPath: String?, environment: [String: String]) {
        self.explicitPath = explicitPath
        self.environment = environment
    }

    public func load() throws(ConfigFailure) -> Configuration {
        try ConfigLoader.load(explicit: explicitPath, environment: environment)
    }

    /// What every command does first: the config, or every problem on stderr (one a line) and
    /// `nil`, for the command to exit with `ExitStatus.config`.
    func loadOrReport() -> Configuration? {
        do {
            return try load()
        } catch {
            StandardError.writeLine(error.description)
            return nil
        }
    }
}
