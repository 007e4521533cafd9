@testable import FeedWatchCore
import Foundation
import Testing

/// `parse` names each record's source by its file's last path component without building a
/// Foundation URL per file; it must be the name the URL gave, for every kind of path.
@Suite struct ParseFileNameTests {
    @Test(arguments: [
        "feed.xml", "dir/feed.xml", "/abs/dir/feed.xml", "./feed.xml", "../up/feed.xml", "a/./b.xml", "a//b.xml",
        "name with spaces.rss", "a%20b.xml", "q?x#y;z.atom", "dir/ünïcödé.xml", "dir/", "dir//", "/", ".", "..", "a/.",
        "a/..", "~/feed.xml", "a:b/c:d.xml", "", "dir/.hidden",
    ])
    func sameNameAsTheURL(_ path: String) {
        #expect(ParseFiles.fileName(path) == URL(fileURLWithPath: path).lastPathComponent, "\(path.debugDescription)")
    }
}
