/// A JSON document tree.
///
/// Integers that fit in `Int64` are kept exact as ``int(_:)``; any number with a fraction or exponent
/// (or too large for `Int64`) is a ``double(_:)``. Equality is structural: `.int(1) != .double(1.0)`,
/// while objects compare without regard to key order (see ``JSONObject``).
public enum JSONValue: Sendable, Equatable {
    /// JSON `null`.
    case null
    /// JSON `true` / `false`.
    case bool(Bool)
    /// An integral number without fraction or exponent that fits in `Int64`.
    case int(Int64)
    /// Any other number. May be non-finite (e.g. parsed `1e999`); such values serialize as `null`.
    case double(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object with insertion-ordered keys.
    case object(JSONObject)
}

// MARK: - Accessors

extension JSONValue {
    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The boolean payload, if this is a bool.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The string payload, if this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The value as an `Int64`: an int, or a double that is integral and within `Int64` range
    /// (`5.0` → `5`; `5.5`, `1e300` and non-finite values → `nil`).
    public var int64Value: Int64? {
        switch self {
        case .int(let i): return i
        case .double(let d):
            // -2^63 ≤ d < 2^63 (NaN fails); then exact iff truncation loses nothing.
            // (Avoids `Int64(exactly:)`, which needs libm's trunc in unoptimized builds.)
            guard d >= -0x1p63, d < 0x1p63 else { return nil }
            let i = Int64(d)
            return Double(i) == d ? i : nil
        default: return nil
        }
    }

    /// The value as a `Double`: a double, or an int converted (rounded to nearest for |i| > 2^53).
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The object, if this is an object.
    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The member named `key` if this is an object containing it, otherwise `nil`.
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// The element at `index` if this is an array and the index is in bounds, otherwise `nil`.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let a) = self, a.indices.contains(index) else { return nil }
        return a[index]
    }
}

// MARK: - Optional helpers

extension JSONValue {
    /// `.double(d)`, or `.null` when `d` is `nil`.
    public static func optional(_ d: Double?) -> JSONValue {
        d.map(JSONValue.double) ?? .null
    }

    /// `.int(i)`, or `.null` when `i` is `nil`.
    public static func optional(_ i: Int64?) -> JSONValue {
        i.map(JSONValue.int) ?? .null
    }

    /// `.string(s)`, or `.null` when `s` is `nil`.
    public static func optional(_ s: String?) -> JSONValue {
        s.map(JSONValue.string) ?? .null
    }

    /// `.bool(b)`, or `.null` when `b` is `nil`.
    public static func optional(_ b: Bool?) -> JSONValue {
        b.map(JSONValue.bool) ?? .null
    }
}

// MARK: - Literals

extension JSONValue: ExpressibleByNilLiteral {
    /// `nil` → ``null``.
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    /// A bool literal → ``bool(_:)``.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    /// An integer literal → ``int(_:)``.
    public init(integerLiteral value: Int64) { self = .int(value) }
}

extension JSONValue: ExpressibleByFloatLiteral {
    /// A float literal → ``double(_:)``.
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension JSONValue: ExpressibleByStringLiteral {
    /// A string literal → ``string(_:)``.
    public init(stringLiteral value: String) { self = .string(value) }
}

extension JSONValue: ExpressibleByArrayLiteral {
    /// An array literal → ``array(_:)``.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    /// A dictionary literal → ``object(_:)`` with the literal's key order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        var object = JSONObject(minimumCapacity: elements.count)
        for (key, value) in elements {
            object[key] = value
        }
        self = .object(object)
    }
}

extension JSONValue: CustomStringConvertible {
    /// Compact JSON text (same as ``jsonString``).
    public var description: String { jsonString }
}
