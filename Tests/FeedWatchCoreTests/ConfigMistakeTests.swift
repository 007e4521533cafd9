import FeedWatchCore
import Foundation
import SystemPackage
import Testing

/// Operator mistakes `check-config` must catch before the daemon trips over them (issue 14,
/// items 5, 10, 11).
@Suite struct ConfigMistakeTests {
    let base = FilePath("/srv/fw")

    func errors(_ text: String) -> [String] {
        do {
            _ = try ConfigLoader.parse(text: text, file: "c.toml", base: base)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test(arguments: [
        ("path = \"in\"\nprocessed = \"in\"\n", "c.toml:3: inbox.processed: /srv/fw/in is the same folder as inbox.path (/srv/fw/in)"),
        ("path = \"in\"\nfailed = \"in/failed\"\n", "c.toml:3: inbox.failed: /srv/fw/in/failed is inside inbox.path (/srv/fw/in)"),
        ("path = \"box/in\"\nprocessed = \"box\"\n", "c.toml:3: inbox.processed: /srv/fw/box contains inbox.path (/srv/fw/box/in)"),
        ("processed = \"done\"\nfailed = \"./done\"\n", "c.toml:3: inbox.failed: /srv/fw/done is the same folder as inbox.processed (/srv/fw/done)"),
    ])
    func inboxFoldersMustBeSeparate(table: String, expected: String) {
        let found = errors("[inbox]\n" + table)
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix(expected) == true, "\(found)")
    }

    @Test func siblingFoldersWithACommonPrefixAreFine() {
        #expect(errors("[inbox]\npath = \"in\"\nprocessed = \"in-done\"\nfailed = \"in-failed\"\n") == [])
    }

    @Test func headerValuesWithCRLFAreRefused() {
        let found = errors("[[source]]\nname = \"a\"\nurl = \"https://a.example/\"\n[source.headers]\nX-Token = \"abc\\r\\nEvil: yes\"\nX-Other = \"line\\nbreak\"\n")
        #expect(found.count == 2)
        #expect(found.allSatisfy { $0.contains("must not contain line breaks") })
    }

    @Test(arguments: ["https://a.example:99999/feed", "http://a.example:65536/", "http://a.example:0/"])
    func portsOutOfRangeAreRefused(url: String) {
        let found = errors("[[source]]\nname = \"a\"\nurl = \"\(url)\"\n")
        #expect(found.count == 1 && found.first?.contains("a port is 1 to 65535") == true, "\(found)")
    }

    @Test func inboxMaxBytesAboveTheParserCapIsRefused() {
        let found = errors("[inbox]\nmax_bytes = 1073741824\n")
        #expect(found == ["c.toml:2: inbox.max_bytes: 1073741824 is out of range: must be between 1 and 67108864"])
        #expect(errors("[inbox]\nmax_bytes = 67108864\n") == [])
    }

    @Test func opmlTitlesThatCannotNameASourceAreNamedFromTheURL() throws {
        let dir = try TestPathsShim.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try """
            <?xml version="1.0"?>
            <opml version="2.0"><body>
              <outline text="News / World" xmlUrl="https://news.example/world/rss.xml"/>
              <outline text="" xmlUrl="https://blank.example/feed"/>
              <outline xmlUrl="https://untitled.example/atom"/>
              <outline title="   " xmlUrl="https://news.example/world/rss.xml?x=1"/>
              <outline text="/" xmlUrl="https://blank.example/feed/"/>
            </body></opml>
            """.write(to: dir.appendingPathComponent("f.opml"), atomically: true, encoding: .utf8)
        let config = try ConfigLoader.parse(text: "opml = \"f.opml\"\n", file: "c.toml", base: FilePath(dir.path))
        #expect(config.sources.map(\.name) == [
            "news.example-world-rss.xml", "blank.example-feed", "untitled.example-atom",
            "news.example-world-rss.xml?x=1", "blank.example-feed-2",
        ])
    }
}
