public import Foundation
import Glibc

/// A throwaway PostgreSQL 15 for one test: `initdb` in a temp dir (as the `postgres` OS user
/// when the test runs as root, since PostgreSQL refuses to run as root), listening on a Unix
/// socket only (no TCP port can collide in CI), torn down by `stop()` — call it in `defer`.
///
/// `fsync=off`: the tests kill feedwatch, never the server, so durability of the server's own
/// files does not matter here and initdb + start stay near one second.
public final class PostgresServer: Sendable {
    public static let binaries = "/usr/lib/postgresql/15/bin"
    public let directory: URL
    public let port: Int
    public let user = "feedwatch"
    public let database = "feedwatch"

    /// Where the socket lives, for `[cluster] socket_dir`.
    public var socketDirectory: String { directory.path }

    /// Whether the binaries exist (the suite skips, loudly, when they do not; CI installs them).
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: "\(binaries)/initdb") }

    public init() throws {
        let dir = URL(fileURLWithPath: "/tmp/fw-pg-\(UUID().uuidString.prefix(8).lowercased())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        directory = dir
        // A port number for the socket's name only (listen_addresses is empty): any value works.
        port = 20000 + Int.random(in: 0..<20000)
        let asRoot = getuid() == 0
        if asRoot {
            _ = try Self.shell(["/bin/chown", "postgres:postgres", dir.path])
            _ = try Self.shell(["/bin/chmod", "700", dir.path])
        }
        try Self.run(["\(Self.binaries)/initdb", "-D", "\(dir.path)/data", "-A", "trust", "-U", user, "-E", "UTF8",
                      "--no-sync", "--no-instructions"], asRoot: asRoot)
        let options = "-k \(dir.path) -p \(port) -c listen_addresses='' -c fsync=off -c full_page_writes=off "
            + "-c synchronous_commit=on -c max_connections=200 -c shared_buffers=32MB"
        try Self.run(["\(Self.binaries)/pg_ctl", "-D", "\(dir.path)/data", "-l", "\(dir.path)/pg.log", "-w", "-t", "30",
                      "-o", options, "start"], asRoot: asRoot)
        _ = try psql("CREATE DATABASE \(database)", database: "postgres")
    }

    /// Runs SQL through `psql` (unaligned, tuples only, `|` between columns); the rows as lines.
    @discardableResult
    public func psql(_ sql: String, database: String? = nil) throws -> [String] {
        let out = try Self.shell(["\(Self.binaries)/psql", "-h", directory.path, "-p", "\(port)", "-U", user,
                                  "-d", database ?? self.database, "-v", "ON_ERROR_STOP=1", "-X", "-A", "-t", "-q", "-c", sql])
        return out.split(separator: "\n").map(String.init)
    }

    /// The `[cluster]` section for a node of this server.
    public func clusterSection(node: String, leaseTTL: String = "4s", claimInterval: String = "250ms") -> String {
        """
        [cluster]
        node_id = "\(node)"
        socket_dir = "\(directory.path)"
        port = \(port)
        user = "\(user)"
        database = "\(database)"
        lease_ttl = "\(leaseTTL)"
        claim_interval = "\(claimInterval)"

        """
    }

    /// Stops the server at once and removes everything.
    public func stop() {
        _ = try? Self.run(["\(Self.binaries)/pg_ctl", "-D", "\(directory.path)/data", "-m", "immediate", "-w", "stop"],
                          asRoot: getuid() == 0)
        try? FileManager.default.removeItem(at: directory)
    }

    private static func run(_ arguments: [String], asRoot: Bool) throws {
        _ = try shell(asRoot ? ["/usr/sbin/runuser", "-u", "postgres", "--"] + arguments : arguments)
    }

    /// Runs a program to completion; its stdout, or an error with its stderr.
    ///
    /// posix_spawn and waitpid, not Foundation's `Process`: `pg_ctl start` leaves a daemon behind
    /// that inherits the output files, and `Process.waitUntilExit` was seen to hang on it.
    @discardableResult
    static func shell(_ arguments: [String]) throws -> String {
        let tag = UUID().uuidString.prefix(8)
        let outPath = FileManager.default.temporaryDirectory.appendingPathComponent("fw-pg-\(tag).out").path
        let errPath = FileManager.default.temporaryDirectory.appendingPathComponent("fw-pg-\(tag).err").path
        defer {
            unlink(outPath)
            unlink(errPath)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw PostgresServerError("cannot run \(arguments[0]): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let exited = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        guard exited == 0 else {
            let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
            throw PostgresServerError("\(arguments.joined(separator: " ")) exited \(exited): \(stderr)")
        }
        return stdout
    }
}

public struct PostgresServerError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
