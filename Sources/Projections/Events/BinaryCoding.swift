import Synchronization

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
    // Readers live within one decode call; the cache outlives them (no reference counting).
    private unowned(unsafe) let cache: StringCache?

    /// A reader of `bytes`; strings longer than 15 bytes come from `cache` (nil: the shared one)
    /// when it holds them. The reader does not retain `cache`: the caller keeps it alive while the
    /// reader is used.
    public init(_ bytes: UnsafeRawBufferPointer, type: UInt16, cache: StringCache? = nil) {
        self.base = bytes
        self.type = type
        self.cache = cache
    }

    public var isAtEnd: Bool { offset == base.count }

    private func truncated() -> EventDecodingError { .malformed(type: type, reason: "truncated at byte \(offset)") }

    @inline(__always)
    public mutating func uvarint() throws(EventDecodingError) -> UInt64 {
        // One byte (values < 128: flags, counts, small ids) without the loop.
        if offset < base.count {
            let byte = base[offset]
            if byte < 0x80 {
                offset += 1
                return UInt64(byte)
            }
        }
        // Up to eight bytes (timestamps, costs, token counts) from one load, without a loop.
        if offset + 8 <= base.count {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            let stops = ~word & 0x8080_8080_8080_8080  // the high bit of every last byte
            if stops != 0 {
                let length = (stops.trailingZeroBitCount + 1) >> 3
                offset += length
                var x = length == 8 ? word : word & ((1 << UInt64(length * 8)) - 1)
                x &= 0x7F7F_7F7F_7F7F_7F7F
                x = ((x & 0x7F00_7F00_7F00_7F00) >> 1) | (x & 0x007F_007F_007F_007F)
                x = ((x & 0x3FFF_0000_3FFF_0000) >> 2) | (x & 0x0000_3FFF_0000_3FFF)
                x = ((x & 0x0FFF_FFFF_0000_0000) >> 4) | (x & 0x0000_0000_0FFF_FFFF)
                return x
            }
        }
        return try uvarintLoop()
    }

    private mutating func uvarintLoop() throws(EventDecodingError) -> UInt64 {
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

    @inline(__always)
    public mutating func varint() throws(EventDecodingError) -> Int64 {
        let raw = try uvarint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    @inline(__always)
    public mutating func double() throws(EventDecodingError) -> Double {
        guard offset + 8 <= base.count else { throw truncated() }
        let bits = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        offset += 8
        return Double(bitPattern: bits)
    }

    @inline(__always)
    public mutating func bool() throws(EventDecodingError) -> Bool {
        guard offset < base.count else { throw truncated() }
        let byte = base[offset]
        offset += 1
        guard byte <= 1 else { throw .malformed(type: type, reason: "bad boolean \(byte)") }
        return byte == 1
    }

    @inline(__always)
    public mutating func string() throws(EventDecodingError) -> String {
        let bytes = try utf8().assumingMemoryBound(to: UInt8.self)
        // Up to 15 bytes a String holds inline; longer ones are taken from the cache of recent
        // strings when they were decoded before (operation types, agent names, error messages),
        // which saves their allocation and their validation.
        let cache = bytes.count > StringCache.inlineCapacity ? (self.cache ?? StringCache.shared) : nil
        if let cache, let cached = cache.lookup(bytes) { return cached }
        let text = try validString(UnsafeRawBufferPointer(bytes))
        cache?.insert(text, bytes)
        return text
    }

    /// The bytes of a string field, not yet validated as UTF-8 (see `validString`, `skipString`).
    @inline(__always)
    public mutating func utf8() throws(EventDecodingError) -> UnsafeRawBufferPointer {
        let length = try uvarint()
        guard length <= UInt64(base.count - offset) else { throw truncated() }
        let count = Int(length)
        let slice = UnsafeRawBufferPointer(rebasing: base[offset..<offset + count])
        offset += count
        return slice
    }

    /// Reads a string field, checking that it is valid UTF-8 without building the string.
    @inline(__always)
    public mutating func skipString() throws(EventDecodingError) {
        let bytes = try utf8()
        if !Self.isASCII(bytes) { _ = try validString(bytes) }
    }

    /// `bytes` as a string, failing like `string()` when they are not UTF-8.
    public func validString(_ bytes: UnsafeRawBufferPointer) throws(EventDecodingError) -> String {
        let utf8 = bytes.assumingMemoryBound(to: UInt8.self)
        // ASCII (operation types, names) needs no validation beyond the high bit.
        if Self.isASCII(bytes) { return String(decoding: utf8, as: UTF8.self) }
        guard let valid = String(validating: utf8, as: UTF8.self) else {
            throw .malformed(type: type, reason: "invalid UTF-8")
        }
        return valid
    }

    /// No byte has its high bit set (eight bytes at a time).
    @inline(__always)
    static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        var bits: UInt64 = 0
        while i + 8 <= bytes.count {
            bits |= bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < bytes.count {
            bits |= UInt64(bytes[i])
            i += 1
        }
        return bits & 0x8080_8080_8080_8080 == 0
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
    @inline(__always)
    public func finish() throws(EventDecodingError) {
        guard isAtEnd else { throw .malformed(type: type, reason: "\(base.count - offset) trailing bytes") }
    }
}

/// The strings longer than a `String` holds inline that the decoder made most recently, keyed by
/// their UTF-8 bytes: a log repeats a few operation types, names and error messages millions of
/// times, and a hit hands out the same (immutable, reference-counted) storage instead of
/// allocating, copying and validating the bytes again.
///
/// 256 slots in pairs, the pair chosen by a hash of the length and the first and last 8 bytes; a
/// new string takes the first slot of its pair and moves the one there to the second. One thread
/// at a time uses it (a try-lock): a decoder that finds it busy decodes as if it missed, so
/// concurrent readers never wait for each other. Only valid UTF-8 is ever inserted, so a hit
/// needs no validation. Decoders share `shared` unless given their own: a thread that decodes in
/// bulk beside others (a partition of a concurrent scan) should own one, so that threads neither
/// take turns at the lock nor touch the reference counts of the same strings.
public final class StringCache: @unchecked Sendable {
    public static let shared = StringCache()
    /// Strings of up to 15 UTF-8 bytes are stored inline (no allocation): not cached.
    static let inlineCapacity = 15
    /// Longer strings are rarely repeated names: not cached.
    static let maxCachedBytes = 64
    private static let pairs = 128

    private let busy = Atomic<Bool>(false)
    /// `2 * pairs` strings, read and written only while `busy` is held.
    private let slots: UnsafeMutablePointer<String>

    public init() {
        slots = .allocate(capacity: 2 * Self.pairs)
        slots.initialize(repeating: "", count: 2 * Self.pairs)
    }

    deinit {
        slots.deinitialize(count: 2 * Self.pairs)
        slots.deallocate()
    }

    /// The first slot of the pair for `bytes` (more than 15 of them).
    @inline(__always)
    private static func pairStart(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let raw = UnsafeRawPointer(bytes.baseAddress!)
        let first = raw.loadUnaligned(as: UInt64.self)
        let last = raw.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self)
        let mixed = (first ^ (last &<< 29 | last &>> 35) ^ UInt64(bytes.count)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed >> 57) &* 2
    }

    @inline(__always)
    private static func equal(_ text: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard text.utf8.count == bytes.count else { return false }
        return text.utf8.withContiguousStorageIfAvailable { stored in
            // 8 bytes at a time; the last word overlaps the one before it (more than 8 bytes).
            let a = UnsafeRawPointer(stored.baseAddress!)
            let b = UnsafeRawPointer(bytes.baseAddress!)
            let last = bytes.count - 8
            var i = 0
            while i < last {
                if a.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    != b.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                {
                    return false
                }
                i += 8
            }
            return a.loadUnaligned(fromByteOffset: last, as: UInt64.self)
                == b.loadUnaligned(fromByteOffset: last, as: UInt64.self)
        } ?? false
    }

    /// The cached string with exactly these bytes, or nil (not cached, or the cache is busy).
    @inline(__always)
    func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard bytes.count <= Self.maxCachedBytes else { return nil }
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return nil }
        defer { busy.store(false, ordering: .releasing) }
        let slot = Self.pairStart(bytes)
        if Self.equal(slots[slot], bytes) { return slots[slot] }
        if Self.equal(slots[slot + 1], bytes) { return slots[slot + 1] }
        return nil
    }

    /// Remembers `text`, the valid UTF-8 `bytes` (more than 15 of them) just decoded.
    func insert(_ text: String, _ bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count <= Self.maxCachedBytes else { return }
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return }
        defer { busy.store(false, ordering: .releasing) }
        let slot = Self.pairStart(bytes)
        slots[slot + 1] = slots[slot]
        slots[slot] = text
    }
}
