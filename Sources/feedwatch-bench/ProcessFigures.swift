import Foundation
import Glibc

/// CPU time (user + system, all threads) of a process, for the benches' per-CPU-second
/// figures: on a machine shared with builds, wall time measures the neighbours as much as the
/// code under test.
enum ProcessCPU {
    /// This process, from `getrusage(RUSAGE_SELF)` (microseconds).
    static func seconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// Another process (a child such as the daemon under test), from `/proc/PID/stat` (clock
    /// ticks, usually 10 ms). 0 when the process is gone.
    static func seconds(of pid: pid_t) -> Double {
        var bytes = [UInt8](repeating: 0, count: 1024)
        let fd = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return 0 }
        let text = String(decoding: bytes[..<count], as: UTF8.self)
        // "(comm)" may hold spaces and parentheses: the fields start after the last ')'.
        guard let close = text.lastIndex(of: ")") else { return 0 }
        // Fields after "(comm)": state is field 3, utime 14, stime 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

/// Memory of a process, for the benches' peak and resident figures.
enum ProcessMemory {
    /// Peak resident set of this process (`ru_maxrss`), in MB.
    static func peakMB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    /// Resident set now, from `/proc/PID/statm` (pages × page size); `nil` pid = this process.
    /// 0 when the process is gone.
    static func residentBytes(of pid: pid_t? = nil) -> Int {
        let path = "/proc/\(pid.map(String.init) ?? "self")/statm"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * sysconf(Int32(_SC_PAGESIZE))
    }
}

/// The `feedwatch` binary the benches run as a user would: by default the one built beside
/// `feedwatch-bench` (same build folder, same configuration).
enum FeedWatchBinary {
    static var besideThisOne: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("feedwatch").path
    }
}
