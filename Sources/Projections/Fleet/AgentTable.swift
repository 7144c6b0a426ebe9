/// Values by agent id, for the per-agent state every folded metric touches (its columns, its
/// spend): the values sit in one array, found through an open-addressing index with a cheap
/// seeded mix of the id (a `Dictionary` hashes every id with SipHash, twice per metric; clients
/// choose agent ids, so the mix is seeded per process like `Hasher`, and the slot order never
/// shows in any answer or snapshot). Entries are never removed one by one; `extract` moves a
/// subset out whole.
public struct AgentTable<Value: Sendable>: Sendable, Sequence {
    /// The agent ids, in the order they were added (sort them for a stable order).
    public private(set) var keys: [Int64] = []
    /// The values, at the index of their id in `keys`.
    public private(set) var values: [Value] = []
    /// Index into `keys`/`values` per slot, -1 when empty; a power of two at least twice `count`.
    private var slots: [Int32] = Array(repeating: -1, count: 8)
    /// The process's hash seed, kept here so a lookup does not go through the global's accessor.
    private let seed = HashSeed.value
    /// 64 − log2(slot count): `home` keeps that many of the product's top bits.
    private var shift: UInt64 = 61

    public init() {}

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    @inline(__always)
    private func home(_ id: Int64, mask: Int) -> Int {
        // Fibonacci hashing: the top bits of the product, which every bit of the id reaches.
        Int(truncatingIfNeeded: ((UInt64(bitPattern: id) ^ seed) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The longest run of slots a lookup of a present id probes (for tests of the hash's spread).
    var longestProbe: Int {
        let mask = slots.count - 1
        return keys.map { id in
            var slot = home(id, mask: mask)
            var probes = 1
            while keys[Int(slots[slot])] != id {
                slot = (slot + 1) & mask
                probes += 1
            }
            return probes
        }.max() ?? 0
    }

    /// The position of `id` in `keys`/`values`, nil when it has no entry.
    @inline(__always)
    public func index(of id: Int64) -> Int? {
        let mask = slots.count - 1
        var slot = home(id, mask: mask)
        while true {
            let index = slots[slot]
            if index < 0 { return nil }
            if keys[Int(index)] == id { return Int(index) }
            slot = (slot + 1) & mask
        }
    }

    /// The value of `id`, nil when it has none.
    public subscript(id: Int64) -> Value? {
        guard let index = index(of: id) else { return nil }
        return values[index]
    }

    /// Sets the value of `id` (adding an entry when it has none).
    public mutating func set(_ id: Int64, _ value: Value) {
        if let index = index(of: id) {
            values[index] = value
        } else {
            append(id, value)
        }
    }

    /// Runs `body` on the value of `id` in place (no copy of its storage), adding `make()` first
    /// when it has none.
    @inline(__always)
    public mutating func update<R>(_ id: Int64, default make: () -> Value, _ body: (inout Value) -> R) -> R {
        let index = self.index(of: id) ?? append(id, make())
        return body(&values[index])
    }

    /// Runs `body` on the value of `id` in place; nil (and nothing runs) when it has none.
    @inline(__always)
    public mutating func update<R>(_ id: Int64, _ body: (inout Value) -> R) -> R? {
        guard let index = index(of: id) else { return nil }
        return body(&values[index])
    }

    /// Runs `body` on every value in place.
    public mutating func updateAll(_ body: (Int64, inout Value) -> Void) {
        for index in values.indices { body(keys[index], &values[index]) }
    }

    @discardableResult
    private mutating func append(_ id: Int64, _ value: Value) -> Int {
        let index = keys.count
        keys.append(id)
        values.append(value)
        if keys.count * 2 > slots.count {
            slots = Array(repeating: -1, count: slots.count * 2)
            shift -= 1
            for i in keys.indices { place(i) }
        } else {
            place(index)
        }
        return index
    }

    private mutating func place(_ index: Int) {
        let mask = slots.count - 1
        var slot = home(keys[index], mask: mask)
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(index)
    }

    /// Moves the entries whose id `moves` accepts out into a new table (values are moved, not
    /// copied: their storage stays uniquely referenced).
    public mutating func extract(where moves: (Int64) -> Bool) -> AgentTable {
        var oldKeys = keys
        var oldValues = values
        self = AgentTable()
        var moved = AgentTable()
        while let value = oldValues.popLast() {
            let id = oldKeys.removeLast()
            if moves(id) { moved.append(id, value) } else { append(id, value) }
        }
        return moved
    }

    /// Moves every entry of `other` (whose ids this table does not have) into this one, leaving
    /// `other` empty.
    public mutating func absorb(_ other: inout AgentTable) {
        var otherKeys = other.keys
        var otherValues = other.values
        other = AgentTable()
        while let value = otherValues.popLast() {
            let id = otherKeys.removeLast()
            precondition(index(of: id) == nil, "agent \(id) is in both tables")
            append(id, value)
        }
    }

    public func makeIterator() -> Zip2Sequence<[Int64], [Value]>.Iterator { zip(keys, values).makeIterator() }
}

extension AgentTable: Equatable where Value: Equatable {
    /// The same ids with equal values, whatever the order they were added in.
    public static func == (lhs: AgentTable, rhs: AgentTable) -> Bool {
        lhs.count == rhs.count && lhs.keys.indices.allSatisfy { rhs[lhs.keys[$0]] == lhs.values[$0] }
    }
}

/// The per-process seed and the mixing function of the projection's own hash tables.
enum HashSeed {
    /// Random per process: which keys collide cannot be chosen from outside.
    static let value = UInt64.random(in: .min ... .max)

    /// The SplitMix64 finalizer: every input bit reaches every output bit.
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
