import OrderedCollections

/// An insertion-ordered JSON object: unique string keys mapped to ``JSONValue``s, stored in
/// swift-collections' `OrderedDictionary` (hashed lookups, insertion order kept for serialization).
///
/// Equality ignores order, like JSON semantics (and Python's `dict`): two objects are equal when
/// they have the same keys with equal values.
public struct JSONObject: Sendable {
    /// One key/value pair of the object.
    public typealias Element = (key: String, value: JSONValue)

    private var storage: OrderedDictionary<String, JSONValue>

    /// Creates an empty object.
    public init() {
        storage = [:]
    }

    /// Creates an empty object with room for `minimumCapacity` pairs.
    public init(minimumCapacity: Int) {
        storage = OrderedDictionary(minimumCapacity: minimumCapacity)
    }

    /// Creates an object from `pairs` in order; a repeated key keeps its first position and its last value.
    public init(_ pairs: KeyValuePairs<String, JSONValue>) {
        self.init(minimumCapacity: pairs.count)
        for (key, value) in pairs {
            storage[key] = value
        }
    }

    /// Creates an object from a sequence of pairs in order; a repeated key keeps its first position and its last value.
    public init(_ pairs: some Sequence<(String, JSONValue)>) {
        self.init()
        for (key, value) in pairs {
            storage[key] = value
        }
    }

    /// The keys in insertion order.
    public var keys: [String] { Array(storage.keys) }

    /// The values in key insertion order.
    public var values: [JSONValue] { Array(storage.values) }

    /// Whether `key` is present.
    public func contains(key: String) -> Bool {
        storage.index(forKey: key) != nil
    }

    /// The value stored for `key`; assigning `nil` removes the key, assigning a value
    /// replaces it in place or appends a new pair at the end.
    public subscript(key: String) -> JSONValue? {
        get { storage[key] }
        set { storage[key] = newValue }
    }

    /// Sets `value` for `key`: appended at the end when the key is new, replaced in place otherwise.
    public mutating func append(_ value: JSONValue, forKey key: String) {
        storage[key] = value
    }

    /// Sets `value` for `key` (appending new keys at the end) and returns the previous value, if any.
    @discardableResult
    public mutating func updateValue(_ value: JSONValue, forKey key: String) -> JSONValue? {
        storage.updateValue(value, forKey: key)
    }

    /// Removes `key` and returns its value, if it was present. Later pairs keep their relative order.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        storage.removeValue(forKey: key)
    }

    /// Appends a pair whose key the caller knows to be absent.
    mutating func appendNew(key: String, value: JSONValue) {
        storage[key] = value
    }
}

extension JSONObject: RandomAccessCollection {
    /// Position of the first pair.
    public var startIndex: Int { 0 }
    /// Position one past the last pair.
    public var endIndex: Int { storage.count }
    /// The pair at `position` (insertion order).
    public subscript(position: Int) -> Element {
        let pair = storage.elements[position]
        return (key: pair.key, value: pair.value)
    }
}

extension JSONObject: Equatable {
    /// Order-insensitive equality: same key set, equal value for every key.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (key, value) in lhs.storage {
            guard let other = rhs.storage[key], other == value else { return false }
        }
        return true
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// Creates an object preserving the literal's key order; a repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(minimumCapacity: elements.count)
        for (key, value) in elements {
            storage[key] = value
        }
    }
}

extension JSONObject: CustomStringConvertible {
    /// Compact JSON text of the object.
    public var description: String { JSONValue.object(self).jsonString }
}
