/// A strict RFC 8259 JSON parser producing ``JSONValue`` trees.
///
/// Rejects trailing commas, comments, `NaN`/`Infinity`, leading zeros, single quotes, whitespace other
/// than space/tab/CR/LF, anything after the single top-level value, invalid UTF-8 and raw control
/// characters in strings, unpaired surrogate escapes and duplicate object keys.
///
/// Numbers without fraction or exponent that fit in `Int64` become ``JSONValue/int(_:)``; all others
/// become ``JSONValue/double(_:)`` (correctly rounded; out-of-range magnitudes such as `1e999`
/// become `±infinity` so callers can reject them as non-finite).
public struct JSONParser {
    /// Resource limits applied while parsing.
    public struct Limits: Sendable, Equatable {
        /// Maximum number of nested arrays/objects (a top-level `[]` is depth 1).
        public var maxDepth: Int
        /// Maximum length of one string (including object keys), in UTF-8 bytes after unescaping.
        public var maxStringBytes: Int

        /// Creates limits; defaults are depth 64 and 1 MiB strings.
        public init(maxDepth: Int = 64, maxStringBytes: Int = 1 << 20) {
            self.maxDepth = maxDepth
            self.maxStringBytes = maxStringBytes
        }

        /// Depth 64, strings up to 1 MiB.
        public static let `default` = Limits()
    }

