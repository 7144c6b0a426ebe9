/// An insertion-ordered JSON object: unique string keys mapped to ``JSONValue``s.
///
/// Pairs keep the order in which keys were first inserted (serialization uses that order).
/// Lookups are linear for small objects and hashed once the object grows past a few keys.
/// Equality ignores order, like JSON semantics (and Python's `dict`): two objects are equal
/// when they have the same keys with equal values.
public struct JSONObject: Sendable {
    /// One key/value pair of the object.
    public typealias Element = (key: String, value: JSONValue)

    /// Objects with at most this many keys are searched linearly; larger ones keep a hash index.
    private static let linearSearchLimit = 8

    private var pairs: [Element]
    /// Key → position in `pairs`; empty while `pairs.count <= linearSearchLimit`.
    private var index: [String: Int]

    /// Creates an empty object.
    public init() {
        pairs = []
        index = [:]
    }

    /// Creates an empty object with room for `minimumCapacity` pairs.
    public init(minimumCapacity: Int) {
        pairs = []
        pairs.reserveCapacity(minimumCapacity)
        index = [:]
    }

    /// Creates an object from `pairs` in order; a repeated key keeps its first position and its last value.
    public init(_ pairs: KeyValuePairs<String, JSONValue>) {
        self.init(minimumCapacity: pairs.count)
        for (key, value) in pairs {
            self[key] = value
        }
    }

    /// Creates an object from a sequence of pairs in order; a repeated key keeps its first position and its last value.
    public init(_ pairs: some Sequence<(String, JSONValue)>) {
        self.init()
        for (key, value) in pairs {
            self[key] = value
        }
    }

    /// The keys in insertion order.
    public var keys: [String] { pairs.map(\.key) }

    /// The values in key insertion order.
    public var values: [JSONValue] { pairs.map(\.value) }

    /// Whether `key` is present.
    public func contains(key: String) -> Bool {
        position(of: key) != nil
    }

    /// The value stored for `key`; assigning `nil` removes the key, assigning a value
    /// replaces it in place or appends a new pair at the end.
    public subscript(key: String) -> JSONValue? {
        get {
            guard let i = position(of: key) else { return nil }
            return pairs[i].value
        }
        set {
            if let newValue {
                updateValue(newValue, forKey: key)
            } else {
                removeValue(forKey: key)
            }
        }
    }

    /// Sets `value` for `key`: appended at the end when the key is new, replaced in place otherwise.
    public mutating func append(_ value: JSONValue, forKey key: String) {
        updateValue(value, forKey: key)
    }

    /// Sets `value` for `key` (appending new keys at the end) and returns the previous value, if any.
    @discardableResult
    public mutating func updateValue(_ value: JSONValue, forKey key: String) -> JSONValue? {
        if let i = position(of: key) {
            let old = pairs[i].value
            pairs[i].value = value
            return old
        }
        appendNew(key: key, value: value)
        return nil
    }

    /// Removes `key` and returns its value, if it was present. Later pairs keep their relative order.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let i = position(of: key) else { return nil }
        let removed = pairs.remove(at: i)
        if pairs.count <= Self.linearSearchLimit {
            index = [:]
        } else {
            index[key] = nil
            for j in i..<pairs.count {
                index[pairs[j].key] = j
            }
        }
        return removed.value
    }

    /// Appends a pair whose key the caller knows to be absent.
    mutating func appendNew(key: String, value: JSONValue) {
        pairs.append((key: key, value: value))
        let count = pairs.count
        if count > Self.linearSearchLimit {
            if index.isEmpty {
                index.reserveCapacity(count * 2)
                for (i, pair) in pairs.enumerated() {
                    index[pair.key] = i
                }
            } else {
                index[key] = count - 1
            }
        }
    }

    private func position(of key: String) -> Int? {
        if pairs.count <= Self.linearSearchLimit {
            return pairs.firstIndex { $0.key == key }
        }
        return index[key]
    }
}

extension JSONObject: RandomAccessCollection {
    /// Position of the first pair.
    public var startIndex: Int { 0 }
    /// Position one past the last pair.
    public var endIndex: Int { pairs.count }
    /// The pair at `position` (insertion order).
    public subscript(position: Int) -> Element { pairs[position] }
}

extension JSONObject: Equatable {
    /// Order-insensitive equality: same key set, equal value for every key.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (offset, pair) in lhs.pairs.enumerated() {
            // Fast path for the common identical-order case.
            if rhs.pairs[offset].key == pair.key {
                if rhs.pairs[offset].value != pair.value { return false }
                continue
            }
            guard let other = rhs[pair.key], other == pair.value else { return false }
        }
        return true
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// Creates an object preserving the literal's key order; a repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(minimumCapacity: elements.count)
        for (key, value) in elements {
            self[key] = value
        }
    }
}

extension JSONObject: CustomStringConvertible {
    /// Compact JSON text of the object.
    public var description: String { JSONValue.object(self).jsonString }
}
