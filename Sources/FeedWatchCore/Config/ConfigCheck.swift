/// `feedwatch check-config [PATH]`: the config validated the way the daemon would load it.
public enum ConfigCheck {
    /// Prints `PATH: ok (N sources)` on stdout, or every problem on stderr, one a line; the exit status.
    public static func run(path: String?, environment: [String: String]) -> Int32 {
        guard let config = ConfigSource(explicitPath: path, environment: environment).loadOrReport() else {
            return ExitStatus.config
        }
        print("\(config.origin): ok (\(config.sources.count) sources)")
        return ExitStatus.ok
    }
}
