/// Which inbox names are not (yet) articles: hidden files, and the names downloaders and
/// editors give to files they are still writing. Those are picked up once renamed.
public enum InboxNameFilter {
    public static let partialSuffixes = [".tmp", ".part", ".partial", ".crdownload", ".swp"]

    public static func isIgnored(_ name: String) -> Bool {
        if name.isEmpty || name.hasPrefix(".") { return true }
        let lower = name.lowercased()
        return partialSuffixes.contains { lower.hasSuffix($0) }
    }
}
