/// Fixed-size values in fixed-size chunks: growing never copies what is there and never leaves
/// more than one chunk of slack, which keeps the index within its memory budget (a doubling array
/// can hold twice what it needs). Chunks are also what the snapshot reads and writes directly.
final class DenseColumn<Element: BitwiseCopyable> {
    static var chunkElements: Int { 1 << 14 }

    private var chunks: [UnsafeMutablePointer<Element>] = []
    private(set) var count = 0

    init() {}

    deinit {
        for c in chunks { c.deallocate() }
    }

    subscript(index: Int) -> Element {
        chunks[index >> 14][index & (Self.chunkElements - 1)]
    }

    func append(_ value: Element) {
        if count == chunks.count * Self.chunkElements {
            chunks.append(.allocate(capacity: Self.chunkElements))
        }
        chunks[count >> 14][count & (Self.chunkElements - 1)] = value
        count += 1
    }

    func truncate(to newCount: Int) {
        count = min(count, newCount)
    }

    /// Sets the count to `newCount` (contents undefined until filled through `withChunks`).
    func resize(to newCount: Int) {
        while chunks.count * Self.chunkElements < newCount {
            chunks.append(.allocate(capacity: Self.chunkElements))
        }
        count = newCount
    }

    /// Visits the bytes of the first `count` elements, chunk by chunk, in order.
    func withChunks<E: Error>(_ body: (UnsafeMutableRawBufferPointer) throws(E) -> Void) throws(E) {
        var left = count
        for c in chunks where left > 0 {
            let n = min(left, Self.chunkElements)
            try body(UnsafeMutableRawBufferPointer(start: c, count: n * MemoryLayout<Element>.stride))
            left -= n
        }
    }

    var allocatedBytes: Int { chunks.count * Self.chunkElements * MemoryLayout<Element>.stride }
}

/// Open addressing with linear probing over 4-byte slots that hold a `seq` (0 = empty). The key of
/// a slot is found in the dense columns at `seq - 1`, so a slot costs 4 bytes instead of the key's
/// 16 or 32. Capacity is not a power of two (buckets come from a multiply-shift), so it can grow by
/// 1.5× and keep the load between about 0.53 and 0.8. Capacity is kept even, so the slots fill
/// whole 8-byte words in the snapshot, which stores them as they are.
final class SeqTable {
    private var slots: UnsafeMutablePointer<UInt32>
    private(set) var capacity: Int
    private(set) var count = 0

    static let minimumCapacity = 1024

    init(expected: Int) {
        capacity = Self.even(max(Self.minimumCapacity, expected * 4 / 3 + 1))
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: 0, count: capacity)
    }

    /// A table read back from a snapshot: `capacity` slots holding `count` seqs, filled through
    /// `withSlots` and then checked with `isSound`.
    init(capacity: Int, count: Int) {
        self.capacity = capacity
        self.count = count
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: 0, count: capacity)
    }

    /// What a snapshot may claim: a capacity this type could have grown to, within its load limit.
    static func isPlausible(capacity: Int, count: Int) -> Bool {
        capacity >= minimumCapacity && capacity % 2 == 0 && count >= 0 && count * 5 <= capacity * 4
    }

    private static func even(_ n: Int) -> Int { n + (n & 1) }

    deinit { slots.deallocate() }

    private func bucket(_ hash: UInt64) -> Int {
        Int(truncatingIfNeeded: hash.multipliedFullWidth(by: UInt64(capacity)).high)
    }

    /// The slot holding a key that `matches`, else the empty slot where it would go.
    @inline(__always)
    func find(hash: UInt64, matches: (UInt32) -> Bool) -> (slot: Int, seq: UInt32?) {
        var i = bucket(hash)
        while true {
            let s = slots[i]
            if s == 0 { return (i, nil) }
            if matches(s) { return (i, s) }
            i += 1
            if i == capacity { i = 0 }
        }
    }

    /// Stores `seq` at a slot returned by `find`; `hashOf` rehashes on growth.
    func store(_ seq: UInt32, at slot: Int, hashOf: (UInt32) -> UInt64) {
        if slots[slot] == 0 {
            count += 1
            slots[slot] = seq
            if count * 5 > capacity * 4 { grow(hashOf: hashOf) }
        } else {
            slots[slot] = seq
        }
    }

    private func grow(hashOf: (UInt32) -> UInt64) {
        let old = slots
        let oldCapacity = capacity
        capacity = Self.even(capacity * 3 / 2)
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: 0, count: capacity)
        for k in 0..<oldCapacity where old[k] != 0 {
            var i = bucket(hashOf(old[k]))
            while slots[i] != 0 {
                i += 1
                if i == capacity { i = 0 }
            }
            slots[i] = old[k]
        }
        old.deallocate()
    }

    var allocatedBytes: Int { capacity * MemoryLayout<UInt32>.stride }

    func withSlots<R, E: Error>(_ body: (UnsafeMutableRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeMutableRawBufferPointer(start: slots, count: capacity * MemoryLayout<UInt32>.stride))
    }

    /// Every slot empty or naming a record (`1...records`), and `count` of them used: what makes
    /// lookups through a table read from disk safe. The snapshot's checksum already vouches for
    /// its bytes; this guards against a checksum collision ever indexing out of bounds.
    func isSound(records: Int) -> Bool {
        let limit = UInt32(truncatingIfNeeded: records)
        var used = 0
        for k in 0..<capacity {
            let s = slots[k]
            if s > limit { return false }
            used &+= s == 0 ? 0 : 1
        }
        return used == count
    }
}

