/// The inbox watcher (filled in by the daemon layer).
public enum DropFolderPlaceholder {}
