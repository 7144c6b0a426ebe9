/// Why and where ``JSONParser`` rejected its input.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The category of a parse failure.
    public enum Kind: Sendable, Equatable {
        /// The input ended in the middle of a value (or was empty).
        case unexpectedEndOfInput
        /// A byte that cannot start or continue the current construct.
        case unexpectedCharacter(UInt8)
        /// More non-whitespace input after the single top-level value.
        case trailingData
        /// A malformed number (leading zero, missing digits after `.`/`e`, lone `-`).
        case invalidNumber
        /// A backslash followed by something other than `" \ / b f n r t u`.
        case invalidEscape
        /// `\u` not followed by four hex digits.
        case invalidUnicodeEscape
        /// A `\uD800`–`\uDFFF` escape not forming a high+low surrogate pair.
        case loneSurrogate
        /// A raw control character (U+0000–U+001F) inside a string.
        case controlCharacterInString
        /// A malformed UTF-8 sequence inside a string.
        case invalidUTF8
        /// The same key appeared twice in one object.
        case duplicateKey(String)
        /// Arrays/objects nested deeper than ``JSONParser/Limits/maxDepth``.
        case depthLimitExceeded(Int)
        /// A string longer than ``JSONParser/Limits/maxStringBytes`` UTF-8 bytes.
        case stringTooLong(Int)
    }

    /// What went wrong.
    public var kind: Kind
    /// Zero-based byte offset in the input where the problem was detected.
    public var offset: Int

    /// Creates an error of `kind` at byte `offset`.
    public init(_ kind: Kind, offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    /// Human-readable message, e.g. `unexpected character 'x' at byte 12`.
    public var description: String {
        let what: String
        switch kind {
        case .unexpectedEndOfInput: what = "unexpected end of input"
        case .unexpectedCharacter(let byte): what = "unexpected character \(Self.describe(byte))"
        case .trailingData: what = "unexpected data after top-level value"
        case .invalidNumber: what = "invalid number"
        case .invalidEscape: what = "invalid escape sequence"
        case .invalidUnicodeEscape: what = "invalid \\u escape"
        case .loneSurrogate: what = "unpaired UTF-16 surrogate escape"
        case .controlCharacterInString: what = "unescaped control character in string"
        case .invalidUTF8: what = "invalid UTF-8 in string"
        case .duplicateKey(let key): what = "duplicate key \"\(key)\""
        case .depthLimitExceeded(let limit): what = "nesting deeper than \(limit) levels"
        case .stringTooLong(let limit): what = "string longer than \(limit) bytes"
        }
        return "\(what) at byte \(offset)"
    }

    private static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F {
            return "'\(Character(Unicode.Scalar(byte)))'"
        }
        let hex = String(byte, radix: 16, uppercase: true)
        return byte < 0x10 ? "0x0\(hex)" : "0x\(hex)"
    }
}