/// Every archived id and the latest id of every identity, compactly in memory.
///
/// `seq` n's id digest is `digests[n - 1]` and its identity key `identities[n - 1]` (`.none` when
/// it has none): each archived record has a distinct id, so the archive's `seq` numbers the ids
/// densely. Per article that is 32 + 16 bytes plus a 4-byte slot in each table.
final class DedupIndex {
    let digests = DenseColumn<Digest32>()
    let identities = DenseColumn<IdentityKey>()
    private(set) var idTable: SeqTable
    private(set) var identityTable: SeqTable

    init(expected: Int = 0) {
        idTable = SeqTable(expected: expected)
        identityTable = SeqTable(expected: expected)
    }

    /// An index read back from a snapshot: columns and tables as they were saved (no rehashing,
    /// which would cost a cache miss or more per key and dominated start-up).
    init(idTable: SeqTable, identityTable: SeqTable) {
        self.idTable = idTable
        self.identityTable = identityTable
    }

    /// Records indexed; also the last `seq`.
    var records: Int { digests.count }
    var identityCount: Int { identityTable.count }

    func contains(_ digest: Digest32) -> Bool {
        idTable.find(hash: digest.hash) { digests[Int($0) - 1] == digest }.seq != nil
    }

    /// The id most recently archived under `identity`.
    func latest(_ identity: IdentityKey) -> Digest32? {
        let found = identityTable.find(hash: identity.hash) { identities[Int($0) - 1] == identity }
        return found.seq.map { digests[Int($0) - 1] }
    }

    /// Adds the record with the next `seq`; the caller has checked that `digest` is new.
    func append(_ digest: Digest32, identity: IdentityKey?) {
        digests.append(digest)
        identities.append(identity ?? .none)
        insert(seq: UInt32(truncatingIfNeeded: digests.count))
    }

    private func insert(seq: UInt32) {
        let digest = digests[Int(seq) - 1]
        let slot = idTable.find(hash: digest.hash) { digests[Int($0) - 1] == digest }.slot
        idTable.store(seq, at: slot) { digests[Int($0) - 1].hash }
        let identity = identities[Int(seq) - 1]
        if identity != .none {
            let at = identityTable.find(hash: identity.hash) { identities[Int($0) - 1] == identity }.slot
            identityTable.store(seq, at: at) { identities[Int($0) - 1].hash }
        }
    }

    /// Rebuilds both tables from the dense columns after a failed write rolled them back to `records`.
    func rebuildTables(records: Int) {
        digests.truncate(to: records)
        identities.truncate(to: records)
        idTable = SeqTable(expected: digests.count)
        identityTable = SeqTable(expected: digests.count)
        var seq: UInt32 = 1
        for _ in 0..<digests.count {
            insert(seq: seq)
            seq += 1
        }
    }

    /// Bytes held by the index (columns and tables), for the memory budget.
    var allocatedBytes: Int {
        digests.allocatedBytes + identities.allocatedBytes + idTable.allocatedBytes + identityTable.allocatedBytes
    }
}