    /// Parses one JSON document from UTF-8 `bytes`.
    public static func parse(
        _ bytes: some Collection<UInt8>,
        limits: Limits = .default
    ) throws(JSONParseError) -> JSONValue {
        let contiguous = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONParseError) -> JSONValue in try parse(buffer, limits: limits) }
        }
        if let contiguous {
            return try contiguous.get()
        }
        let copy = Array(bytes)
        return try copy.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONParseError) -> JSONValue in try parse(buffer, limits: limits) }
        }.get()
    }

    /// Parses one JSON document from the UTF-8 bytes of `text`.
    public static func parse(_ text: some StringProtocol, limits: Limits = .default) throws(JSONParseError) -> JSONValue
    {
        var string = String(text)
        return try string.withUTF8 { buffer in
            Result { () throws(JSONParseError) -> JSONValue in try parse(buffer, limits: limits) }
        }.get()
    }

    /// Parses one JSON document from raw UTF-8 memory.
    public static func parse(
        _ buffer: UnsafeRawBufferPointer,
        limits: Limits = .default
    ) throws(JSONParseError) -> JSONValue {
        try parse(buffer.assumingMemoryBound(to: UInt8.self), limits: limits)
    }

    /// Parses one JSON document from UTF-8 bytes in memory.
    public static func parse(
        _ buffer: UnsafeBufferPointer<UInt8>,
        limits: Limits = .default
    ) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(input: buffer, limits: limits)
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.pos < parser.input.count {
            throw JSONParseError(.trailingData, offset: parser.pos)
        }
        return value
    }

    // MARK: - State

    private let input: UnsafeBufferPointer<UInt8>
    private let limits: Limits
    private var pos = 0
    private var depth = 0
    /// Reused buffer for strings containing escapes.
    private var scratch: [UInt8] = []

    private init(input: UnsafeBufferPointer<UInt8>, limits: Limits) {
        self.input = input
        self.limits = limits
    }

    private var atEnd: Bool { pos >= input.count }

    private func fail(_ kind: JSONParseError.Kind, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(kind, offset: offset ?? pos)
    }

    /// The error for the byte at `pos`: unexpected character, or end of input.
    private func unexpected() -> JSONParseError {
        atEnd ? fail(.unexpectedEndOfInput) : fail(.unexpectedCharacter(input[pos]))
    }

    private mutating func skipWhitespace() {
        while pos < input.count {
            switch input[pos] {
            case 0x20, 0x09, 0x0A, 0x0D: pos += 1
            default: return
            }
        }
    }

    // MARK: - Values

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        guard !atEnd else { throw fail(.unexpectedEndOfInput) }
        switch input[pos] {
        case UInt8(ascii: "{"):
            return try parseObject()
        case UInt8(ascii: "["):
            return try parseArray()
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        default:
            throw unexpected()
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        let bytes = literal.utf8Start
        for i in 0..<count {
            guard !atEnd, input[pos] == bytes[i] else { throw unexpected() }
            pos += 1
        }
    }

    private mutating func enterContainer() throws(JSONParseError) {
        depth += 1
        if depth > limits.maxDepth {
            throw fail(.depthLimitExceeded(limits.maxDepth))
        }
        pos += 1  // the opening bracket
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        var elements: [JSONValue] = []
        skipWhitespace()
        if !atEnd && input[pos] == UInt8(ascii: "]") {
            pos += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue())
            skipWhitespace()
            guard !atEnd else { throw fail(.unexpectedEndOfInput) }
            switch input[pos] {
            case UInt8(ascii: ","):
                pos += 1
            case UInt8(ascii: "]"):
                pos += 1
                depth -= 1
                return .array(elements)
            default:
                throw unexpected()
            }
        }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        var object = JSONObject()
        skipWhitespace()
        if !atEnd && input[pos] == UInt8(ascii: "}") {
            pos += 1
            depth -= 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard !atEnd, input[pos] == UInt8(ascii: "\"") else { throw unexpected() }
            let keyOffset = pos
            let key = try parseString()
            if object.contains(key: key) {
                throw fail(.duplicateKey(key), at: keyOffset)
            }
            skipWhitespace()
            guard !atEnd, input[pos] == UInt8(ascii: ":") else { throw unexpected() }
            pos += 1
            let value = try parseValue()
            object.appendNew(key: key, value: value)
            skipWhitespace()
            guard !atEnd else { throw fail(.unexpectedEndOfInput) }
            switch input[pos] {
            case UInt8(ascii: ","):
                pos += 1
            case UInt8(ascii: "}"):
                pos += 1
                depth -= 1
                return .object(object)
            default:
                throw unexpected()
            }
        }
    }

    // MARK: - Strings

    /// Parses a string starting at its opening quote.
    private mutating func parseString() throws(JSONParseError) -> String {
        let quoteOffset = pos
        pos += 1
        let start = pos
        // Fast path: no escapes, so the string is a validated slice of the input.
        while true {
            guard !atEnd else { throw fail(.unexpectedEndOfInput) }
            let byte = input[pos]
            if byte == UInt8(ascii: "\"") {
                guard pos - start <= limits.maxStringBytes else {
                    throw fail(.stringTooLong(limits.maxStringBytes), at: quoteOffset)
                }
                let string = String(decoding: UnsafeBufferPointer(rebasing: input[start..<pos]), as: UTF8.self)
                pos += 1
                return string
            } else if byte == UInt8(ascii: "\\") {
                break
            } else if byte < 0x20 {
                throw fail(.controlCharacterInString)
            } else if byte < 0x80 {
                pos += 1
            } else {
                try skipUTF8Sequence()
            }
        }
        // Slow path: unescape into the scratch buffer.
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: input[start..<pos]))
        while true {
            guard scratch.count <= limits.maxStringBytes else {
                throw fail(.stringTooLong(limits.maxStringBytes), at: quoteOffset)
            }
            guard !atEnd else { throw fail(.unexpectedEndOfInput) }
            let byte = input[pos]
            if byte == UInt8(ascii: "\"") {
                pos += 1
                return String(decoding: scratch, as: UTF8.self)
            } else if byte == UInt8(ascii: "\\") {
                try parseEscape()
            } else if byte < 0x20 {
                throw fail(.controlCharacterInString)
            } else if byte < 0x80 {
                scratch.append(byte)
                pos += 1
            } else {
                let sequenceStart = pos
                try skipUTF8Sequence()
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: input[sequenceStart..<pos]))
            }
        }
    }

    /// Validates one multi-byte UTF-8 sequence at `pos` (lead byte ≥ 0x80) and moves past it.
    /// Rejects overlong forms, surrogates and code points above U+10FFFF.
    private mutating func skipUTF8Sequence() throws(JSONParseError) {
        let lead = input[pos]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: throw fail(.invalidUTF8)
        }
        guard input.count - pos >= length, secondRange.contains(input[pos + 1]) else {
            throw fail(.invalidUTF8)
        }
        for i in 2..<length where input[pos + i] & 0xC0 != 0x80 {
            throw fail(.invalidUTF8)
        }
        pos += length
    }

    /// Decodes the escape sequence at `pos` (a backslash) into `scratch`.
    private mutating func parseEscape() throws(JSONParseError) {
        let escapeOffset = pos
        pos += 1
        guard !atEnd else { throw fail(.unexpectedEndOfInput) }
        let byte = input[pos]
        pos += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"):
            scratch.append(byte)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try parseHex4()
            let scalar: UInt32
            switch unit {
            case 0xD800...0xDBFF:
                guard input.count - pos >= 2, input[pos] == UInt8(ascii: "\\"), input[pos + 1] == UInt8(ascii: "u")
                else { throw fail(.loneSurrogate, at: escapeOffset) }
                pos += 2
                let low = try parseHex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw fail(.loneSurrogate, at: escapeOffset) }
                scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            case 0xDC00...0xDFFF:
                throw fail(.loneSurrogate, at: escapeOffset)
            default:
                scalar = unit
            }
            appendUTF8(scalar)
        default:
            throw fail(.invalidEscape, at: escapeOffset)
        }
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard !atEnd else { throw fail(.unexpectedEndOfInput) }
            let byte = input[pos]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte &- UInt8(ascii: "A") &+ 10
            default: throw fail(.invalidUnicodeEscape)
            }
            value = value << 4 | UInt32(digit)
            pos += 1
        }
        return value
    }

    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(truncatingIfNeeded: scalar))
        case 0x80..<0x800:
            scratch.append(0xC0 | UInt8(truncatingIfNeeded: scalar >> 6))
            scratch.append(0x80 | UInt8(truncatingIfNeeded: scalar & 0x3F))
        case 0x800..<0x10000:
            scratch.append(0xE0 | UInt8(truncatingIfNeeded: scalar >> 12))
            scratch.append(0x80 | UInt8(truncatingIfNeeded: (scalar >> 6) & 0x3F))
            scratch.append(0x80 | UInt8(truncatingIfNeeded: scalar & 0x3F))
        default:
            scratch.append(0xF0 | UInt8(truncatingIfNeeded: scalar >> 18))
            scratch.append(0x80 | UInt8(truncatingIfNeeded: (scalar >> 12) & 0x3F))
            scratch.append(0x80 | UInt8(truncatingIfNeeded: (scalar >> 6) & 0x3F))
            scratch.append(0x80 | UInt8(truncatingIfNeeded: scalar & 0x3F))
        }
    }

    // MARK: - Numbers

    /// Exact powers of ten usable in the Clinger fast path.
    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = pos
        let negative = input[pos] == UInt8(ascii: "-")
        if negative { pos += 1 }

        var mantissa: UInt64 = 0
        var mantissaOverflow = false
        func accumulate(_ byte: UInt8) {
            guard !mantissaOverflow else { return }
            let (times10, o1) = mantissa.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(byte &- UInt8(ascii: "0")))
            if o1 || o2 { mantissaOverflow = true } else { mantissa = sum }
        }

        // Integer part: `0` or a non-zero digit followed by digits.
        guard !atEnd, Self.isDigit(input[pos]) else { throw fail(.invalidNumber) }
        if input[pos] == UInt8(ascii: "0") {
            pos += 1
            if !atEnd && Self.isDigit(input[pos]) { throw fail(.invalidNumber) }
        } else {
            while !atEnd && Self.isDigit(input[pos]) {
                accumulate(input[pos])
                pos += 1
            }
        }

        var isInteger = true
        var fractionDigits = 0
        if !atEnd && input[pos] == UInt8(ascii: ".") {
            isInteger = false
            pos += 1
            guard !atEnd, Self.isDigit(input[pos]) else { throw fail(.invalidNumber) }
            while !atEnd && Self.isDigit(input[pos]) {
                accumulate(input[pos])
                fractionDigits += 1
                pos += 1
            }
        }

        var exponent = 0
        if !atEnd && (input[pos] == UInt8(ascii: "e") || input[pos] == UInt8(ascii: "E")) {
            isInteger = false
            pos += 1
            var exponentNegative = false
            if !atEnd && (input[pos] == UInt8(ascii: "+") || input[pos] == UInt8(ascii: "-")) {
                exponentNegative = input[pos] == UInt8(ascii: "-")
                pos += 1
            }
            guard !atEnd, Self.isDigit(input[pos]) else { throw fail(.invalidNumber) }
            while !atEnd && Self.isDigit(input[pos]) {
                // Clamp: anything this large is 0 or infinity anyway (handled by the slow path).
                exponent = min(exponent * 10 + Int(input[pos] &- UInt8(ascii: "0")), 1_000_000)
                pos += 1
            }
            if exponentNegative { exponent = -exponent }
        }

        if isInteger && !mantissaOverflow {
            if negative {
                if mantissa <= Int64.min.magnitude {
                    return .int(Int64(truncatingIfNeeded: 0 &- mantissa))
                }
            } else if mantissa <= UInt64(Int64.max) {
                return .int(Int64(mantissa))
            }
        }

        // Clinger's fast path: both operands exact, so one IEEE operation rounds correctly.
        let decimalExponent = exponent - fractionDigits
        if !mantissaOverflow && mantissa <= 1 << 53 && (-22...22).contains(decimalExponent) {
            var value = Double(mantissa)
            if decimalExponent < 0 {
                value /= Self.exactPowersOfTen[-decimalExponent]
            } else {
                value *= Self.exactPowersOfTen[decimalExponent]
            }
            return .double(negative ? -value : value)
        }

        // Slow path: the lexeme is validated JSON number syntax, which Swift's parser accepts.
        let lexeme = String(decoding: UnsafeBufferPointer(rebasing: input[start..<pos]), as: UTF8.self)
        guard let value = Double(lexeme) else { throw fail(.invalidNumber, at: start) }
        return .double(value)
    }
}
