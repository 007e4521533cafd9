public import SystemPackage

/// Path arithmetic for inbox files, on plain strings. An inbox path is a directory plus one file
/// name, so splitting off and joining that name is all there is to do. `FilePath`'s component
/// operations re-validate the whole path on every call; in debug builds (swift-system's invariant
/// checks) they were most of the time of a 2,000-file ingest.
public enum InboxPath {
    /// The last component: what the file is called in the inbox, `processed/` and the archive.
    public static func name(of file: FilePath) -> String {
        let path = file.string
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[path.utf8.index(after: slash)...])
    }

    public static func join(_ directory: FilePath, _ name: String) -> FilePath {
        let dir = directory.string
        return FilePath(dir.isEmpty ? name : dir.utf8.last == UInt8(ascii: "/") ? dir + name : dir + "/" + name)
    }

    /// `("report", ".txt")` for `report.txt`; a leading dot does not start an extension.
    static func split(_ name: String) -> (stem: String, ext: String) {
        guard let dot = name.utf8.lastIndex(of: UInt8(ascii: ".")), dot != name.utf8.startIndex else { return (name, "") }
        return (String(name[..<dot]), String(name[dot...]))
    }
}
