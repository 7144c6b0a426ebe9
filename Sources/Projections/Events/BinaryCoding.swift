/// Appends the compact binary form of event payloads: LEB128 varints (zig-zag for signed),
/// little-endian IEEE doubles, length-prefixed UTF-8 strings, a presence byte for optionals.
public struct BinaryWriter: Sendable {
    public private(set) var bytes: [UInt8]

    public init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func uvarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    public mutating func varint(_ value: Int64) {
        uvarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    public mutating func double(_ value: Double) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func bool(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    mutating func append(contentsOf raw: some Sequence<UInt8>) {
        bytes.append(contentsOf: raw)
    }

    public mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            uvarint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    public mutating func optional<T>(_ value: T?, _ write: (inout BinaryWriter, T) -> Void) {
        if let value {
            bytes.append(1)
            write(&self, value)
        } else {
            bytes.append(0)
        }
    }
}

/// Why a payload could not be turned into a domain event.
public enum EventDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The type tag is not one this build knows (written by a newer build?).
    case unknownType(UInt16)
    /// The type is known but its schema version is newer than this build's.
    case unsupportedVersion(type: UInt16, version: UInt16)
    /// The bytes do not form a valid payload.
    case malformed(type: UInt16, reason: String)

    public var description: String {
        switch self {
        case .unknownType(let type): return "unknown event type \(type)"
        case .unsupportedVersion(let type, let version):
            return "event type \(type) has schema version \(version), newer than this build knows"
        case .malformed(let type, let reason): return "malformed payload of event type \(type): \(reason)"
        }
    }
}

/// Reads what `BinaryWriter` wrote, with bounds checks on every field.
public struct BinaryReader {
    private let base: UnsafeRawBufferPointer
    private var offset = 0
    private let type: UInt16

    public init(_ bytes: UnsafeRawBufferPointer, type: UInt16) {
        self.base = bytes
        self.type = type
    }

    public var isAtEnd: Bool { offset == base.count }

    private func truncated() -> EventDecodingError { .malformed(type: type, reason: "truncated at byte \(offset)") }

    public mutating func uvarint() throws(EventDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < base.count else { throw truncated() }
            let byte = base[offset]
            offset += 1
            if shift == 63 && byte > 1 { throw .malformed(type: type, reason: "varint overflow") }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
            if shift > 63 { throw .malformed(type: type, reason: "varint overflow") }
        }
    }

    public mutating func varint() throws(EventDecodingError) -> Int64 {
        let raw = try uvarint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    public mutating func double() throws(EventDecodingError) -> Double {
        guard offset + 8 <= base.count else { throw truncated() }
        let bits = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        offset += 8
        return Double(bitPattern: bits)
    }

    public mutating func bool() throws(EventDecodingError) -> Bool {
        guard offset < base.count else { throw truncated() }
        let byte = base[offset]
        offset += 1
        guard byte <= 1 else { throw .malformed(type: type, reason: "bad boolean \(byte)") }
        return byte == 1
    }

    public mutating func string() throws(EventDecodingError) -> String {
        let length = try uvarint()
        guard length <= UInt64(base.count - offset) else { throw truncated() }
        let count = Int(length)
        let slice = UnsafeRawBufferPointer(rebasing: base[offset..<offset + count])
        offset += count
        // ASCII (operation types, names) needs no validation beyond the high bit.
        let bytes = slice.assumingMemoryBound(to: UInt8.self)
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .malformed(type: type, reason: "invalid UTF-8")
        }
        return text
    }

    public mutating func optional<T>(
        _ read: (inout BinaryReader) throws(EventDecodingError) -> T
    ) throws(EventDecodingError) -> T? {
        if try bool() { return try read(&self) }
        return nil
    }

    /// `count` fixed-width little-endian integers.
    mutating func array<T: FixedWidthInteger>(_ type: T.Type, count: Int) throws(EventDecodingError) -> [T] {
        let size = MemoryLayout<T>.size
        guard count >= 0, count <= (base.count - offset) / size else { throw truncated() }
        var out = [T]()
        out.reserveCapacity(count)
        for k in 0..<count {
            out.append(T(littleEndian: base.loadUnaligned(fromByteOffset: offset + k * size, as: T.self)))
        }
        offset += count * size
        return out
    }

    /// Fails unless every byte was consumed.
    public func finish() throws(EventDecodingError) {
        guard isAtEnd else { throw .malformed(type: type, reason: "\(base.count - offset) trailing bytes") }
    }
}
