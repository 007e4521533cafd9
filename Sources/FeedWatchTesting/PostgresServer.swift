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
    @discardableResult
    static func shell(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        let tag = UUID().uuidString.prefix(8)
        let outURL = FileManager.default.temporaryDirectory.appendingPathComponent("fw-pg-\(tag).out")
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("fw-pg-\(tag).err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        let stdout = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
            throw PostgresServerError("\(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(stderr)")
        }
        return stdout
    }
}

public struct PostgresServerError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
