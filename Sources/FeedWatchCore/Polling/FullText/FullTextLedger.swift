import FeedModel
import Foundation
import SystemPackage
import SystemSupport

/// One source's record of the entries whose page was dealt with, so that a later poll showing
/// the same unchanged entry does not fetch its page again (issue 15: once per entry identity),
/// plus the source's page counters for `feedwatch stats`.
///
/// Keyed like the archive's identity (SPEC §5): the entry's guid, else its link (the source is
/// the file). The entry's `fingerprint` is its feed content id: an entry the feed changes is a
/// new version and gets its page again. Bounded: beyond `capacity(feedEntries:)` the oldest
/// entries no longer in the feed are dropped (an entry that comes back costs one request).
struct FullTextLedger: Codable, Sendable {
    enum State: String, Codable, Sendable {
        /// The page's article was archived as the entry's text.
        case archived
        /// The page is not the article (or a permanent HTTP answer): archived from the feed.
        case refused
        /// The page could not be fetched yet; archived from the feed, tried again at `retryAt`.
        case retrying
    }

    struct Entry: Codable, Sendable {
        var fingerprint: String
        var state: State
        /// Insertion order, for the bound.
        var seq: Int
        var attempts: Int = 0
        /// Seconds since 1970 of the next try (`retrying`).
        var retryAt: Int64?
        var refusal: Refusal.Kind?
        /// The feed's entry, kept while `retrying` so that a retry needs no fresh feed (a 304).
        var feed: FeedEntrySnapshot?
    }

    struct Counters: Codable, Sendable, Hashable {
        /// Page requests answered (any status) and pages taken as the article.
        var fetched = 0
        var extracted = 0
        var refused = 0
        /// Requests with no usable answer (network, 5xx, 429): retried.
        var failed = 0
        var refusals: [String: Int] = [:]
    }

    var schema = 1
    var source: String
    var entries: [String: Entry] = [:]
    var counters = Counters()
    var nextSeq = 0

    init(source: String) { self.source = source }

    /// The identity the archive gives the entry: guid, else link; `nil` with neither.
    static func key(_ entry: Article) -> String? {
        if let guid = entry.guid, !guid.isEmpty { return "g:" + guid }
        if let url = entry.url, !url.isEmpty { return "u:" + url }
        return nil
    }

    static func fingerprint(_ entry: Article) -> String {
        String(ArticleID.of(title: entry.title, text: entry.text + "\u{0}" + (entry.summary ?? "")).suffix(32))
    }

    mutating func record(_ key: String, _ entry: Entry) {
        var entry = entry
        entry.seq = nextSeq
        nextSeq += 1
        entries[key] = entry
    }

    /// At least 500 entries, and four times what the feed shows, so that entries still in the
    /// feed are never forgotten.
    static func capacity(feedEntries: Int) -> Int { max(500, 4 * feedEntries) }

    /// Drops the oldest entries not in `current` beyond the capacity; `true` when it dropped any.
    @discardableResult
    mutating func trim(keeping current: Set<String>) -> Bool {
        let cap = Self.capacity(feedEntries: current.count)
        guard entries.count > cap else { return false }
        let removable = entries.filter { !current.contains($0.key) && $0.value.state != .retrying }
            .sorted { $0.value.seq < $1.value.seq }
        for (key, _) in removable.prefix(entries.count - cap) { entries[key] = nil }
        return true
    }
}

/// The feed's entry as the ledger keeps it while its page is retried.
struct FeedEntrySnapshot: Codable, Sendable {
    var title: String
    var text: String
    var summary: String?
    var url: String?
    var guid: String?
    var author: String?
    var published: Int64?
    var updated: Int64?
    var language: String?
    var tags: [String]

    init(_ a: Article) {
        (title, text, summary, url, guid, author) = (a.title, a.text, a.summary, a.url, a.guid, a.author)
        (published, updated, language, tags) = (a.published?.secondsSince1970, a.updated?.secondsSince1970, a.language, a.tags)
    }

    var article: Article {
        Article(title: title, text: text, summary: summary, url: url, guid: guid, author: author,
                published: published.map(Timestamp.init(secondsSince1970:)),
                updated: updated.map(Timestamp.init(secondsSince1970:)), language: language, tags: tags)
    }
}

/// The ledgers' folder, `STATE_DIR/full-text/`: one JSON file per source, replaced atomically
/// (`AtomicFile`) after the archive commit that made it true, so a crash between the two costs
/// at most one more page request per entry, never an entry.
struct FullTextLedgerFiles: Sendable {
    let directory: FilePath

    init(stateDirectory: FilePath) {
        directory = stateDirectory.appending("full-text")
    }

    /// A file name from the source's name (names may hold any character but `/`).
    func path(for source: String) -> FilePath {
        directory.appending(String(ArticleID.of(title: source, text: "").suffix(24)) + ".json")
    }

    /// The saved ledger, or a fresh one when there is none or it cannot be used (then each
    /// entry's page is fetched once more, and dedup absorbs what it brings).
    func load(_ source: String) -> (FullTextLedger, problem: String?) {
        let path = path(for: source)
        guard let data = FileManager.default.contents(atPath: path.string) else { return (FullTextLedger(source: source), nil) }
        do {
            let ledger = try JSONDecoder().decode(FullTextLedger.self, from: data)
            guard ledger.source == source else { return (FullTextLedger(source: source), nil) }
            return (ledger, nil)
        } catch {
            return (FullTextLedger(source: source), "\(path) is damaged (\(error)); its entries' pages are fetched again")
        }
    }

    static func encode(_ ledger: FullTextLedger) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(ledger))
    }

    func save(_ encoded: [(source: String, bytes: [UInt8])]) throws(FullTextLedgerError) {
        guard !encoded.isEmpty else { return }
        do {
            try FileManager.default.createDirectory(atPath: directory.string, withIntermediateDirectories: true)
        } catch {
            throw FullTextLedgerError("cannot create \(directory): \(ConfigLoader.reason(error))")
        }
        for (source, bytes) in encoded {
            let path = path(for: source)
            do {
                try AtomicFile.replace(path) { fd in _ = try fd.writeAll(bytes) }
            } catch {
                throw FullTextLedgerError("cannot save \(path): \(error)")
            }
        }
    }
}

/// A ledger could not be written; the message names the file and the reason.
struct FullTextLedgerError: Error, Sendable, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
