import Glibc

/// The events of one `read` from an inotify descriptor, decoded from the kernel's packed
/// `struct inotify_event` records: each event's mask and its name without the NUL padding.
/// The buffer is the reader's own and is only valid while it is being iterated.
public struct InotifyEvents: Sequence {
    public struct Event {
        public var mask: UInt32
        public var name: UnsafeRawBufferPointer
    }

    let bytes: UnsafeRawBufferPointer

    public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    public func makeIterator() -> Iterator { Iterator(bytes: bytes) }

    public struct Iterator: IteratorProtocol {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        public mutating func next() -> Event? {
            let header = MemoryLayout<inotify_event>.size
            guard offset + header <= bytes.count else { return nil }
            // `wd` (4 bytes), `mask` at +4, `cookie` at +8, `len` at +12, then `len` name bytes.
            let mask = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
            let length = Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
            let start = offset + header
            let end = Swift.min(start + length, bytes.count)
            var nameEnd = start
            while nameEnd < end, bytes[nameEnd] != 0 { nameEnd += 1 }
            offset = start + length
            return Event(mask: mask, name: UnsafeRawBufferPointer(rebasing: bytes[start..<nameEnd]))
        }
    }
}
