/// The version named in `--version` and the User-Agent.
public enum FeedWatchVersion {
    public static let current = "0.1.0"
}
