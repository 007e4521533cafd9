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

    /// initdb, start, CREATE DATABASE; the waits sleep, never block a thread of the pool.
    public static func start() async throws -> PostgresServer {
        let dir = URL(fileURLWithPath: "/tmp/fw-pg-\(UUID().uuidString.prefix(8).lowercased())")
        let port = 20000 + Int.random(in: 0..<20000)
        let server = PostgresServer(directory: dir, port: port)
        do {
            try await server.create()
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    private init(directory: URL, port: Int) {
        self.directory = directory
        self.port = port
    }

    private func create() async throws {
        let dir = directory
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // `port` names the socket only (listen_addresses is empty): any value works.
        let asRoot = getuid() == 0
        if asRoot {
            _ = try await Self.shell(["/bin/chown", "postgres:postgres", dir.path])
            _ = try await Self.shell(["/bin/chmod", "700", dir.path])
        }
        try await Self.run(["\(Self.binaries)/initdb", "-D", "\(dir.path)/data", "-A", "trust", "-U", user, "-E", "UTF8",
                      "--no-sync", "--no-instructions"], asRoot: asRoot)
        let options = "-k \(dir.path) -p \(port) -c listen_addresses='' -c fsync=off -c full_page_writes=off "
            + "-c synchronous_commit=on -c max_connections=200 -c shared_buffers=32MB"
        try await Self.run(["\(Self.binaries)/pg_ctl", "-D", "\(dir.path)/data", "-l", "\(dir.path)/pg.log", "-w", "-t", "30",
                      "-o", options, "start"], asRoot: asRoot)
        try await psql("CREATE DATABASE \(database)", database: "postgres")
    }

    /// Runs SQL through `psql` (unaligned, tuples only, `|` between columns); the rows as lines.
    @discardableResult
    public func psql(_ sql: String, database: String? = nil) async throws -> [String] {
        let out = try await Self.shell(["\(Self.binaries)/psql", "-h", directory.path, "-p", "\(port)", "-U", user,
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

    /// Stops the server at once and removes everything (synchronous: it runs from `defer`).
    public func stop() {
        let stop = ["\(Self.binaries)/pg_ctl", "-D", "\(directory.path)/data", "-m", "immediate", "-w", "stop"]
        if FileManager.default.fileExists(atPath: "\(directory.path)/data/postmaster.pid") {
            _ = try? Self.spawn(getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--"] + stop : stop, wait: true)
        }
        try? FileManager.default.removeItem(at: directory)
    }

    private static func run(_ arguments: [String], asRoot: Bool) async throws {
        _ = try await shell(asRoot ? ["/usr/sbin/runuser", "-u", "postgres", "--"] + arguments : arguments)
    }

    /// Runs a program to completion; its stdout, or an error with its stderr. Waits by polling
    /// `waitpid(WNOHANG)` between sleeps, so a test's thread of the cooperative pool (two on a
    /// 2-core machine) is never parked while initdb or psql runs.
    ///
    /// posix_spawn and waitpid, not Foundation's `Process`: `pg_ctl start` leaves a daemon behind
    /// that inherits the output files, and `Process.waitUntilExit` was seen to hang on it.
    @discardableResult
    static func shell(_ arguments: [String]) async throws -> String {
        let child = try spawn(arguments, wait: false)
        var status: Int32 = 0
        while true {
            let done = waitpid(child.pid, &status, WNOHANG)
            if done == child.pid { break }
            if done < 0 && errno != EINTR { break }
            try? await Task.sleep(for: .milliseconds(3))
        }
        return try child.finish(status: status, arguments: arguments)
    }

    struct Child {
        var pid: pid_t
        var outPath: String
        var errPath: String

        func finish(status: Int32, arguments: [String]) throws -> String {
            defer {
                unlink(outPath)
                unlink(errPath)
            }
            let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
            let exited = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
            guard exited == 0 else {
                let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
                throw PostgresServerError("\(arguments.joined(separator: " ")) exited \(exited): \(stderr)")
            }
            return stdout
        }
    }

    /// Starts a program with stdin from /dev/null and stdout, stderr to temp files; with `wait`,
    /// blocks until it ends (for `stop`, called from `defer`).
    @discardableResult
    static func spawn(_ arguments: [String], wait: Bool) throws -> Child {
        let tag = UUID().uuidString.prefix(8)
        let outPath = FileManager.default.temporaryDirectory.appendingPathComponent("fw-pg-\(tag).out").path
        let errPath = FileManager.default.temporaryDirectory.appendingPathComponent("fw-pg-\(tag).err").path
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
        let child = Child(pid: pid, outPath: outPath, errPath: errPath)
        if wait {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            _ = try? child.finish(status: status, arguments: arguments)
        }
        return child
    }
}

public struct PostgresServerError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
