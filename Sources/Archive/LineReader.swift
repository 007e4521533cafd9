#if canImport(Glibc)
import Glibc
#endif

/// Reads a file's "\n"-terminated lines from an offset in large blocks, without a copy per line
/// (a line that spans two blocks is moved to the front of the buffer, which grows for huge lines).
enum LineReader {
    static let blockBytes = 1 << 20

    /// Calls `body(line, start)` for each complete line (without its "\n") until it returns false.
    /// Returns the offset just past the last line `body` accepted: the file size when every line was
    /// accepted and the file ends in "\n"; otherwise the start of the rejected or unterminated line.
    static func forEachLine(in file: ArchiveFile, from offset: Int64,
                            _ body: (UnsafeRawBufferPointer, Int64) throws(ArchiveError) -> Bool) throws(ArchiveError) -> Int64 {
        var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: blockBytes, alignment: 16)
        defer { buffer.deallocate() }
        var filled = 0          // bytes in buffer
        var bufferStart = offset // file offset of buffer[0]
        var accepted = offset
        while true {
            if filled == buffer.count {
                let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 16)
                bigger.copyMemory(from: UnsafeRawBufferPointer(buffer))
                buffer.deallocate()
                buffer = bigger
            }
            let n = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]),
                                  at: bufferStart + Int64(filled))
            if n == 0 { return accepted }
            filled += n
            var lineStart = 0
            while lineStart < filled {
                let rest = filled - lineStart
                guard let base = buffer.baseAddress,
                      let nl = memchr(base + lineStart, 0x0A, rest) else { break }
                let lineEnd = base.distance(to: nl)
                let line = UnsafeRawBufferPointer(rebasing: buffer[lineStart..<lineEnd])
                guard try body(line, bufferStart + Int64(lineStart)) else { return accepted }
                lineStart = lineEnd + 1
                accepted = bufferStart + Int64(lineStart)
            }
            if lineStart > 0 {
                let keep = filled - lineStart
                if keep > 0, let base = buffer.baseAddress {
                    memmove(base, base + lineStart, keep)
                }
                bufferStart += Int64(lineStart)
                filled = keep
            }
        }
    }
}
