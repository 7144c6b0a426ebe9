/// The interned operation types: each name gets the next index the first time a metric has it.
/// Lookups by name go through a dictionary; lookups by the UTF-8 bytes of a payload (the fold's
/// hot path) go through an open-addressing table keyed by a cheap hash of the bytes, so folding a
/// stored metric neither builds a `String` nor hashes one.
public struct OperationTable: Sendable {
    /// The names, by index.
    public private(set) var names: [String] = []
    /// The id of the first metric folded with each name (0 when restored from a snapshot): what
    /// orders names first met in different parts of a split fold.
    private(set) var firstUses: [Int64] = []
    private var indexByName: [String: Int32] = [:]
    /// Every name's UTF-8 bytes, back to back; name `i` is `utf8[utf8Starts[i]..<utf8Starts[i + 1]]`.
    private var utf8: [UInt8] = []
    private var utf8Starts: [Int] = [0]
    /// Open addressing: a name index per slot, -1 when empty; the count is a power of two kept at
    /// least twice the number of names.
    private var slots: [Int32] = Array(repeating: -1, count: 16)
    /// The process's hash seed, kept here so a lookup does not go through the global's accessor.
    private let seed = HashSeed.value

    public init() {}

    public var count: Int { names.count }

    /// The index of `name`, nil when no metric has it.
    public func index(of name: String) -> Int32? { indexByName[name] }

    /// The index of the name whose UTF-8 bytes are `bytes`, nil when none is.
    @inline(__always)
    public func index(utf8 bytes: UnsafeRawBufferPointer) -> Int32? {
        let mask = slots.count - 1
        var slot = hash(bytes) & mask
        while true {
            let candidate = slots[slot]
            if candidate < 0 { return nil }
            if equals(Int(candidate), bytes) { return candidate }
            slot = (slot + 1) & mask
        }
    }

    /// The index of `name`, interning it when it is new.
    public mutating func intern(_ name: String, firstUse: Int64 = 0) -> Int32 {
        if let known = indexByName[name] { return known }
        let index = Int32(names.count)
        names.append(name)
        firstUses.append(firstUse)
        indexByName[name] = index
        utf8.append(contentsOf: name.utf8)
        utf8Starts.append(utf8.count)
        if names.count * 2 > slots.count {
            slots = Array(repeating: -1, count: slots.count * 2)
            for i in 0..<names.count { place(Int32(i)) }
        } else {
            place(index)
        }
        return index
    }

    private mutating func place(_ index: Int32) {
        let start = utf8Starts[Int(index)]
        let end = utf8Starts[Int(index) + 1]
        let bucket = utf8.withUnsafeBytes { self.hash(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
        let mask = slots.count - 1
        var slot = bucket & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = index
    }

    @inline(__always)
    private func equals(_ index: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let start = utf8Starts[index]
        let length = utf8Starts[index + 1] - start
        guard length == bytes.count else { return false }
        return utf8.withUnsafeBytes { stored in
            length == 0 || memoryEquals(stored.baseAddress! + start, bytes.baseAddress!, length)
        }
    }

    /// Every byte, eight at a time (the last word overlapping), mixed with the length and the
    /// per-process seed: operation types come from clients.
    @inline(__always)
    func hash(_ bytes: UnsafeRawBufferPointer) -> Int {
        let n = bytes.count
        var h = seed ^ (UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15)
        if n >= 8 {
            var i = 0
            while i + 8 < n {
                h =
                    (h ^ UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
                    &* 0x9E37_79B9_7F4A_7C15
                h ^= h >> 29
                i += 8
            }
            h ^= UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
        } else {
            var tail: UInt64 = 0
            for (k, byte) in bytes.enumerated() { tail |= UInt64(byte) << UInt64(8 * k) }
            h ^= tail
        }
        return Int(truncatingIfNeeded: HashSeed.mix(h))
    }

    /// The longest run of slots a lookup of a present name probes (for tests of the hash's spread).
    var longestProbe: Int {
        let mask = slots.count - 1
        return (0..<names.count).map { index in
            let start = utf8Starts[index]
            let end = utf8Starts[index + 1]
            var slot = utf8.withUnsafeBytes { hash(UnsafeRawBufferPointer(rebasing: $0[start..<end])) } & mask
            var probes = 1
            while slots[slot] != Int32(index) {
                slot = (slot + 1) & mask
                probes += 1
            }
            return probes
        }.max() ?? 0
    }
}

/// Byte equality of two regions (the standard library has no `memcmp` without Foundation).
@inline(__always)
private func memoryEquals(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
    var i = 0
    while i + 8 <= count {
        if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
            return false
        }
        i += 8
    }
    while i < count {
        if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
        i += 1
    }
    return true
}
