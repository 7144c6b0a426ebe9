extension JSONValue {
    /// Compact UTF-8 JSON text: no whitespace, object keys in insertion order,
    /// doubles in shortest round-trip form (`3.0`, `0.1`, `1e-07`), non-finite doubles as `null`.
    public func serialized() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        JSONWriter.write(self, into: &bytes)
        return bytes
    }

    /// Appends the compact JSON text of this value to `buffer`.
    public func serialize(into buffer: inout [UInt8]) {
        JSONWriter.write(self, into: &buffer)
    }

    /// Compact JSON text as a `String` (see ``serialized()``).
    public var jsonString: String {
        String(decoding: serialized(), as: UTF8.self)
    }
}

/// Appends JSON text for ``JSONValue``s to a byte buffer.
enum JSONWriter {
    package static func write(_ value: JSONValue, into bytes: inout [UInt8]) {
        switch value {
        case .null:
            append("null", to: &bytes)
        case .bool(let b):
            append(b ? "true" : "false", to: &bytes)
        case .int(let i):
            writeInt(i, into: &bytes)
        case .double(let d):
            writeDouble(d, into: &bytes)
        case .string(let s):
            writeString(s, into: &bytes)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                write(element, into: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            var first = true
            for (key, element) in object {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                writeString(key, into: &bytes)
                bytes.append(UInt8(ascii: ":"))
                write(element, into: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    private static func append(_ s: StaticString, to bytes: inout [UInt8]) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    static func writeInt(_ i: Int64, into bytes: inout [UInt8]) {
        if i < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = i.magnitude
        if magnitude < 10 {
            bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude))
            return
        }
        // 20 digits is enough for UInt64.max.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var n = 20
            while magnitude > 0 {
                let (q, r) = magnitude.quotientAndRemainder(dividingBy: 10)
                n -= 1
                digits[n] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: r)
                magnitude = q
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[n...]))
        }
    }

    static func writeDouble(_ d: Double, into bytes: inout [UInt8]) {
        guard d.isFinite else {
            append("null", to: &bytes)
            return
        }
        // Swift's description yields the shortest round-trip digits and, like Python's repr, `3.0`,
        // `0.0001`, `1e-05`, `5e+20`. The only layout difference: Swift switches to exponent
        // notation above 2^53, Python only from 1e16, so re-layout exponent forms Python prints positionally.
        var text = d.description
        text.withUTF8 { utf8 in
            if let e = utf8.firstIndex(of: UInt8(ascii: "e")) {
                writePythonLayout(utf8, exponentIndex: e, into: &bytes)
            } else {
                bytes.append(contentsOf: utf8)
            }
        }
    }

    /// Writes Swift's `[-]d[.ddd]e±XX` text the way Python's `repr` lays the same digits out:
    /// positional when the decimal point position is in -3...16, exponent form otherwise.
    private static func writePythonLayout(
        _ utf8: UnsafeBufferPointer<UInt8>,
        exponentIndex e: Int,
        into bytes: inout [UInt8]
    ) {
        var exponent = 0
        var i = e + 1
        let negativeExponent = utf8[i] == UInt8(ascii: "-")
        if utf8[i] == UInt8(ascii: "-") || utf8[i] == UInt8(ascii: "+") { i += 1 }
        while i < utf8.count {
            exponent = exponent * 10 + Int(utf8[i] &- UInt8(ascii: "0"))
            i += 1
        }
        if negativeExponent { exponent = -exponent }

        let mantissaStart = utf8[0] == UInt8(ascii: "-") ? 1 : 0
        var integerDigits = 0
        var digits: [UInt8] = []
        digits.reserveCapacity(17)
        var seenDot = false
        for byte in UnsafeBufferPointer(rebasing: utf8[mantissaStart..<e]) {
            if byte == UInt8(ascii: ".") {
                seenDot = true
            } else {
                digits.append(byte)
                if !seenDot { integerDigits += 1 }
            }
        }
        // Value = 0.DIGITS × 10^decimalPoint.
        let decimalPoint = exponent + integerDigits
        guard decimalPoint > -4 && decimalPoint <= 16 else {
            bytes.append(contentsOf: utf8)
            return
        }
        if mantissaStart == 1 { bytes.append(UInt8(ascii: "-")) }
        let zero = UInt8(ascii: "0")
        if decimalPoint <= 0 {
            bytes.append(zero)
            bytes.append(UInt8(ascii: "."))
            bytes.append(contentsOf: repeatElement(zero, count: -decimalPoint))
            bytes.append(contentsOf: digits)
        } else if decimalPoint >= digits.count {
            bytes.append(contentsOf: digits)
            bytes.append(contentsOf: repeatElement(zero, count: decimalPoint - digits.count))
            bytes.append(UInt8(ascii: "."))
            bytes.append(zero)
        } else {
            bytes.append(contentsOf: digits[..<decimalPoint])
            bytes.append(UInt8(ascii: "."))
            bytes.append(contentsOf: digits[decimalPoint...])
        }
    }

    static func writeString(_ string: String, into bytes: inout [UInt8]) {
        var string = string
        string.withUTF8 { utf8 in
            bytes.reserveCapacity(bytes.count + utf8.count + 2)
            bytes.append(UInt8(ascii: "\""))
            var runStart = 0
            for i in 0..<utf8.count {
                let byte = utf8[i]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if runStart < i {
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                }
                runStart = i + 1
                writeEscape(byte, into: &bytes)
            }
            if runStart < utf8.count {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
            }
            bytes.append(UInt8(ascii: "\""))
        }
    }

    private static func writeEscape(_ byte: UInt8, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            bytes.append(UInt8(ascii: "u"))
            bytes.append(UInt8(ascii: "0"))
            bytes.append(UInt8(ascii: "0"))
            bytes.append(hexDigit(byte >> 4))
            bytes.append(hexDigit(byte & 0x0F))
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") &+ nibble : UInt8(ascii: "a") &+ (nibble &- 10)
    }
}

extension JSONObject {
    /// The object as JSON text (UTF-8).
    public var serializedBytes: [UInt8] { JSONValue.object(self).serialized() }
}
