/// The HTTP client over libcurl (filled in by the fetch layer).
public enum FeedFetchVersion {
    public static let userAgentProduct = "feedwatch"
}
