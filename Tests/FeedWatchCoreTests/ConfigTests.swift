import FeedWatchCore
import Foundation
import Logging
import SystemPackage
import Testing

@Suite struct ConfigTests {
    let base = FilePath("/srv/fw")

    func errors(_ text: String) -> [String] {
        do {
            _ = try ConfigLoader.parse(text: text, file: "c.toml", base: base)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func shippedConfigIsValid() throws {
        let url = TestPathsShim.packageRoot.appendingPathComponent("config/feedwatch.toml")
        let config = try ConfigLoader.load(file: url.path, base: base)
        #expect(config.archive.path == FilePath("/srv/fw/var/archive/articles.jsonl"))
        #expect(config.inbox.maxBytes == 20_971_520)
        #expect(config.http.perHost == 2)
    }

    @Test func defaultsResolveAgainstBase() {
        let config = Configuration.defaults(base: base)
        #expect(config.inbox.path == FilePath("/srv/fw/var/inbox"))
        #expect(config.stateDirectory == FilePath("/srv/fw/var/state"))
        #expect(config.logLevel == .info)
    }

    @Test func relativeAndAbsolutePaths() throws {
        let config = try ConfigLoader.parse(text: """
            state_dir = "s/../state"
            [inbox]
            path = "/abs/inbox"
            """, file: "c.toml", base: base)
        #expect(config.stateDirectory == FilePath("/srv/fw/state"))
        #expect(config.inbox.path == FilePath("/abs/inbox"))
    }

    @Test func stateDirectoryIsTheBaseUnderSystemd() {
        let cwd = FilePath("/")
        #expect(ConfigLoader.baseDirectory(environment: ["STATE_DIRECTORY": "/var/lib/feedwatch:/var/lib/other"], workingDirectory: cwd)
                == FilePath("/var/lib/feedwatch"))
        #expect(ConfigLoader.baseDirectory(environment: [:], workingDirectory: FilePath("/home/u")) == FilePath("/home/u"))
    }

    @Test func locateOrder() {
        let yes: (String) -> Bool = { _ in true }
        let no: (String) -> Bool = { _ in false }
        #expect(ConfigLoader.locate(explicit: "a.toml", environment: ["FEEDWATCH_CONFIG": "b.toml"], fileExists: yes) == "a.toml")
        #expect(ConfigLoader.locate(explicit: nil, environment: ["FEEDWATCH_CONFIG": "b.toml"], fileExists: yes) == "b.toml")
        #expect(ConfigLoader.locate(explicit: nil, environment: [:], fileExists: yes) == "config/feedwatch.toml")
        #expect(ConfigLoader.locate(explicit: nil, environment: [:], fileExists: no) == nil)
    }

    @Test(arguments: [
        ("30s", 30), ("5m", 300), ("1h", 3600), ("1d", 86_400), ("1h30m", 5400), ("0s", 0),
    ])
    func durations(text: String, seconds: Int64) {
        #expect(ConfigDuration.parse(text) == .seconds(seconds))
    }

    @Test(arguments: ["5 minutes", "5", "m", "", "5x", "-5m", "1.5h", "99999999999999999999d"])
    func notDurations(text: String) {
        #expect(ConfigDuration.parse(text) == nil)
    }

    @Test func errorsNameFileLineAndKey() {
        let found = errors("""
            log_level = "info"
            [[source]]
            name = "a"
            url = "https://example.org/feed"
            interval = "5 minutes"
            """)
        #expect(found == [#"c.toml:5: interval: "5 minutes" is not a duration like "30s", "5m", "1h" or "1d""#])
    }

    @Test func unknownKeysAnywhereAreErrors() {
        let found = errors("""
            colour = "red"

            [archive]
            path = "a.jsonl"
            segmentbytes = 1

            [[source]]
            name = "a"
            url = "https://example.org/"
            intervall = "5m"
            """)
        #expect(found == [
            "c.toml:1: colour: unknown key",
            "c.toml:5: archive.segmentbytes: unknown key",
            "c.toml:10: intervall: unknown key",
        ])
    }

    @Test func intervalMinimumAndDefault() throws {
        #expect(errors("""
            [[source]]
            name = "a"
            url = "https://example.org/"
            interval = "59s"
            """) == [#"c.toml:4: interval: "59s" is too short: the minimum is 1m"#])
        let config = try ConfigLoader.parse(text: "[[source]]\nname = \"a\"\nurl = \"http://example.org/\"\n", file: "c.toml", base: base)
        #expect(config.sources.first?.interval == .seconds(900))
        #expect(config.sources.first?.kind == .auto)
    }

    @Test func sourceValidation() {
        let found = errors("""
            [[source]]
            name = "a"
            url = "file:///etc/passwd"

            [[source]]
            name = "b"
            url = "https://example.org/"
            type = "podcast"
            password = "x"

            [[source]]
            url = "https://example.org/2"

            [[source]]
            name = "b"
            url = "https://example.org/3"
            """)
        #expect(found == [
            #"c.toml:3: url: "file:///etc/passwd" uses file:, only http: and https: are fetched"#,
            #"c.toml:8: type: "podcast" is not one of auto, feed, page"#,
            "c.toml:9: password: needs a username too",
            "c.toml:11: name: missing: every [[source]] needs a name",
            #"c.toml:15: name: duplicate source name "b" (first used on line 6)"#,
        ])
    }

    @Test func headersAndBasicAuth() throws {
        let config = try ConfigLoader.parse(text: """
            [[source]]
            name = "a"
            url = "https://example.org/"
            headers = { "Accept-Language" = "de", X-Token = "t" }
            username = "u"
            password = "p"
            """, file: "c.toml", base: base)
        let source = try #require(config.sources.first)
        #expect(source.headers.map(\.name) == ["Accept-Language", "X-Token"])
        #expect(source.basicAuth?.username == "u")
        #expect(errors("[[source]]\nname = \"a\"\nurl = \"https://e.org/\"\n\n[source.headers]\nX = \"a\\nb\"\n")
                == ["c.toml:6: headers.X: value must not contain line breaks"])
    }

    @Test func syntaxErrorsCarryTheirLine() {
        let found = errors("a = 1\n[archive\n")
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("c.toml:2: not valid TOML") == true)
    }

    @Test func typeErrors() {
        #expect(errors("[inbox]\nmax_bytes = \"big\"\n") == ["c.toml:2: inbox.max_bytes: must be an integer, not string"])
        #expect(errors("[http]\nconcurrency = 0\n") == ["c.toml:2: http.concurrency: 0 is out of range: must be between 1 and 1024"])
        #expect(errors("archive = 3\n") == ["c.toml:1: archive: must be a table, not integer"])
    }

    @Test func opmlMisplacedUnderHTTPIsExplained() {
        #expect(errors("[http]\ntimeout = \"5s\"\nopml = \"f.opml\"\n")
                == ["c.toml:3: http.opml: opml belongs at the top level, before the first [table]"])
    }

    @Test func opmlSources() throws {
        let dir = try TestPathsShim.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try """
            <?xml version="1.0"?>
            <opml version="2.0"><body>
              <outline text="Folder">
                <outline text="One" xmlUrl="https://one.example/feed"/>
                <outline title="Two" text="ignored" xmlUrl="http://two.example/rss"/>
              </outline>
              <outline text="not a feed" htmlUrl="https://x.example/"/>
            </body></opml>
            """.write(to: dir.appendingPathComponent("f.opml"), atomically: true, encoding: .utf8)
        let config = try ConfigLoader.parse(text: "opml = \"f.opml\"\n[[source]]\nname = \"own\"\nurl = \"https://own.example/\"\n",
                                            file: "c.toml", base: FilePath(dir.path))
        #expect(config.sources.map(\.name) == ["own", "One", "Two"])
        #expect(config.sources.map(\.kind) == [.auto, .feed, .feed])
    }

    @Test func opmlErrorsNameTheOPMLFile() throws {
        let dir = try TestPathsShim.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "<opml><body>\n<outline text=\"A\" xmlUrl=\"gopher://x/\"/>\n<outline text=\"A\" xmlUrl=\"https://a/\"/>\n<outline text=\"A\" xmlUrl=\"https://b/\"/>\n</body></opml>\n"
            .write(to: dir.appendingPathComponent("f.opml"), atomically: true, encoding: .utf8)
        do {
            _ = try ConfigLoader.parse(text: "opml = \"f.opml\"\n", file: "c.toml", base: FilePath(dir.path))
            Issue.record("accepted a bad OPML file")
        } catch {
            let opml = dir.appendingPathComponent("f.opml").path
            #expect(error.errors.map(\.description) == [
                #"\#(opml):2: xmlUrl: "gopher://x/" uses gopher:, only http: and https: are fetched"#,
                #"\#(opml):4: title: duplicate source name "A""#,
            ])
        }
    }

    @Test func keyLocatorUnderstandsTablesArraysAndMultilineValues() {
        let locator = TOMLKeyLocator(text: """
            a = 1
            s = \"\"\"
            b = 2
            \"\"\"
            list = [
              "x = 1",
            ]
            [t]
            "quoted.key" = 1
            [[source]]
            name = "x"
            [[source]]
            name = "y"
            """)
        #expect(locator.line(of: "a") == 1)
        #expect(locator.line(of: "b") == nil)
        #expect(locator.line(of: "t.quoted.key") == 9)
        #expect(locator.line(of: "source.1.name") == 13)
        #expect(locator.line(of: "source.1.missing") == 12)
    }
}
